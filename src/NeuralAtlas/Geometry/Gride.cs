using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// GRIDE (Denti, Doimo, Laio, Mira 2022): the ratio μ = r_{n₂}/r_{n₁} of the n₂-th to the n₁-th neighbour distance
/// has density f(μ) = d(μ^d − 1)^{n₂−n₁−1} / (B(n₂ − n₁, n₁) μ^{(n₂−1)d+1}); its maximum-likelihood d, found by
/// bisection on the score, generalises TwoNN (n₁ = 1, n₂ = 2) to larger neighbourhoods. Doubling n₁ = 1, 2, 4, …
/// traces the dimension against scale, which separates noise (high ID at small scale) from the manifold. Follows
/// DADApy: ratios of 1 are nudged by 10ε, ratios above q₅₀ + 20(q₉₅ − q₅₀) are dropped as overlapping points, and
/// the score uses N − 1.
/// </summary>
public static class Gride
{
    private const double Regulariser = 1e-7;

    /// <summary>μ_i = r_{n₂}/r_{n₁} (neighbour ranks are 1-based: rank 1 is the nearest other point).</summary>
    public static double[] Ratios(KnnResult knn, int n1, int n2)
    {
        if (n1 < 1 || n2 <= n1) throw new AtlasArgumentException("gride-n2", $"GRIDE needs 1 ≤ n1 < n2, got {n1}, {n2}");
        if (n2 > knn.K) throw new AtlasArgumentException("k", $"GRIDE with n2 = {n2} needs {n2} neighbours, the lists hold {knn.K}");
        var mu = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++)
        {
            double a = knn.Distance(i, n1 - 1);
            if (a <= 0) throw LevinaBickel.Duplicate(i, "GRIDE");
            mu[i] = knn.Distance(i, n2 - 1) / a;
        }
        return mu;
    }

    /// <summary>The maximum-likelihood dimension in [d0, d1] from the ratios.</summary>
    public static double Fit(ReadOnlySpan<double> ratios, int n1, int n2, double d0 = 1e-3, double d1 = 1000)
    {
        var mus = Filter(ratios);
        if (mus.Length < 2) throw new AtlasArgumentException("points", $"GRIDE keeps {mus.Length} ratios after filtering; at least 2 are needed");
        var logs = new double[mus.Length];
        for (int i = 0; i < mus.Length; i++) logs[i] = Math.Log(mus[i]);
        double l1 = NegativeScore(d1, mus, logs, n1, n2);
        while (true)
        {
            double mid = (d0 + d1) / 2;
            if (mid <= d0 || mid >= d1) break;
            double l2 = NegativeScore(mid, mus, logs, n1, n2);
            if (l2 * l1 > 0) d1 = mid;
            else d0 = mid;
        }
        return (d0 + d1) / 2;
    }

    /// <summary>Estimates at n₁ = 2^i, n₂ = 2^(i+1) for every 2^(i+1) ≤ <paramref name="range"/>, with the mean n₂-th distance.</summary>
    public static IReadOnlyList<GrideScale> Multiscale(KnnResult knn, int range)
    {
        int steps = (int)Math.Floor(Math.Log2(range) + 1e-12);
        if (steps < 1) throw new AtlasArgumentException("gride-range", $"must be at least 2, got {range}");
        var list = new List<GrideScale>();
        for (int i = 0; i < steps; i++)
        {
            int n1 = 1 << i, n2 = 2 * n1;
            var mu = Ratios(knn, n1, n2);
            double mean = 0;
            for (int p = 0; p < knn.Count; p++) mean += knn.Distance(p, n2 - 1);
            list.Add(new GrideScale(n1, n2, mean / knn.Count, Fit(mu, n1, n2)));
        }
        return list;
    }

    internal static double[] Filter(ReadOnlySpan<double> ratios)
    {
        var mus = ratios.ToArray();
        for (int i = 0; i < mus.Length; i++) if (mus[i] == 1) mus[i] += 10 * PairwiseDistances.MachineEpsilon;
        var sorted = (double[])mus.Clone();
        Array.Sort(sorted);
        double q95 = Statistics.PercentileSorted(sorted, 95), q50 = Statistics.PercentileSorted(sorted, 50);
        double max = 20 * (q95 - q50) + q50;
        return mus.Where(m => m < max).ToArray();
    }

    private static double NegativeScore(double d, double[] mus, double[] logs, int n1, int n2)
    {
        double s = 0;
        for (int i = 0; i < mus.Length; i++)
        {
            double one = 1 - Math.Pow(mus[i], -d);
            if (one < 2 * Regulariser) one = 2 * Regulariser;
            s += ((1 - n2 + n1) / one + n2 - 1) * logs[i];
        }
        return s - (mus.Length - 1) / d;
    }
}
