using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Maximum-likelihood dimension (Levina &amp; Bickel 2004): treating neighbours within r_k as a Poisson process of rate
/// ∝ r^d gives m̂_k(x) = (k − 1) / Σ_{j=1..k} log(r_k / r_j) at each point. MacKay &amp; Ghahramani (2005) showed the
/// right way to pool is to average the inverses (the rates), so the global value is the harmonic mean of m̂_k.
/// </summary>
public static class LevinaBickel
{
    /// <summary>m̂_k at each point from its first k neighbour distances.</summary>
    public static double[] Pointwise(KnnResult knn, int k)
    {
        Require(knn, k, "MLE");
        var m = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++)
        {
            var r = knn.DistanceRow(i);
            double rk = r[k - 1], s = 0;
            if (r[0] <= 0) throw Duplicate(i, "MLE");
            for (int j = 0; j < k; j++) s += Math.Log(rk / r[j]);
            if (s == 0) throw Degenerate(i, k, "MLE");
            m[i] = (k - 1) / s;
        }
        return m;
    }

    /// <summary>The MacKay–Ghahramani pooled estimate: 1 / mean(1 / m̂).</summary>
    public static double Combine(ReadOnlySpan<double> pointwise)
    {
        double s = 0;
        foreach (double v in pointwise) s += 1 / v;
        return pointwise.Length / s;
    }

    internal static void Require(KnnResult knn, int k, string who)
    {
        if (k < 2) throw new AtlasArgumentException("k", $"{who} needs at least 2 neighbours, got {k}");
        if (k > knn.K) throw new AtlasArgumentException("k", $"{who} with k = {k} needs lists of at least {k} neighbours, they hold {knn.K}");
    }

    internal static AtlasArgumentException Duplicate(int i, string who) =>
        new("points", $"point {i} has a neighbour at distance 0 (a duplicate point); {who} needs distinct points");

    internal static AtlasArgumentException Degenerate(int i, int k, string who) =>
        new("points", $"at point {i} all {k} nearest neighbours are equidistant (lattice-like data), so {who} is undefined there; use another k or add jitter");
}
