using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Brightness: V += c in HSV for RGB images (c = 0.1 … 0.5), which keeps hue and saturation; for other channel
/// counts every band is raised by c.
/// </summary>
public sealed class Brightness : Corruption
{
    public static readonly double[] Shift = { 0.1, 0.2, 0.3, 0.4, 0.5 };
    public override string Name => "brightness";
    public override string Family => "digital";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double c = Pick(Shift, severity);
        if (planes.Length != 3)
        {
            foreach (var p in planes)
                for (int i = 0; i < p.Length; i++) p[i] = Math.Clamp(p[i] + c, 0, 1);
            return planes;
        }
        for (int i = 0; i < planes[0].Length; i++)
        {
            double r = planes[0][i], g = planes[1][i], b = planes[2][i];
            double v = Math.Max(r, Math.Max(g, b));
            if (v <= 0)
            {
                planes[0][i] = planes[1][i] = planes[2][i] = Math.Min(c, 1);
                continue;
            }
            // Raising V with H and S fixed scales every component by V'/V.
            double scale = Math.Min(v + c, 1) / v;
            planes[0][i] = r * scale;
            planes[1][i] = g * scale;
            planes[2][i] = b * scale;
        }
        return planes;
    }
}
