using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// ONNX Resize (nearest, linear) and Pad (reflect, edge) as gathers along one axis at a time, so they are
/// differentiable through <see cref="F.IndexSelect"/> (its backward scatters gradients back to the source pixels).
/// Linear resampling is separable: along each resized axis, out[o] = (1 − λ)·x[i0] + λ·x[i1] with the source
/// coordinate s of ONNX's coordinate_transformation_mode, clamped to [0, n − 1], i0 = ⌊s⌋, i1 = min(i0 + 1, n − 1),
/// λ = s − i0 — bilinear for two axes, as F.interpolate(mode="bilinear") and ONNX Runtime compute it.
/// </summary>
internal static class OnnxResample
{
    /// <summary>The source coordinate of output index <paramref name="o"/> (ONNX Resize's coordinate transforms).</summary>
    private static double Source(string mode, int o, int inN, int outN, double scale) => mode switch
    {
        "asymmetric" => o / scale,
        "align_corners" => outN == 1 ? 0 : o * (inN - 1.0) / (outN - 1.0),
        "pytorch_half_pixel" => outN == 1 ? 0 : (o + 0.5) / scale - 0.5,
        _ => (o + 0.5) / scale - 0.5, // half_pixel
    };

    public static Var Linear(Var x, int[] outShape, double[] scales, string mode)
    {
        for (int a = 0; a < x.Rank; a++)
        {
            int inN = x.Shape[a], outN = outShape[a];
            if (inN == outN && scales[a] == 1) continue;
            var i0 = new int[outN];
            var i1 = new int[outN];
            var lam = new float[outN];
            var keep = new float[outN];
            for (int o = 0; o < outN; o++)
            {
                double s = Math.Clamp(Source(mode, o, inN, outN, scales[a]), 0, inN - 1);
                int lo = (int)Math.Floor(s);
                i0[o] = lo;
                i1[o] = Math.Min(lo + 1, inN - 1);
                lam[o] = (float)(s - lo);
                keep[o] = 1 - lam[o];
            }
            var shape = Enumerable.Repeat(1, x.Rank).ToArray();
            shape[a] = outN;
            x = F.Add(F.Mul(F.IndexSelect(x, a, i0), F.Const(new Tensor(shape, keep))), F.Mul(F.IndexSelect(x, a, i1), F.Const(new Tensor(shape, lam))));
        }
        return x;
    }

    public static Var Nearest(Var x, int[] outShape, double[] scales, string mode, string nearestMode, Func<string, AtlasFormatException> bad)
    {
        for (int a = 0; a < x.Rank; a++)
        {
            int inN = x.Shape[a], outN = outShape[a];
            if (inN == outN && scales[a] == 1) continue;
            var idx = new int[outN];
            for (int o = 0; o < outN; o++)
            {
                double src = Source(mode, o, inN, outN, scales[a]);
                double r = nearestMode switch
                {
                    "floor" => Math.Floor(src),
                    "ceil" => Math.Ceiling(src),
                    "round_prefer_ceil" => Math.Floor(src + 0.5),
                    "round_prefer_floor" => Math.Ceiling(src - 0.5),
                    _ => throw bad($"nearest_mode floor, ceil, round_prefer_floor or round_prefer_ceil, not '{nearestMode}'"),
                };
                idx[o] = (int)Math.Clamp(r, 0, inN - 1);
            }
            x = F.IndexSelect(x, a, idx);
        }
        return x;
    }

    /// <summary>Pads each axis by gathering: reflect mirrors about the edge pixel (numpy's and F.pad's 'reflect'; as F.pad, pads must be
    /// below the axis length), edge repeats it.</summary>
    public static Var PadByIndex(Var x, int[] begin, int[] end, bool reflect, Func<string, AtlasFormatException> bad)
    {
        for (int a = 0; a < x.Rank; a++)
        {
            int b = begin[a], e = end[a], n = x.Shape[a];
            if (b == 0 && e == 0) continue;
            if (b < 0 || e < 0) throw bad($"non-negative pads in {(reflect ? "reflect" : "edge")} mode");
            if (reflect && (b >= n || e >= n)) throw bad($"reflect pads below the axis length {n} (got {b} and {e} on axis {a})");
            if (n == 0) throw bad($"a non-empty axis {a} to pad from");
            var idx = new int[n + b + e];
            for (int o = 0; o < idx.Length; o++)
            {
                int s = o - b;
                idx[o] = reflect ? (s < 0 ? -s : s >= n ? 2 * (n - 1) - s : s) : Math.Clamp(s, 0, n - 1);
            }
            x = F.IndexSelect(x, a, idx);
        }
        return x;
    }
}
