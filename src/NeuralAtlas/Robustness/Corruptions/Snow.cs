using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Snow as in ImageNet-C: a thresholded, zoomed Gaussian field of flakes, motion-blurred at a random falling
/// angle, added twice (and rotated 180°) over a scene whitened towards 1.5·gray + 0.5.
/// </summary>
public sealed class Snow : Corruption
{
    internal static readonly (double Loc, double Scale, double Zoom, double Threshold, int Radius, double Sigma, double Blend)[] Params =
    {
        (0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
        (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55),
    };

    public override string Name => "snow";
    public override string Family => "weather";

    /// <summary>The flake layer (before adding), shared by <see cref="MultispectralSnow"/> so every band sees the same flakes.</summary>
    internal static double[] Flakes(int h, int w, int severity, Rng rng)
    {
        var c = Params[severity - 1];
        var field = new double[h * w];
        for (int i = 0; i < field.Length; i++) field[i] = rng.Normal(c.Loc, c.Scale);
        field = ImagePlanes.CenterZoom(field, h, w, c.Zoom);
        for (int i = 0; i < field.Length; i++) if (field[i] < c.Threshold) field[i] = 0;
        field = MotionBlur.Blur(field, h, w, c.Radius, c.Sigma, rng.Uniform(-135, -45));
        var both = new double[field.Length];
        for (int i = 0; i < field.Length; i++) both[i] = field[i] + field[field.Length - 1 - i];
        return both;
    }

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double blend = Params[severity - 1].Blend;
        var flakes = Flakes(h, w, severity, rng);
        var gray = Gray(planes);
        foreach (var p in planes)
            for (int i = 0; i < p.Length; i++)
                p[i] = blend * p[i] + (1 - blend) * Math.Max(p[i], gray[i] * 1.5 + 0.5) + flakes[i];
        return planes;
    }
}
