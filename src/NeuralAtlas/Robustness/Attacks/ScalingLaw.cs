using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>One point of the scaling-law experiment: attack success in a random coordinate subspace.</summary>
public sealed record ScalingPoint(string Norm, double Ratio, int DimV, int DimX, double Epsilon, double EffectiveEpsilon, double SuccessRate);

/// <summary>
/// The dimension scaling law of subspace-restricted attacks: PGD success against ε for subspaces V of relative
/// dimension dim V / dim X (random pixel subsets, all channels of a chosen pixel), for each ℓp norm, reported both
/// against ε and against ε·(dim V / dim X)^{1/q}, on which the curves collapse for p &gt; 1.
/// </summary>
public static class ScalingLaw
{
    public static readonly double[] DefaultRatios = { 1.0 / 256, 1.0 / 64, 1.0 / 16, 1.0 / 4, 1 };

    public static IReadOnlyList<ScalingPoint> Run(Module model, Tensor images, IReadOnlyList<int> labels, IReadOnlyList<LpNorm> norms,
        IReadOnlyList<double> ratios, Func<LpNorm, IReadOnlyList<double>> epsilons, int steps = 10, int seed = 0, Action<int, int>? progress = null)
    {
        if (images.Rank != 4) throw new ShapeMismatchException("scaling law", $"images must be N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        int c = images.Shape[1], h = images.Shape[2], w = images.Shape[3], dimX = c * h * w;
        foreach (double r in ratios)
            if (!(r > 0 && r <= 1)) throw new AtlasArgumentException("ratios", $"subspace ratios must be in (0, 1], got {r}");
        var points = new List<ScalingPoint>();
        int total = norms.Sum(p => epsilons(p).Count) * ratios.Count, done = 0;
        foreach (var p in norms)
            foreach (double ratio in ratios)
            {
                var v = Subspace.Parse($"random-pixels:{ratio.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", c, h, w, seed);
                foreach (double eps in epsilons(p))
                {
                    var res = Pgd.Attack(model, images, labels, v, new PgdOptions { Norm = p, Epsilon = eps, Steps = steps, Seed = seed });
                    points.Add(new ScalingPoint(p.Name(), ratio, v.Dim, dimX, eps, LinearToyModel.EffectiveEpsilon(eps, v.Dim, dimX, p), res.SuccessRate));
                    progress?.Invoke(++done, total);
                }
            }
        return points;
    }

    /// <summary>
    /// How well the curves collapse: for each norm, the mean absolute difference in success between subspaces at
    /// matched effective ε (linear interpolation on each curve), over the overlapping range. Small for p &gt; 1.
    /// </summary>
    public static double CollapseSpread(IReadOnlyList<ScalingPoint> points, string norm)
    {
        var curves = points.Where(p => p.Norm == norm).GroupBy(p => p.Ratio)
            .Select(g => g.OrderBy(p => p.EffectiveEpsilon).Select(p => (X: p.EffectiveEpsilon, Y: p.SuccessRate)).ToArray()).Where(c => c.Length >= 2).ToList();
        if (curves.Count < 2) return double.NaN;
        double lo = curves.Max(c => c[0].X), hi = curves.Min(c => c[^1].X);
        if (!(hi > lo)) return double.NaN;
        double spread = 0;
        const int samples = 20;
        for (int i = 0; i <= samples; i++)
        {
            double x = lo + (hi - lo) * i / samples;
            var ys = curves.Select(c => Interpolate(c, x)).ToList();
            spread += ys.Max() - ys.Min();
        }
        return spread / (samples + 1);
    }

    private static double Interpolate((double X, double Y)[] c, double x)
    {
        for (int i = 1; i < c.Length; i++)
            if (x <= c[i].X)
            {
                double t = (x - c[i - 1].X) / Math.Max(c[i].X - c[i - 1].X, 1e-300);
                return c[i - 1].Y + t * (c[i].Y - c[i - 1].Y);
            }
        return c[^1].Y;
    }
}
