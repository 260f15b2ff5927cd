using System.Buffers;
using System.Numerics.Tensors;

namespace NeuralAtlas.Tensors;

/// <summary>
/// 2-D convolution (NCHW, weights [O, C/groups, kh, kw], as torch.nn.functional.conv2d) and its two backward
/// kernels, and the transposed convolution built from them. Each sample is lowered with im2col into a
/// [C/g·kh·kw, OH·OW] matrix and multiplied by the weights with <see cref="Gemm"/>; threads take contiguous ranges of
/// the batch (each sample's GEMM then runs serially on its thread; a batch of one lets the GEMM thread itself).
/// </summary>
public static partial class Ops
{
    private readonly record struct ConvGeom(int N, int C, int H, int W, int O, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int G, int OH, int OW)
    {
        public int Cg => C / G;
        public int Og => O / G;
        public int ColRows => Cg * KH * KW;
        public int P => OH * OW;
        public bool Pointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;
    }

    private static ConvGeom Geometry(string op, int[] x, int[] w, (int, int) stride, (int, int) padding, (int, int) dilation, int groups)
    {
        if (x.Length != 4) throw new ShapeMismatchException(op, x, w, "input must be [N, C, H, W]");
        if (w.Length != 4) throw new ShapeMismatchException(op, x, w, "weight must be [O, C/groups, kh, kw]");
        if (groups < 1) throw new AtlasArgumentException("groups", $"must be positive, got {groups}");
        var (sh, sw) = stride; var (ph, pw) = padding; var (dh, dw) = dilation;
        if (sh < 1 || sw < 1) throw new AtlasArgumentException("stride", $"must be positive, got ({sh}, {sw})");
        if (ph < 0 || pw < 0) throw new AtlasArgumentException("padding", $"must be non-negative, got ({ph}, {pw})");
        if (dh < 1 || dw < 1) throw new AtlasArgumentException("dilation", $"must be positive, got ({dh}, {dw})");
        int n = x[0], c = x[1], h = x[2], wd = x[3], o = w[0];
        if (c % groups != 0 || o % groups != 0)
            throw new ShapeMismatchException(op, x, w, $"channels {c} and output channels {o} must both be divisible by groups {groups}");
        if (w[1] != c / groups) throw new ShapeMismatchException(op, x, w, $"weight has {w[1]} input channels per group, the input gives {c / groups}");
        int oh = (h + 2 * ph - dh * (w[2] - 1) - 1) / sh + 1;
        int ow = (wd + 2 * pw - dw * (w[3] - 1) - 1) / sw + 1;
        if (h + 2 * ph - dh * (w[2] - 1) - 1 < 0 || wd + 2 * pw - dw * (w[3] - 1) - 1 < 0 || oh <= 0 || ow <= 0)
            throw new ShapeMismatchException(op, x, w, "the (dilated) kernel is larger than the padded input");
        return new ConvGeom(n, c, h, wd, o, w[2], w[3], sh, sw, ph, pw, dh, dw, groups, oh, ow);
    }

    /// <summary>conv2d with the same stride/padding/dilation in both directions.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2d(x, w, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>conv2d: x [N, C, H, W], w [O, C/groups, kh, kw], bias [O] or null → [N, O, OH, OW] (torch semantics).</summary>
    public static unsafe Tensor Conv2d(Tensor x, Tensor w, Tensor? bias, (int, int) stride, (int, int) padding, (int, int) dilation, int groups = 1)
    {
        var g = Geometry("conv2d", x.Shape, w.Shape, stride, padding, dilation, groups);
        if (bias is not null && (bias.Rank != 1 || bias.Numel != g.O)) throw new ShapeMismatchException("conv2d", w.Shape, bias.Shape, "bias must be [O]");
        var y = Tensor.Uninitialized(new[] { g.N, g.O, g.OH, g.OW });
        SampleRanges(g, (s, e, col) =>
        {
            fixed (float* px = x.Data, pw = w.Data, py = y.Data, pc = col)
            {
                for (long n = s; n < e; n++)
                {
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        float* src = px + (n * g.C + gi * g.Cg) * g.H * g.W;
                        if (!g.Pointwise) { Im2Col(src, g, pc, g.P); src = pc; }
                        Gemm.Sgemm(false, false, g.Og, g.P, g.ColRows, 1, pw + (long)gi * g.Og * g.ColRows, g.ColRows, src, g.P, 0, py + (n * g.O + gi * g.Og) * g.P, g.P);
                    }
                    if (bias is not null)
                        for (int o = 0; o < g.O; o++)
                        {
                            var row = new Span<float>(py + (n * g.O + o) * g.P, g.P);
                            TensorPrimitives.Add(row, bias.Data[o], row);
                        }
                }
            }
        });
        return y;
    }

    // One parallel region per op: each thread takes a contiguous range of samples, lowers them one at a time into
    // its own im2col buffer and runs each sample's GEMM serially, writing straight into the output. (Lowering the
    // whole batch into one GEMM needs several parallel phases per op, which measured slower on a loaded machine.)
    private static void SampleRanges(ConvGeom g, Action<long, long, float[]?> body)
    {
        int colSize = g.Pointwise ? 0 : g.ColRows * g.P;
        Parallelism.Chunks(g.N, 1, (s, e) =>
        {
            float[]? col = colSize > 0 ? ArrayPool<float>.Shared.Rent(colSize) : null;
            try { body(s, e, col); }
            finally { if (col is not null) ArrayPool<float>.Shared.Return(col); }
        });
    }

    /// <summary>Gradient of conv2d with respect to its input, given the output gradient (torch's conv2d_input).</summary>
    public static Tensor Conv2dBackwardInput(Tensor gradOut, Tensor w, int[] inputShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2dBackwardInput(gradOut, w, inputShape, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>Gradient of conv2d with respect to its input [N, C, H, W] (= <paramref name="inputShape"/>).</summary>
    public static unsafe Tensor Conv2dBackwardInput(Tensor gradOut, Tensor w, int[] inputShape, (int, int) stride, (int, int) padding, (int, int) dilation, int groups = 1)
    {
        var g = Geometry("conv2d_backward_input", inputShape, w.Shape, stride, padding, dilation, groups);
        CheckGradOut("conv2d_backward_input", gradOut, g);
        var gx = Tensor.Uninitialized(inputShape); // every (sample, group) block is written whole (GEMM with β = 0, or Col2Im)
        SampleRanges(g, (s, e, col) =>
        {
            fixed (float* pgy = gradOut.Data, pw = w.Data, pgx = gx.Data, pc = col)
            {
                for (long n = s; n < e; n++)
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        float* gxi = pgx + (n * g.C + gi * g.Cg) * g.H * g.W;
                        float* wg = pw + (long)gi * g.Og * g.ColRows;
                        float* gyo = pgy + (n * g.O + gi * g.Og) * g.P;
                        if (g.Pointwise)
                        {
                            Gemm.Sgemm(true, false, g.ColRows, g.P, g.Og, 1, wg, g.ColRows, gyo, g.P, 0, gxi, g.P);
                            continue;
                        }
                        Gemm.Sgemm(true, false, g.ColRows, g.P, g.Og, 1, wg, g.ColRows, gyo, g.P, 0, pc, g.P);
                        Col2Im(pc, g.P, g, gxi);
                    }
            }
        });
        return gx;
    }

    /// <summary>Gradient of conv2d with respect to its weight (torch's conv2d_weight).</summary>
    public static Tensor Conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] weightShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2dBackwardWeight(x, gradOut, weightShape, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>Gradient of conv2d with respect to its weight [O, C/groups, kh, kw] (= <paramref name="weightShape"/>), summed over the batch.</summary>
    public static unsafe Tensor Conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] weightShape, (int, int) stride, (int, int) padding, (int, int) dilation, int groups = 1)
    {
        var g = Geometry("conv2d_backward_weight", x.Shape, weightShape, stride, padding, dilation, groups);
        CheckGradOut("conv2d_backward_weight", gradOut, g);
        var gw = new Tensor(weightShape);
        var partials = new List<float[]>();
        SampleRanges(g, (s, e, col) =>
        {
            var acc = new float[gw.Numel]; // one accumulator per thread, added together at the end
            fixed (float* px = x.Data, pgy = gradOut.Data, pacc = acc, pc = col)
            {
                for (long n = s; n < e; n++)
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        float* src = px + (n * g.C + gi * g.Cg) * g.H * g.W;
                        if (!g.Pointwise) { Im2Col(src, g, pc, g.P); src = pc; }
                        float* gyo = pgy + (n * g.O + gi * g.Og) * g.P;
                        Gemm.Sgemm(false, true, g.Og, g.ColRows, g.P, 1, gyo, g.P, src, g.P, 1, pacc + (long)gi * g.Og * g.ColRows, g.ColRows);
                    }
            }
            lock (partials) partials.Add(acc);
        });
        foreach (var p in partials) TensorPrimitives.Add(gw.Data, p, gw.Data);
        return gw;
    }

    /// <summary>Gradient of conv2d (or conv_transpose2d) with respect to its bias: the output gradient summed over N, H, W.</summary>
    public static Tensor Conv2dBackwardBias(Tensor gradOut)
    {
        if (gradOut.Rank != 4) throw new ShapeMismatchException("conv2d_backward_bias", $"gradient must be [N, O, OH, OW], got {ShapeMismatchException.Format(gradOut.Shape)}");
        int n = gradOut.Shape[0], o = gradOut.Shape[1], p = gradOut.Shape[2] * gradOut.Shape[3];
        var gb = new double[o];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < o; c++) gb[c] += TensorPrimitives.Sum(gradOut.Data.AsSpan((i * o + c) * p, p));
        return new Tensor(new[] { o }, gb.Select(v => (float)v).ToArray());
    }

    private static void CheckGradOut(string op, Tensor gradOut, ConvGeom g)
    {
        int[] expect = { g.N, g.O, g.OH, g.OW };
        if (!gradOut.Shape.AsSpan().SequenceEqual(expect))
            throw new ShapeMismatchException(op, gradOut.Shape, expect, "the output gradient must have the convolution's output shape");
    }

    // col[(c·kh + i)·kw + j, oh·OW + ow] = x[c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] (0 outside).
    private static unsafe void Im2Col(float* x, ConvGeom g, float* col, int ldcol)
    {
        int H = g.H, W = g.W, OW = g.OW;
        for (int c = 0; c < g.Cg; c++)
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    float* dst = col + (long)((c * g.KH + i) * g.KW + j) * ldcol;
                    int dx = j * g.DW - g.PW;
                    // Output columns whose input column lies inside [0, W): ow in [lo, hi).
                    int lo = dx >= 0 ? 0 : Math.Min(OW, (-dx + g.SW - 1) / g.SW);
                    int hi = W - dx <= 0 ? 0 : Math.Min(OW, (W - dx - 1) / g.SW + 1);
                    if (hi < lo) hi = lo;
                    for (int oh = 0; oh < g.OH; oh++)
                    {
                        float* d = dst + oh * OW;
                        int ih = oh * g.SH - g.PH + i * g.DH;
                        if ((uint)ih >= (uint)H) { new Span<float>(d, OW).Clear(); continue; }
                        float* srow = x + ((long)c * H + ih) * W + dx;
                        for (int ow = 0; ow < lo; ow++) d[ow] = 0;
                        // Rows are short (OW is often ~10): plain loops beat span calls here.
                        if (g.SW == 1) for (int ow = lo; ow < hi; ow++) d[ow] = srow[ow];
                        else for (int ow = lo; ow < hi; ow++) d[ow] = srow[ow * g.SW];
                        for (int ow = hi; ow < OW; ow++) d[ow] = 0;
                    }
                }
    }

    // The adjoint of Im2Col: x (zeroed first) accumulates every column entry at its input position.
    private static unsafe void Col2Im(float* col, int ldcol, ConvGeom g, float* x)
    {
        int H = g.H, W = g.W, OW = g.OW;
        new Span<float>(x, g.Cg * H * W).Clear();
        for (int c = 0; c < g.Cg; c++)
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    float* src = col + (long)((c * g.KH + i) * g.KW + j) * ldcol;
                    int dx = j * g.DW - g.PW;
                    int lo = dx >= 0 ? 0 : Math.Min(OW, (-dx + g.SW - 1) / g.SW);
                    int hi = W - dx <= 0 ? 0 : Math.Min(OW, (W - dx - 1) / g.SW + 1);
                    if (hi <= lo) continue;
                    for (int oh = 0; oh < g.OH; oh++)
                    {
                        int ih = oh * g.SH - g.PH + i * g.DH;
                        if ((uint)ih >= (uint)H) continue;
                        float* drow = x + ((long)c * H + ih) * W + dx;
                        float* s = src + oh * OW;
                        if (g.SW == 1) for (int ow = lo; ow < hi; ow++) drow[ow] += s[ow];
                        else for (int ow = lo; ow < hi; ow++) drow[ow * g.SW] += s[ow];
                    }
                }
    }

    /// <summary>conv_transpose2d with the same parameters in both directions.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1)
        => ConvTranspose2d(x, w, bias, (stride, stride), (padding, padding), (outputPadding, outputPadding), groups, (dilation, dilation));

    /// <summary>
    /// conv_transpose2d: x [N, Cin, H, W], w [Cin, Cout/groups, kh, kw] → [N, Cout, OH, OW] with
    /// OH = (H−1)·s − 2p + d·(kh−1) + outputPadding + 1 (torch semantics); the adjoint of conv2d with the same weight.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor w, Tensor? bias, (int, int) stride, (int, int) padding, (int, int) outputPadding, int groups, (int, int) dilation)
    {
        var outShape = ConvTransposeOutShape(x, w, stride, padding, outputPadding, groups, dilation);
        if (bias is not null && (bias.Rank != 1 || bias.Numel != outShape[1])) throw new ShapeMismatchException("conv_transpose2d", w.Shape, bias.Shape, $"bias must be [{outShape[1]}]");
        var y = Conv2dBackwardInput(x, w, outShape, stride, padding, dilation, groups);
        if (bias is not null)
        {
            int p = outShape[2] * outShape[3];
            for (int n = 0; n < outShape[0]; n++)
                for (int o = 0; o < outShape[1]; o++)
                {
                    var row = y.Data.AsSpan((n * outShape[1] + o) * p, p);
                    TensorPrimitives.Add(row, bias.Data[o], row);
                }
        }
        return y;
    }

    private static int[] ConvTransposeOutShape(Tensor x, Tensor w, (int, int) stride, (int, int) padding, (int, int) outputPadding, int groups, (int, int) dilation)
    {
        if (x.Rank != 4 || w.Rank != 4) throw new ShapeMismatchException("conv_transpose2d", x.Shape, w.Shape, "input must be [N, Cin, H, W] and weight [Cin, Cout/groups, kh, kw]");
        if (groups < 1 || x.Shape[1] != w.Shape[0] || w.Shape[0] % groups != 0)
            throw new ShapeMismatchException("conv_transpose2d", x.Shape, w.Shape, $"input channels must equal weight dimension 0 and be divisible by groups {groups}");
        var (sh, sw) = stride; var (ph, pw) = padding; var (oph, opw) = outputPadding; var (dh, dw) = dilation;
        if (oph < 0 || opw < 0 || (oph >= sh && oph >= dh) || (opw >= sw && opw >= dw))
            throw new AtlasArgumentException("outputPadding", $"({oph}, {opw}) must be smaller than stride or dilation");
        int oh = (x.Shape[2] - 1) * sh - 2 * ph + dh * (w.Shape[2] - 1) + oph + 1;
        int ow = (x.Shape[3] - 1) * sw - 2 * pw + dw * (w.Shape[3] - 1) + opw + 1;
        if (oh <= 0 || ow <= 0) throw new ShapeMismatchException("conv_transpose2d", x.Shape, w.Shape, "the output would be empty");
        return new[] { x.Shape[0], w.Shape[1] * groups, oh, ow };
    }

    /// <summary>Gradient of conv_transpose2d with respect to its input: conv2d of the output gradient with the same weight.</summary>
    public static Tensor ConvTranspose2dBackwardInput(Tensor gradOut, Tensor w, (int, int) stride, (int, int) padding, int groups, (int, int) dilation)
        => Conv2d(gradOut, w, null, stride, padding, dilation, groups);

    /// <summary>Gradient of conv_transpose2d with respect to its input (same parameters in both directions).</summary>
    public static Tensor ConvTranspose2dBackwardInput(Tensor gradOut, Tensor w, int stride = 1, int padding = 0, int groups = 1, int dilation = 1)
        => ConvTranspose2dBackwardInput(gradOut, w, (stride, stride), (padding, padding), groups, (dilation, dilation));

    /// <summary>Gradient of conv_transpose2d with respect to its weight [Cin, Cout/groups, kh, kw].</summary>
    public static Tensor ConvTranspose2dBackwardWeight(Tensor x, Tensor gradOut, int[] weightShape, (int, int) stride, (int, int) padding, int groups, (int, int) dilation)
        => Conv2dBackwardWeight(gradOut, x, weightShape, stride, padding, dilation, groups);

    /// <summary>Gradient of conv_transpose2d with respect to its weight (same parameters in both directions).</summary>
    public static Tensor ConvTranspose2dBackwardWeight(Tensor x, Tensor gradOut, int[] weightShape, int stride = 1, int padding = 0, int groups = 1, int dilation = 1)
        => ConvTranspose2dBackwardWeight(x, gradOut, weightShape, (stride, stride), (padding, padding), groups, (dilation, dilation));
}
