using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>One perturbation direction at an input: its name, its sub-frame ("augmentation", "noise", "adversarial", "user") and the C×H×W tangent vector.</summary>
public sealed record FrameDirection(string Name, string Group, Tensor Direction);

/// <summary>
/// Perturbation directions at one image x (C×H×W), each of unit L2 norm. The augmentation directions are the
/// infinitesimal generators of image transformations: for a flow field w(p) on the pixel plane,
/// d/dt x(p − t·w(p)) at t = 0 is −∇x(p)·w(p), with ∇x from central differences and w the rotation about the
/// centre, a translation, isotropic scaling or horizontal shear; brightness adds a constant, contrast adds x − mean x.
/// </summary>
public static class FrameDirections
{
    public static readonly string[] AugmentationNames = { "rotation", "translate-x", "translate-y", "scaling", "shear", "brightness", "contrast" };

    public static IReadOnlyList<FrameDirection> Augmentations(Tensor image)
    {
        var (c, h, w) = Chw(image);
        var gu = new float[c * h * w];
        var gv = new float[c * h * w];
        var x = image.Data;
        for (int ch = 0; ch < c; ch++)
            for (int v = 0; v < h; v++)
                for (int u = 0; u < w; u++)
                {
                    int i = (ch * h + v) * w + u;
                    int ul = Math.Max(u - 1, 0), ur = Math.Min(u + 1, w - 1), vd = Math.Max(v - 1, 0), vu = Math.Min(v + 1, h - 1);
                    gu[i] = (x[(ch * h + v) * w + ur] - x[(ch * h + v) * w + ul]) / Math.Max(1, ur - ul);
                    gv[i] = (x[(ch * h + vu) * w + u] - x[(ch * h + vd) * w + u]) / Math.Max(1, vu - vd);
                }
        double cu = (w - 1) / 2.0, cv = (h - 1) / 2.0;
        Tensor Flow(Func<double, double, (double du, double dv)> field)
        {
            var d = new float[c * h * w];
            for (int ch = 0; ch < c; ch++)
                for (int v = 0; v < h; v++)
                    for (int u = 0; u < w; u++)
                    {
                        int i = (ch * h + v) * w + u;
                        var (du, dv) = field(u - cu, v - cv);
                        d[i] = (float)(-(gu[i] * du + gv[i] * dv));
                    }
            return new Tensor(new[] { c, h, w }, d);
        }
        double mean = x.Average(t => (double)t);
        var list = new List<FrameDirection>
        {
            new("rotation", "augmentation", Flow((a, b) => (-b, a))),
            new("translate-x", "augmentation", Flow((_, _) => (1, 0))),
            new("translate-y", "augmentation", Flow((_, _) => (0, 1))),
            new("scaling", "augmentation", Flow((a, b) => (a, b))),
            new("shear", "augmentation", Flow((_, b) => (b, 0))),
            new("brightness", "augmentation", new Tensor(new[] { c, h, w }, Enumerable.Repeat(1f, c * h * w).ToArray())),
            new("contrast", "augmentation", new Tensor(new[] { c, h, w }, x.Select(t => (float)(t - mean)).ToArray())),
        };
        return list.Select(Normalised).ToList();
    }

    /// <summary>Isotropic Gaussian directions (seeded), unit norm.</summary>
    public static IReadOnlyList<FrameDirection> Noise(Tensor image, int count, Rng rng)
    {
        var (c, h, w) = Chw(image);
        var list = new List<FrameDirection>();
        for (int k = 0; k < count; k++)
        {
            var d = new float[c * h * w];
            for (int i = 0; i < d.Length; i++) d[i] = (float)rng.Normal();
            list.Add(Normalised(new FrameDirection($"noise-{k}", "noise", new Tensor(new[] { c, h, w }, d))));
        }
        return list;
    }

    /// <summary>The gradient of the cross-entropy loss at the true label with respect to the input (the FGSM direction before the sign), unit norm.</summary>
    public static FrameDirection Adversarial(Module model, Tensor image, int label)
    {
        var (c, h, w) = Chw(image);
        var grad = Functional.Grad(xv => F.CrossEntropy(model.Forward(xv), new Tensor(new[] { 1 }, new float[] { label })))(image.Reshape(1, c, h, w));
        return Normalised(new FrameDirection("adversarial", "adversarial", grad.Reshape(c, h, w)));
    }

    /// <summary>A user-given direction of the image's shape, unit norm.</summary>
    public static FrameDirection User(string name, Tensor image, Tensor direction)
    {
        var (c, h, w) = Chw(image);
        if (direction.Numel != c * h * w)
            throw new ShapeMismatchException("frame direction", image.Shape, direction.Shape, $"direction '{name}' must have the input's {c * h * w} values");
        return Normalised(new FrameDirection(name, "user", direction.Reshape(c, h, w)));
    }

    internal static (int C, int H, int W) Chw(Tensor image)
    {
        var s = image.Shape;
        if (s.Length == 4 && s[0] == 1) return (s[1], s[2], s[3]);
        if (s.Length == 3) return (s[0], s[1], s[2]);
        throw new ShapeMismatchException("frames", $"expected one image C×H×W (or 1×C×H×W), got {ShapeMismatchException.Format(s)}");
    }

    private static FrameDirection Normalised(FrameDirection d)
    {
        double n = Math.Sqrt(d.Direction.Data.Sum(v => (double)v * v));
        if (!(n > 0) || !double.IsFinite(n))
            throw new AtlasArgumentException("directions", $"direction '{d.Name}' is zero (or not finite) at this input (a constant image has no spatial gradient)");
        var data = d.Direction.Data.Select(v => (float)(v / n)).ToArray();
        return d with { Direction = new Tensor(d.Direction.Shape, data) };
    }
}
