using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Geometry of a 2-D convolution: sizes, stride, padding, dilation, groups.</summary>
public readonly record struct ConvGeometry(int N, int C, int H, int W, int O, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int Groups)
{
    public int OH => (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1;
    public int OW => (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1;
    public int Cg => C / Groups;
    public int Og => O / Groups;
    public int Kg => Cg * KH * KW;
    public bool Pointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;
}

/// <summary>
/// The three convolution kernels autograd needs — forward, gradient with respect to the input (which is also the
/// transposed convolution) and gradient with respect to the weight — as im2col + <see cref="Gemm"/>, parallel over
/// samples (each worker has its own column buffer; GEMMs inside a worker run serially).
/// </summary>
internal static class ConvKernels
{
    /// <summary>Use the tensor library's batched kernels (Ops.Conv2d*) instead of the per-sample ones below.</summary>
    internal static bool UseOps { get; set; }

    private static (int, int) S(ConvGeometry g) => (g.SH, g.SW);
    private static (int, int) P(ConvGeometry g) => (g.PH, g.PW);
    private static (int, int) D(ConvGeometry g) => (g.DH, g.DW);

    /// <summary>y[n] = W ⋆ x[n] (no bias): x [N,C,H,W], w [O, C/g, KH, KW] → [N, O, OH, OW].</summary>
    public static Tensor Forward(Tensor x, Tensor w, ConvGeometry g)
    {
        if (UseOps) return Ops.Conv2d(x, w, null, S(g), P(g), D(g), g.Groups);
        int ohw = g.OH * g.OW;
        var y = new Tensor(g.N, g.O, g.OH, g.OW);
        Samples(g.N, (s, e) =>
        {
            var col = g.Pointwise ? null : Scratch(ref _col, g.Kg * ohw);
            for (long n = s; n < e; n++)
                for (int gr = 0; gr < g.Groups; gr++)
                {
                    var xin = x.Data.AsSpan((int)((n * g.C + gr * g.Cg) * g.H * g.W), g.Cg * g.H * g.W);
                    ReadOnlySpan<float> b = xin;
                    if (col is not null) { Im2Col(xin, g, col); b = col.AsSpan(0, g.Kg * ohw); }
                    Gemm.Sgemm(false, false, g.Og, ohw, g.Kg, 1f, w.Data.AsSpan(gr * g.Og * g.Kg, g.Og * g.Kg), g.Kg,
                        b, ohw, 0f, y.Data.AsSpan((int)((n * g.O + gr * g.Og) * ohw), g.Og * ohw), ohw);
                }
        });
        return y;
    }

    /// <summary>dx from dy [N, O, OH, OW] and w: the adjoint of <see cref="Forward"/> in x (= conv_transpose2d).</summary>
    public static Tensor BackwardInput(Tensor gy, Tensor w, ConvGeometry g)
    {
        if (UseOps) return Ops.Conv2dBackwardInput(gy, w, new[] { g.N, g.C, g.H, g.W }, S(g), P(g), D(g), g.Groups);
        int ohw = g.OH * g.OW;
        var gx = new Tensor(g.N, g.C, g.H, g.W);
        Samples(g.N, (s, e) =>
        {
            var col = Scratch(ref _col, g.Kg * ohw);
            for (long n = s; n < e; n++)
                for (int gr = 0; gr < g.Groups; gr++)
                {
                    var dst = gx.Data.AsSpan((int)((n * g.C + gr * g.Cg) * g.H * g.W), g.Cg * g.H * g.W);
                    var src = gy.Data.AsSpan((int)((n * g.O + gr * g.Og) * ohw), g.Og * ohw);
                    var wg = w.Data.AsSpan(gr * g.Og * g.Kg, g.Og * g.Kg);
                    if (g.Pointwise) Gemm.Sgemm(true, false, g.Kg, ohw, g.Og, 1f, wg, g.Kg, src, ohw, 0f, dst, ohw);
                    else
                    {
                        Gemm.Sgemm(true, false, g.Kg, ohw, g.Og, 1f, wg, g.Kg, src, ohw, 0f, col.AsSpan(0, g.Kg * ohw), ohw);
                        Col2Im(col, g, dst);
                    }
                }
        });
        return gx;
    }

    /// <summary>dW from x and dy: Σₙ dy[n] · im2col(x[n])ᵀ, shape [O, C/g, KH, KW].</summary>
    public static Tensor BackwardWeight(Tensor x, Tensor gy, ConvGeometry g)
    {
        if (UseOps) return Ops.Conv2dBackwardWeight(x, gy, new[] { g.O, g.Cg, g.KH, g.KW }, S(g), P(g), D(g), g.Groups);
        int ohw = g.OH * g.OW;
        var gw = new Tensor(g.O, g.Cg, g.KH, g.KW);
        var partials = new List<float[]>();
        Samples(g.N, (s, e) =>
        {
            var acc = new float[gw.Numel];
            var col = g.Pointwise ? null : Scratch(ref _col, g.Kg * ohw);
            for (long n = s; n < e; n++)
                for (int gr = 0; gr < g.Groups; gr++)
                {
                    var xin = x.Data.AsSpan((int)((n * g.C + gr * g.Cg) * g.H * g.W), g.Cg * g.H * g.W);
                    ReadOnlySpan<float> b = xin;
                    if (col is not null) { Im2Col(xin, g, col); b = col.AsSpan(0, g.Kg * ohw); }
                    Gemm.Sgemm(false, true, g.Og, g.Kg, ohw, 1f, gy.Data.AsSpan((int)((n * g.O + gr * g.Og) * ohw), g.Og * ohw), ohw,
                        b, ohw, 1f, acc.AsSpan(gr * g.Og * g.Kg, g.Og * g.Kg), g.Kg);
                }
            lock (partials) partials.Add(acc);
        });
        foreach (var p in partials) System.Numerics.Tensors.TensorPrimitives.Add(gw.Data, p, gw.Data);
        return gw;
    }

    // One column buffer per thread, reused across calls (these are large-object-heap sized and allocated per batch otherwise).
    [ThreadStatic] private static float[]? _col;

    private static float[] Scratch(ref float[]? buf, int size)
    {
        if (buf is null || buf.Length < size) buf = new float[size];
        return buf;
    }

    private static void Samples(int n, Action<long, long> body) => Parallelism.Chunks(n, 1, body);

    private static void Im2Col(ReadOnlySpan<float> x, ConvGeometry g, float[] col)
    {
        int oh = g.OH, ow = g.OW, ohw = oh * ow;
        for (int c = 0; c < g.Cg; c++)
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    var row = col.AsSpan(((c * g.KH + i) * g.KW + j) * ohw, ohw);
                    for (int r = 0; r < oh; r++)
                    {
                        int h = r * g.SH - g.PH + i * g.DH;
                        var dst = row.Slice(r * ow, ow);
                        if ((uint)h >= (uint)g.H) { dst.Clear(); continue; }
                        var src = x.Slice((c * g.H + h) * g.W, g.W);
                        int off = j * g.DW - g.PW;
                        if (g.SW == 1)
                        {
                            int lo = Math.Max(0, -off), hi = Math.Min(ow, g.W - off);
                            if (hi <= lo) { dst.Clear(); continue; }
                            dst[..lo].Clear();
                            src.Slice(lo + off, hi - lo).CopyTo(dst[lo..hi]);
                            dst[hi..].Clear();
                        }
                        else
                            for (int q = 0; q < ow; q++)
                            {
                                int wi = q * g.SW + off;
                                dst[q] = (uint)wi < (uint)g.W ? src[wi] : 0f;
                            }
                    }
                }
    }

    private static void Col2Im(float[] col, ConvGeometry g, Span<float> x)
    {
        int oh = g.OH, ow = g.OW, ohw = oh * ow;
        x.Clear();
        for (int c = 0; c < g.Cg; c++)
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    var row = col.AsSpan(((c * g.KH + i) * g.KW + j) * ohw, ohw);
                    for (int r = 0; r < oh; r++)
                    {
                        int h = r * g.SH - g.PH + i * g.DH;
                        if ((uint)h >= (uint)g.H) continue;
                        var src = row.Slice(r * ow, ow);
                        var dst = x.Slice((c * g.H + h) * g.W, g.W);
                        int off = j * g.DW - g.PW;
                        if (g.SW == 1)
                        {
                            int lo = Math.Max(0, -off), hi = Math.Min(ow, g.W - off);
                            if (hi > lo)
                                System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(lo + off, hi - lo), src[lo..hi], dst.Slice(lo + off, hi - lo));
                        }
                        else
                            for (int q = 0; q < ow; q++)
                            {
                                int wi = q * g.SW + off;
                                if ((uint)wi < (uint)g.W) dst[wi] += src[q];
                            }
                    }
                }
    }
}
