namespace NeuralAtlas.Tensors;

/// <summary>Pooling over NCHW (max with indices, average, adaptive average) and the backward kernels, as torch.nn.functional.</summary>
public static partial class Ops
{
    private static int PoolOut(string op, int size, int k, int s, int p, int d, bool ceil)
    {
        if (k < 1 || s < 1 || d < 1) throw new AtlasArgumentException(op, $"kernel {k}, stride {s} and dilation {d} must be positive");
        if (p < 0 || 2 * p > k)
            throw new AtlasArgumentException("padding", $"{op}: padding {p} must be at most half the kernel size {k}");
        int span = size + 2 * p - d * (k - 1) - 1;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        if (span < 0 || o <= 0) throw new ShapeMismatchException(op, $"kernel {k} (dilation {d}) does not fit input size {size} with padding {p}");
        return o;
    }

    private static void CheckNchw(string op, Tensor x)
    {
        if (x.Rank != 4) throw new ShapeMismatchException(op, $"input must be [N, C, H, W], got {ShapeMismatchException.Format(x.Shape)}");
    }

    /// <summary>max_pool2d with a square kernel; stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int? stride, int padding, out int[] indices, int dilation = 1, bool ceilMode = false)
        => MaxPool2d(x, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding), out indices, (dilation, dilation), ceilMode);

    /// <summary>
    /// max_pool2d on [N, C, H, W]; <paramref name="indices"/> holds, for each output element, the flat index h·W + w
    /// of the chosen input inside its (n, c) plane, as torch's return_indices.
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, (int, int) kernel, (int, int) stride, (int, int) padding, out int[] indices, (int, int) dilation, bool ceilMode = false)
    {
        CheckNchw("max_pool2d", x);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = PoolOut("max_pool2d", h, kernel.Item1, stride.Item1, padding.Item1, dilation.Item1, ceilMode);
        int ow = PoolOut("max_pool2d", w, kernel.Item2, stride.Item2, padding.Item2, dilation.Item2, ceilMode);
        var y = Tensor.Uninitialized(new[] { n, c, oh, ow });
        var idx = GC.AllocateUninitializedArray<int>(y.Numel);
        var (kh, kw) = kernel; var (sh, sw) = stride; var (ph, pw) = padding; var (dh, dw) = dilation;
        Parallelism.Chunks((long)n * c, Math.Max(1, ElementGrain / Math.Max(1, h * w)), (s0, e0) =>
        {
            for (long plane = s0; plane < e0; plane++)
            {
                int xb = (int)(plane * h * w), yb = (int)(plane * oh * ow);
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        float best = float.NegativeInfinity;
                        int bi = -1;
                        for (int a = 0; a < kh; a++)
                        {
                            int ih = i * sh - ph + a * dh;
                            if ((uint)ih >= (uint)h) continue;
                            for (int b = 0; b < kw; b++)
                            {
                                int iw = j * sw - pw + b * dw;
                                if ((uint)iw >= (uint)w) continue;
                                float v = x.Data[xb + ih * w + iw];
                                if (v > best || float.IsNaN(v) || bi < 0) { best = v; bi = ih * w + iw; if (float.IsNaN(v)) goto done; }
                            }
                        }
                    done:
                        y.Data[yb + i * ow + j] = best;
                        idx[yb + i * ow + j] = bi;
                    }
            }
        });
        indices = idx;
        return y;
    }

    /// <summary>Gradient of max_pool2d: each output gradient goes to the input position recorded in <paramref name="indices"/>.</summary>
    public static Tensor MaxPool2dBackward(Tensor gradOut, int[] indices, int[] inputShape)
    {
        if (inputShape.Length != 4 || gradOut.Rank != 4 || gradOut.Shape[0] != inputShape[0] || gradOut.Shape[1] != inputShape[1] || indices.Length != gradOut.Numel)
            throw new ShapeMismatchException("max_pool2d_backward", gradOut.Shape, inputShape, "gradient, indices and input shape do not belong together");
        var gx = new Tensor(inputShape);
        int hw = inputShape[2] * inputShape[3], p = gradOut.Shape[2] * gradOut.Shape[3];
        long planes = (long)inputShape[0] * inputShape[1];
        Parallelism.Chunks(planes, Math.Max(1, ElementGrain / Math.Max(1, p)), (s, e) =>
        {
            for (long plane = s; plane < e; plane++)
                for (int k = 0; k < p; k++)
                {
                    int at = (int)(plane * p + k), src = indices[at];
                    if ((uint)src >= (uint)hw) throw new AtlasArgumentException("indices", $"index {src} is outside a plane of {hw}");
                    gx.Data[plane * hw + src] += gradOut.Data[at];
                }
        });
        return gx;
    }

    /// <summary>avg_pool2d with a square kernel; stride defaults to the kernel size.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
        => AvgPool2d(x, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding), ceilMode, countIncludePad, divisorOverride);

    /// <summary>avg_pool2d on [N, C, H, W] with torch's ceil_mode / count_include_pad / divisor_override rules.</summary>
    public static Tensor AvgPool2d(Tensor x, (int, int) kernel, (int, int) stride, (int, int) padding, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        CheckNchw("avg_pool2d", x);
        var y = AvgPoolCore(x.Data, x.Shape, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride, null, out var outShape);
        return new Tensor(outShape, y);
    }

    /// <summary>Gradient of avg_pool2d (same parameters as the forward call).</summary>
    public static Tensor AvgPool2dBackward(Tensor gradOut, int[] inputShape, (int, int) kernel, (int, int) stride, (int, int) padding, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        if (inputShape.Length != 4) throw new ShapeMismatchException("avg_pool2d_backward", gradOut.Shape, inputShape, "input must be [N, C, H, W]");
        var gx = new float[Tensor.ShapeSize(inputShape)];
        AvgPoolCore(gx, inputShape, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride, gradOut, out _);
        return new Tensor(inputShape, gx);
    }

    /// <summary>Gradient of avg_pool2d with a square kernel.</summary>
    public static Tensor AvgPool2dBackward(Tensor gradOut, int[] inputShape, int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
        => AvgPool2dBackward(gradOut, inputShape, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding), ceilMode, countIncludePad, divisorOverride);

    // Forward (gradOut null): returns the pooled values. Backward: scatters gradOut into x (the gradient buffer).
    private static float[] AvgPoolCore(float[] x, int[] shape, (int, int) kernel, (int, int) stride, (int, int) padding, bool ceil, bool includePad, int? divisor, Tensor? gradOut, out int[] outShape)
    {
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var (kh, kw) = kernel; var (sh, sw) = stride; var (ph, pw) = padding;
        int oh = PoolOut("avg_pool2d", h, kh, sh, ph, 1, ceil), ow = PoolOut("avg_pool2d", w, kw, sw, pw, 1, ceil);
        outShape = new[] { n, c, oh, ow };
        if (divisor is int dv && dv == 0) throw new AtlasArgumentException("divisorOverride", "must be nonzero");
        if (gradOut is not null && !gradOut.Shape.AsSpan().SequenceEqual(outShape))
            throw new ShapeMismatchException("avg_pool2d_backward", gradOut.Shape, outShape, "the gradient must have the pooled shape");
        var y = gradOut is null ? new float[(long)n * c * oh * ow] : Array.Empty<float>();
        Parallelism.Chunks((long)n * c, Math.Max(1, ElementGrain / Math.Max(1, h * w)), (s0, e0) =>
        {
            for (long plane = s0; plane < e0; plane++)
            {
                long xb = plane * h * w, yb = plane * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int h0 = i * sh - ph, w0 = j * sw - pw;
                        int h1 = Math.Min(h0 + kh, h + ph), w1 = Math.Min(w0 + kw, w + pw);
                        int poolSize = (h1 - h0) * (w1 - w0);
                        h0 = Math.Max(h0, 0); w0 = Math.Max(w0, 0);
                        h1 = Math.Min(h1, h); w1 = Math.Min(w1, w);
                        int div = divisor ?? (includePad ? poolSize : (h1 - h0) * (w1 - w0));
                        if (gradOut is null)
                        {
                            double sum = 0;
                            for (int a = h0; a < h1; a++)
                                for (int b = w0; b < w1; b++) sum += x[xb + a * w + b];
                            y[yb + i * ow + j] = div == 0 ? 0 : (float)(sum / div);
                        }
                        else
                        {
                            float gval = div == 0 ? 0 : gradOut.Data[yb + i * ow + j] / div;
                            for (int a = h0; a < h1; a++)
                                for (int b = w0; b < w1; b++) x[xb + a * w + b] += gval;
                        }
                    }
            }
        });
        return y;
    }

    /// <summary>adaptive_avg_pool2d to (outH, outW): bin i covers rows ⌊i·H/outH⌋ .. ⌈(i+1)·H/outH⌉.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, int outH, int outW)
    {
        CheckNchw("adaptive_avg_pool2d", x);
        if (outH < 1 || outW < 1) throw new AtlasArgumentException("outputSize", $"must be positive, got ({outH}, {outW})");
        var y = new Tensor(x.Shape[0], x.Shape[1], outH, outW);
        AdaptiveCore(x.Data, x.Shape, y.Data, outH, outW, backward: false);
        return y;
    }

    /// <summary>Gradient of adaptive_avg_pool2d.</summary>
    public static Tensor AdaptiveAvgPool2dBackward(Tensor gradOut, int[] inputShape)
    {
        if (gradOut.Rank != 4 || inputShape.Length != 4 || gradOut.Shape[0] != inputShape[0] || gradOut.Shape[1] != inputShape[1])
            throw new ShapeMismatchException("adaptive_avg_pool2d_backward", gradOut.Shape, inputShape);
        var gx = new Tensor(inputShape);
        AdaptiveCore(gx.Data, inputShape, gradOut.Data, gradOut.Shape[2], gradOut.Shape[3], backward: true);
        return gx;
    }

    private static void AdaptiveCore(float[] x, int[] shape, float[] y, int oh, int ow, bool backward)
    {
        int h = shape[2], w = shape[3];
        Parallelism.Chunks((long)shape[0] * shape[1], Math.Max(1, ElementGrain / Math.Max(1, h * w)), (s0, e0) =>
        {
            for (long plane = s0; plane < e0; plane++)
            {
                long xb = plane * h * w, yb = plane * oh * ow;
                for (int i = 0; i < oh; i++)
                {
                    int h0 = (int)((long)i * h / oh), h1 = (int)(((long)(i + 1) * h + oh - 1) / oh);
                    for (int j = 0; j < ow; j++)
                    {
                        int w0 = (int)((long)j * w / ow), w1 = (int)(((long)(j + 1) * w + ow - 1) / ow);
                        int cnt = (h1 - h0) * (w1 - w0);
                        if (!backward)
                        {
                            double sum = 0;
                            for (int a = h0; a < h1; a++)
                                for (int b = w0; b < w1; b++) sum += x[xb + a * w + b];
                            y[yb + i * ow + j] = (float)(sum / cnt);
                        }
                        else
                        {
                            float gval = y[yb + i * ow + j] / cnt;
                            for (int a = h0; a < h1; a++)
                                for (int b = w0; b < w1; b++) x[xb + a * w + b] += gval;
                        }
                    }
                }
            }
        });
    }
}
