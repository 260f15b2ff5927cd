using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Pixelation: box-downsample to a fraction c (0.6 … 0.25) of each side, then nearest-neighbour upsample.</summary>
public sealed class Pixelate : Corruption
{
    public static readonly double[] Fraction = { 0.6, 0.5, 0.4, 0.3, 0.25 };
    public override string Name => "pixelate";
    public override string Family => "digital";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double c = Pick(Fraction, severity);
        int sh = Math.Max(1, (int)(h * c)), sw = Math.Max(1, (int)(w * c));
        return planes.Select(p =>
        {
            var small = BoxResample(p, h, w, sh, sw);
            return BoxResample(small, sh, sw, h, w);
        }).ToArray();
    }

    /// <summary>Area-weighted (box) resampling, centre-aligned, like PIL's BOX filter in both directions.</summary>
    public static double[] BoxResample(double[] p, int h, int w, int oh, int ow)
    {
        var wy = Weights(h, oh);
        var wx = Weights(w, ow);
        var res = new double[oh * ow];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                double s = 0, tot = 0;
                foreach (var (iy, fy) in wy[y])
                    foreach (var (ix, fx) in wx[x])
                    {
                        s += fy * fx * p[iy * w + ix];
                        tot += fy * fx;
                    }
                res[y * ow + x] = s / tot;
            }
        return res;
    }

    private static List<(int Index, double Weight)>[] Weights(int n, int m)
    {
        double scale = (double)n / m;
        var res = new List<(int, double)>[m];
        for (int o = 0; o < m; o++)
        {
            double a = o * scale, b = (o + 1) * scale;
            res[o] = new List<(int, double)>();
            for (int i = (int)Math.Floor(a); i < Math.Min(n, (int)Math.Ceiling(b)); i++)
            {
                double overlap = Math.Min(b, i + 1) - Math.Max(a, i);
                if (overlap > 1e-12) res[o].Add((i, overlap));
            }
        }
        return res;
    }
}
