using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Correlation dimension (Grassberger &amp; Procaccia 1983): the correlation integral C(r), the fraction of ordered
/// pairs closer than r, grows as r^d, so d̂ = log(C(r₂)/C(r₁)) / log(r₂/r₁). As in scikit-dimension the two radii are
/// the medians over points of the k₁-th and k₂-th neighbour distances (k₁ = ⌊k/2⌋, k₂ = k). Pair counts are exact
/// (screened by GEMM, near-threshold pairs recomputed).
/// </summary>
public static class CorrelationDimension
{
    /// <summary>The two radii and, per point, how many other points lie strictly inside each.</summary>
    public sealed record Counts(double R1, double R2, long[] Inside1, long[] Inside2);

    public static Counts Count(DMatrix points, KnnResult knn, int k1, int k2)
    {
        if (k1 < 1 || k2 <= k1) throw new AtlasArgumentException("k", $"the correlation dimension needs 1 ≤ k1 < k2, got k1 = {k1}, k2 = {k2}");
        if (k2 > knn.K) throw new AtlasArgumentException("k", $"k2 = {k2} exceeds the {knn.K} neighbours in the lists");
        var c1 = new double[knn.Count];
        var c2 = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++) { c1[i] = knn.Distance(i, k1 - 1); c2[i] = knn.Distance(i, k2 - 1); }
        double r1 = Statistics.Median(c1), r2 = Statistics.Median(c2);
        if (!(r2 > r1) || r1 <= 0)
            throw new AtlasArgumentException("points", $"the median {k1}-th and {k2}-th neighbour radii are {r1} and {r2}; the correlation dimension needs 0 < r1 < r2");
        var counts = PairwiseDistances.CountNeighborsWithin(points, new[] { r1, r2 });
        return new Counts(r1, r2, counts[0], counts[1]);
    }

    /// <summary>d̂ from the counts of the points listed in <paramref name="rows"/> (all points when null).</summary>
    public static double Estimate(Counts c, int[]? rows = null)
    {
        double s1 = 0, s2 = 0;
        int n = rows?.Length ?? c.Inside1.Length;
        for (int t = 0; t < n; t++)
        {
            int i = rows is null ? t : rows[t];
            s1 += c.Inside1[i];
            s2 += c.Inside2[i];
        }
        if (s1 <= 0) throw new AtlasArgumentException("points", $"no pair of points is closer than r1 = {c.R1}; the correlation dimension is undefined");
        return Math.Log(s2 / s1) / Math.Log(c.R2 / c.R1);
    }
}
