using System.Buffers;
using System.Numerics.Tensors;

namespace NeuralAtlas.Tensors;

/// <summary>
/// 2-D convolution (NCHW, weights [O, C/groups, kh, kw], as torch.nn.functional.conv2d) and its two backward
/// kernels, and the transposed convolution built from them. Each chunk of samples is lowered with im2col into one
/// [C/g·kh·kw, samples·OH·OW] matrix and multiplied by the weights in a single <see cref="Gemm"/> call
/// (im2col and the scatter of results split the batch over threads; the GEMM threads itself).
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
        int bc = ChunkSamples(g);
        var col = ArrayPool<float>.Shared.Rent(g.ColRows * bc * g.P);
        var prod = ArrayPool<float>.Shared.Rent(g.Og * bc * g.P);
        try
        {
            fixed (float* px = x.Data, pw = w.Data, py = y.Data, pc = col, pp = prod)
            {
                float* xx = px, ww = pw, yy = py, cc = pc, pr = pp;
                for (int n0 = 0; n0 < g.N; n0 += bc)
                {
                    int nb = Math.Min(bc, g.N - n0), ld = nb * g.P;
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        int gg = gi;
                        Parallelism.For(0, nb, k => Im2Col(xx + ((long)(n0 + k) * g.C + gg * g.Cg) * g.H * g.W, g, cc + (long)k * g.P, ld));
                        Gemm.Sgemm(false, false, g.Og, ld, g.ColRows, 1, ww + (long)gi * g.Og * g.ColRows, g.ColRows, cc, ld, 0, pr, ld);
                        // [Og, nb·P] → y[n, gi·Og + o, :], adding the bias on the way.
                        Parallelism.For(0, nb, k =>
                        {
                            for (int o = 0; o < g.Og; o++)
                            {
                                var src = new ReadOnlySpan<float>(pr + (long)o * ld + (long)k * g.P, g.P);
                                var dst = new Span<float>(yy + ((long)(n0 + k) * g.O + gg * g.Og + o) * g.P, g.P);
                                if (bias is null) src.CopyTo(dst);
                                else TensorPrimitives.Add(src, bias.Data[gg * g.Og + o], dst);
                            }
                        });
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(prod);
        }
        return y;
    }

    // Samples per lowered GEMM: the whole batch when its im2col matrix stays under ~32 MB.
    private static int ChunkSamples(ConvGeom g)
    {
        long perSample = (long)Math.Max(g.ColRows, g.Og) * g.P;
        return (int)Math.Clamp((8L << 20) / Math.Max(1, perSample), 1, g.N);
    }

    // gy[n0.., gi·Og.., :] gathered as an [Og, nb·P] matrix.
    private static unsafe void GatherGradOut(float* gy, ConvGeom g, int n0, int nb, int gi, float* dst)
    {
        int ld = nb * g.P;
        Parallelism.For(0, nb, k =>
        {
            for (int o = 0; o < g.Og; o++)
                new ReadOnlySpan<float>(gy + ((long)(n0 + k) * g.O + gi * g.Og + o) * g.P, g.P).CopyTo(new Span<float>(dst + (long)o * ld + (long)k * g.P, g.P));
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
        var gx = Tensor.Uninitialized(inputShape); // Col2Im clears each (sample, group) block before accumulating
        int bc = ChunkSamples(g);
        var col = ArrayPool<float>.Shared.Rent(g.ColRows * bc * g.P);
        var gyb = ArrayPool<float>.Shared.Rent(g.Og * bc * g.P);
        try
        {
            fixed (float* pgy = gradOut.Data, pw = w.Data, pgx = gx.Data, pc = col, pb = gyb)
            {
                float* gyy = pgy, ww = pw, gxx = pgx, cc = pc, bb = pb;
                for (int n0 = 0; n0 < g.N; n0 += bc)
                {
                    int nb = Math.Min(bc, g.N - n0), ld = nb * g.P;
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        int gg = gi;
                        GatherGradOut(gyy, g, n0, nb, gi, bb);
                        Gemm.Sgemm(true, false, g.ColRows, ld, g.Og, 1, ww + (long)gi * g.Og * g.ColRows, g.ColRows, bb, ld, 0, cc, ld);
                        Parallelism.For(0, nb, k => Col2Im(cc + (long)k * g.P, ld, g, gxx + ((long)(n0 + k) * g.C + gg * g.Cg) * g.H * g.W));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(gyb);
        }
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
        int bc = ChunkSamples(g);
        var col = ArrayPool<float>.Shared.Rent(g.ColRows * bc * g.P);
        var gyb = ArrayPool<float>.Shared.Rent(g.Og * bc * g.P);
        try
        {
            fixed (float* px = x.Data, pgy = gradOut.Data, pgw = gw.Data, pc = col, pb = gyb)
            {
                float* xx = px, gyy = pgy, cc = pc, bb = pb;
                for (int n0 = 0; n0 < g.N; n0 += bc)
                {
                    int nb = Math.Min(bc, g.N - n0), ld = nb * g.P;
                    for (int gi = 0; gi < g.G; gi++)
                    {
                        int gg = gi;
                        Parallelism.For(0, nb, k => Im2Col(xx + ((long)(n0 + k) * g.C + gg * g.Cg) * g.H * g.W, g, cc + (long)k * g.P, ld));
                        GatherGradOut(gyy, g, n0, nb, gi, bb);
                        Gemm.Sgemm(false, true, g.Og, g.ColRows, ld, 1, bb, ld, cc, ld, 1, pgw + (long)gi * g.Og * g.ColRows, g.ColRows);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(gyb);
        }
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
