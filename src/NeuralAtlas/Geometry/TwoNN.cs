using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// TwoNN (Facco, d'Errico, Rodriguez, Laio 2017). On a d-dimensional manifold with locally uniform density the
/// ratio μ = r₂/r₁ of second to first neighbour distance is Pareto with F(μ) = 1 − μ^(−d), so −log(1 − F(μ)) =
/// d·log μ: sort the μ, take the empirical F_i = i/N, drop the largest fraction (their tail is the least
/// reliable), and fit the slope of a line through the origin (as scikit-dimension fits it).
/// </summary>
public static class TwoNN
{
    /// <summary>μ_i = r₂/r₁ for each point (the lists must hold at least 2 neighbours, r₁ &gt; 0).</summary>
    public static double[] Ratios(KnnResult knn)
    {
        if (knn.K < 2) throw new AtlasArgumentException("k", $"TwoNN needs 2 neighbours per point, the lists hold {knn.K}");
        var mu = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++)
        {
            double r1 = knn.Distance(i, 0);
            if (r1 <= 0) throw new AtlasArgumentException("points", $"point {i} has a neighbour at distance 0 (a duplicate point); TwoNN needs distinct points");
            mu[i] = knn.Distance(i, 1) / r1;
        }
        return mu;
    }

    /// <summary>The slope d of −log(1 − i/N) against log μ₍ᵢ₎ over the smallest ⌊N(1 − discard)⌋ ratios.</summary>
    public static double Fit(ReadOnlySpan<double> mu, double discardFraction = 0.1)
    {
        if (!(discardFraction >= 0 && discardFraction < 1)) throw new AtlasArgumentException("discard-fraction", $"must be in [0, 1), got {discardFraction}");
        int n = mu.Length;
        var sorted = mu.ToArray();
        Array.Sort(sorted);
        int m = (int)(n * (1 - discardFraction));
        if (m < 2) throw new AtlasArgumentException("points", $"TwoNN keeps {m} of {n} ratios after discarding {discardFraction}; at least 2 are needed");
        double sxy = 0, sxx = 0;
        for (int i = 0; i < m; i++)
        {
            double x = Math.Log(sorted[i]);
            double y = -Math.Log(1 - (double)i / n);
            sxy += x * y;
            sxx += x * x;
        }
        if (sxx == 0) throw new AtlasArgumentException("points", "every kept ratio r₂/r₁ is 1 (first and second neighbours equidistant everywhere, e.g. a lattice); TwoNN is undefined");
        return sxy / sxx;
    }
}
