using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Frost on the lens: a·x + b·frost with (a, b) = (1, 0.35) … (0.8, 0.75). ImageNet-C crops photographs of frost
/// and uses (1, 0.4) … (0.6, 0.75), which is not monotone in distortion with a generated texture.
/// Here the texture is generated: a smooth plasma haze plus branching ice-crystal streaks, slightly bluish on RGB.
/// The crystal cover grows with severity, so the distortion does too (the photographs' cover varies at random).
/// </summary>
public sealed class Frost : Corruption
{
    private static readonly (double Image, double Frost)[] Params = { (1, 0.35), (0.95, 0.45), (0.9, 0.55), (0.85, 0.65), (0.8, 0.75) };
    public override string Name => "frost";
    public override string Family => "weather";

    public static double[] Texture(int h, int w, int severity, Rng rng)
    {
        var haze = PlasmaFractal.Crop(h, w, 1.8, rng);
        var ice = new double[h * w];
        int crystals = (int)(Math.Max(8, h * w / 900) * (0.6 + 0.35 * severity));
        for (int c = 0; c < crystals; c++)
        {
            double y = rng.NextDouble() * h, x = rng.NextDouble() * w, angle = rng.NextDouble() * 2 * Math.PI;
            double intensity = 0.4 + 0.6 * rng.NextDouble();
            int length = 6 + rng.NextInt(Math.Max(8, Math.Min(h, w) / 4));
            for (int s = 0; s < length; s++)
            {
                int yi = (int)y, xi = (int)x;
                if (yi >= 0 && yi < h && xi >= 0 && xi < w) ice[yi * w + xi] = Math.Max(ice[yi * w + xi], intensity * (1 - (double)s / length));
                angle += rng.Normal(0, 0.25);
                y += Math.Sin(angle);
                x += Math.Cos(angle);
                if (rng.NextDouble() < 0.08) angle += (rng.NextDouble() < 0.5 ? 1 : -1) * Math.PI / 3; // dendritic branching
            }
        }
        ice = ImagePlanes.GaussianBlur(ice, h, w, 0.7);
        var t = new double[h * w];
        for (int i = 0; i < t.Length; i++) t[i] = Math.Clamp(0.1 + (0.2 + 0.05 * severity) * haze[i] + 1.2 * ice[i], 0, 1);
        return t;
    }

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (a, b) = Pick(Params, severity);
        var tex = Texture(h, w, severity, rng);
        for (int c = 0; c < planes.Length; c++)
        {
            double tint = planes.Length == 3 ? new[] { 0.92, 0.96, 1.0 }[c] : 1.0;
            var p = planes[c];
            for (int i = 0; i < p.Length; i++) p[i] = a * p[i] + b * tint * tex[i];
        }
        return planes;
    }
}
