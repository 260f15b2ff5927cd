using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Pooling over [N, C, H, W]. Max pooling routes gradients through the arg-max indices (scatter, whose adjoint is a
/// gather); average and adaptive average pooling are linear, with their adjoints as the backward.
/// </summary>
public static partial class F
{
    /// <summary>torch max_pool2d (floor mode, padding counts as −∞); stride defaults to the kernel size.</summary>
    public static Var MaxPool2d(Var x, int kernel, int? stride = null, int padding = 0)
    {
        CheckPool("max_pool2d", x, kernel, stride ?? kernel, padding);
        int s = stride ?? kernel;
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * padding - kernel) / s + 1, ow = (w + 2 * padding - kernel) / s + 1;
        var y = new Tensor(n, c, oh, ow);
        var idx = new int[y.Numel];
        var xd = x.Value.Data;
        Parallelism.Chunks((long)n * c, 16, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                int ib = (int)(p * h * w), ob = (int)(p * oh * ow);
                if (kernel == 2 && s == 2 && padding == 0)
                {
                    MaxPool2x2(xd, ib, w, y.Data, idx, ob, oh, ow);
                    continue;
                }
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        float best = float.NegativeInfinity;
                        int arg = -1;
                        for (int a = 0; a < kernel; a++)
                        {
                            int hi = i * s - padding + a;
                            if ((uint)hi >= (uint)h) continue;
                            for (int b = 0; b < kernel; b++)
                            {
                                int wi = j * s - padding + b;
                                if ((uint)wi >= (uint)w) continue;
                                float v = xd[ib + hi * w + wi];
                                if (v > best || float.IsNaN(v) || arg < 0) { best = v; arg = hi * w + wi; if (float.IsNaN(v)) goto done; }
                            }
                        }
                    done:
                        y.Data[ob + i * ow + j] = best;
                        idx[ob + i * ow + j] = arg;
                    }
            }
        });
        var planeShape = x.Shape;
        return Record(y, "max_pool2d", new[] { x }, g => new[] { PoolScatter(g, idx, planeShape) });
    }

    // The common 2×2 / stride 2 case without the general window loop: first maximum wins ties, NaN propagates.
    private static unsafe void MaxPool2x2(float[] x, int ib, int w, float[] y, int[] idx, int ob, int oh, int ow)
    {
        fixed (float* px = x, py = y)
        fixed (int* pi = idx)
        {
            for (int i = 0; i < oh; i++)
            {
                float* r0 = px + ib + 2 * i * w, r1 = r0 + w;
                float* yo = py + ob + i * ow;
                int* io = pi + ob + i * ow;
                int base0 = 2 * i * w;
                for (int j = 0; j < ow; j++)
                {
                    float a = r0[2 * j], b = r0[2 * j + 1], c = r1[2 * j], d = r1[2 * j + 1];
                    float best = a; int arg = 0;
                    if (b > best) { best = b; arg = 1; }
                    if (c > best) { best = c; arg = w; }
                    if (d > best) { best = d; arg = w + 1; }
                    if (float.IsNaN(a + b + c + d))
                    {
                        if (float.IsNaN(a)) { best = a; arg = 0; }
                        else if (float.IsNaN(b)) { best = b; arg = 1; }
                        else if (float.IsNaN(c)) { best = c; arg = w; }
                        else { best = d; arg = w + 1; }
                    }
                    yo[j] = best;
                    io[j] = base0 + 2 * j + arg;
                }
            }
        }
    }

    // Adds g[n,c,k] into a zero [N,C,H,W] at plane position idx[n,c,k]; its adjoint gathers.
    private static Var PoolScatter(Var g, int[] idx, int[] inShape)
    {
        int plane = inShape[2] * inShape[3], oplane = g.Shape[2] * g.Shape[3];
        var r = new Tensor(inShape);
        var gd = g.Value.Data;
        for (int p = 0; p < g.Numel / oplane; p++)
            for (int k = 0; k < oplane; k++) r.Data[p * plane + idx[p * oplane + k]] += gd[p * oplane + k];
        var outShape = g.Shape;
        return Record(r, "max_pool2d_backward", new[] { g }, gz => new[] { PoolGather(gz, idx, outShape) });
    }

    private static Var PoolGather(Var z, int[] idx, int[] outShape)
    {
        int plane = z.Shape[2] * z.Shape[3], oplane = outShape[2] * outShape[3];
        var r = new Tensor(outShape);
        var zd = z.Value.Data;
        for (int p = 0; p < r.Numel / oplane; p++)
            for (int k = 0; k < oplane; k++) r.Data[p * oplane + k] = zd[p * plane + idx[p * oplane + k]];
        var inShape = z.Shape;
        return Record(r, "max_pool2d_gather", new[] { z }, g => new[] { PoolScatter(g, idx, inShape) });
    }

    /// <summary>torch avg_pool2d (floor mode, count_include_pad=True); stride defaults to the kernel size.</summary>
    public static Var AvgPool2d(Var x, int kernel, int? stride = null, int padding = 0)
    {
        int s = stride ?? kernel;
        CheckPool("avg_pool2d", x, kernel, s, padding);
        int h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * padding - kernel) / s + 1, ow = (w + 2 * padding - kernel) / s + 1;
        var win = new Window[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int h0 = i * s - padding, w0 = j * s - padding;
                win[i * ow + j] = new Window(Math.Max(h0, 0), Math.Min(h0 + kernel, h), Math.Max(w0, 0), Math.Min(w0 + kernel, w), 1f / (kernel * kernel));
            }
        return LinearPool("avg_pool2d", x, win, oh, ow);
    }

    /// <summary>torch adaptive_avg_pool2d: output bin i covers ⌊iH/OH⌋ … ⌈(i+1)H/OH⌉.</summary>
    public static Var AdaptiveAvgPool2d(Var x, int outH, int outW)
    {
        if (x.Rank != 4) throw new ShapeMismatchException("adaptive_avg_pool2d", $"input must be [N, C, H, W], got {ShapeMismatchException.Format(x.Shape)}");
        if (outH <= 0 || outW <= 0) throw new AtlasArgumentException("output_size", $"must be positive, got ({outH}, {outW})");
        int h = x.Shape[2], w = x.Shape[3];
        var win = new Window[outH * outW];
        for (int i = 0; i < outH; i++)
            for (int j = 0; j < outW; j++)
            {
                int h0 = i * h / outH, h1 = ((i + 1) * h + outH - 1) / outH, w0 = j * w / outW, w1 = ((j + 1) * w + outW - 1) / outW;
                win[i * outW + j] = new Window(h0, h1, w0, w1, 1f / ((h1 - h0) * (w1 - w0)));
            }
        return LinearPool("adaptive_avg_pool2d", x, win, outH, outW);
    }

    private readonly record struct Window(int H0, int H1, int W0, int W1, float Scale);

    private static Var LinearPool(string name, Var x, Window[] win, int oh, int ow)
    {
        var y = PoolApply(x.Value, win, oh, ow);
        var inShape = x.Shape;
        return Record(y, name, new[] { x }, g => new[] { LinearPoolAdjoint(name, g, win, inShape) });
    }

    private static Var LinearPoolAdjoint(string name, Var g, Window[] win, int[] inShape)
    {
        var r = PoolAdjointApply(g.Value, win, inShape);
        int oh = g.Shape[2], ow = g.Shape[3];
        return Record(r, name + "_backward", new[] { g }, gz => new[] { LinearPool(name, gz, win, oh, ow) });
    }

    private static Tensor PoolApply(Tensor x, Window[] win, int oh, int ow)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = new Tensor(n, c, oh, ow);
        Parallelism.Chunks((long)n * c, 16, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                int ib = (int)(p * h * w), ob = (int)(p * oh * ow);
                for (int k = 0; k < win.Length; k++)
                {
                    var wd = win[k];
                    float acc = 0;
                    for (int a = wd.H0; a < wd.H1; a++)
                        for (int b = wd.W0; b < wd.W1; b++) acc += x.Data[ib + a * w + b];
                    y.Data[ob + k] = acc * wd.Scale;
                }
            }
        });
        return y;
    }

    private static Tensor PoolAdjointApply(Tensor g, Window[] win, int[] inShape)
    {
        int n = inShape[0], c = inShape[1], h = inShape[2], w = inShape[3], op = g.Shape[2] * g.Shape[3];
        var r = new Tensor(inShape);
        Parallelism.Chunks((long)n * c, 16, (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                int ib = (int)(p * h * w), ob = (int)(p * op);
                for (int k = 0; k < win.Length; k++)
                {
                    var wd = win[k];
                    float v = g.Data[ob + k] * wd.Scale;
                    for (int a = wd.H0; a < wd.H1; a++)
                        for (int b = wd.W0; b < wd.W1; b++) r.Data[ib + a * w + b] += v;
                }
            }
        });
        return r;
    }

    private static void CheckPool(string op, Var x, int kernel, int stride, int padding)
    {
        if (x.Rank != 4) throw new ShapeMismatchException(op, $"input must be [N, C, H, W], got {ShapeMismatchException.Format(x.Shape)}");
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2)
            throw new AtlasArgumentException("kernel_size", $"{op}: kernel {kernel} and stride {stride} must be positive and padding {padding} at most half the kernel");
        if (x.Shape[2] + 2 * padding < kernel || x.Shape[3] + 2 * padding < kernel)
            throw new ShapeMismatchException(op, $"kernel {kernel} is larger than the padded input {ShapeMismatchException.Format(x.Shape)}");
    }
}
