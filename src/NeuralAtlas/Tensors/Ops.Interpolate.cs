namespace NeuralAtlas.Tensors;

/// <summary>Modes of <see cref="Ops.Interpolate"/>.</summary>
public enum InterpolateMode { Nearest, Bilinear }

/// <summary>Resizing NCHW images (torch.nn.functional.interpolate with an output size) and its backward kernel.</summary>
public static partial class Ops
{
    /// <summary>
    /// Resizes [N, C, H, W] to [N, C, outH, outW]. Nearest: source index ⌊dst·H/outH⌋ (torch 'nearest').
    /// Bilinear: align_corners maps corner pixel centres onto each other, otherwise half-pixel centres with
    /// negative source coordinates clamped to 0 (as torch).
    /// </summary>
    public static Tensor Interpolate(Tensor x, int outH, int outW, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        CheckNchw("interpolate", x);
        if (outH < 1 || outW < 1) throw new AtlasArgumentException("size", $"must be positive, got ({outH}, {outW})");
        if (mode == InterpolateMode.Nearest && alignCorners) throw new AtlasArgumentException("alignCorners", "only applies to bilinear interpolation");
        var y = Tensor.Uninitialized(new[] { x.Shape[0], x.Shape[1], outH, outW });
        InterpCore(x.Data, x.Shape[2], x.Shape[3], y.Data, outH, outW, (long)x.Shape[0] * x.Shape[1], mode, alignCorners, backward: false);
        return y;
    }

    /// <summary>Gradient of <see cref="Interpolate"/> with respect to its input of shape <paramref name="inputShape"/>.</summary>
    public static Tensor InterpolateBackward(Tensor gradOut, int[] inputShape, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        if (gradOut.Rank != 4 || inputShape.Length != 4 || gradOut.Shape[0] != inputShape[0] || gradOut.Shape[1] != inputShape[1])
            throw new ShapeMismatchException("interpolate_backward", gradOut.Shape, inputShape);
        var gx = new Tensor(inputShape);
        InterpCore(gx.Data, inputShape[2], inputShape[3], gradOut.Data, gradOut.Shape[2], gradOut.Shape[3], (long)inputShape[0] * inputShape[1], mode, alignCorners, backward: true);
        return gx;
    }

    // Per output coordinate: two source indices and their weights (nearest uses only the first, weight 1).
    private static (int[] i0, int[] i1, float[] l1) Coords(int inSize, int outSize, InterpolateMode mode, bool alignCorners)
    {
        var i0 = new int[outSize];
        var i1 = new int[outSize];
        var l1 = new float[outSize];
        if (mode == InterpolateMode.Nearest)
        {
            float scale = (float)inSize / outSize;
            for (int d = 0; d < outSize; d++) { i0[d] = Math.Min((int)MathF.Floor(d * scale), inSize - 1); i1[d] = i0[d]; }
            return (i0, i1, l1);
        }
        float sc = alignCorners ? (outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : 0f) : (float)inSize / outSize;
        for (int d = 0; d < outSize; d++)
        {
            float src = alignCorners ? sc * d : Math.Max(sc * (d + 0.5f) - 0.5f, 0f);
            int a = Math.Min((int)src, inSize - 1);
            i0[d] = a;
            i1[d] = a < inSize - 1 ? a + 1 : a;
            l1[d] = src - a;
        }
        return (i0, i1, l1);
    }

    private static void InterpCore(float[] x, int h, int w, float[] y, int oh, int ow, long planes, InterpolateMode mode, bool alignCorners, bool backward)
    {
        var (r0, r1, rl) = Coords(h, oh, mode, alignCorners);
        var (c0, c1, cl) = Coords(w, ow, mode, alignCorners);
        bool nearest = mode == InterpolateMode.Nearest;
        Parallelism.Chunks(planes, Math.Max(1, ElementGrain / Math.Max(1, (long)oh * ow)), (s, e) =>
        {
            for (long p = s; p < e; p++)
            {
                long xb = p * h * w, yb = p * oh * ow;
                for (int i = 0; i < oh; i++)
                {
                    long a0 = xb + (long)r0[i] * w, a1 = xb + (long)r1[i] * w;
                    float lb = rl[i], la = 1 - lb;
                    for (int j = 0; j < ow; j++)
                    {
                        long at = yb + (long)i * ow + j;
                        if (nearest)
                        {
                            if (backward) x[a0 + c0[j]] += y[at];
                            else y[at] = x[a0 + c0[j]];
                            continue;
                        }
                        float rb = cl[j], ra = 1 - rb;
                        if (!backward)
                            y[at] = la * (ra * x[a0 + c0[j]] + rb * x[a0 + c1[j]]) + lb * (ra * x[a1 + c0[j]] + rb * x[a1 + c1[j]]);
                        else
                        {
                            float gv = y[at];
                            x[a0 + c0[j]] += la * ra * gv; x[a0 + c1[j]] += la * rb * gv;
                            x[a1 + c0[j]] += lb * ra * gv; x[a1 + c1[j]] += lb * rb * gv;
                        }
                    }
                }
            }
        });
    }
}
