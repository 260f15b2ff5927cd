namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// A Marchenko–Pastur fit of the eigenvalues λ = σ²/N of WᵀW/N for an N×M weight matrix (N ≥ M, Q = N/M).
/// </summary>
/// <param name="Variance">The fitted element variance s² of the random bulk.</param>
/// <param name="Q">N / M ≥ 1.</param>
/// <param name="LambdaMinus">Bulk lower edge s²(1 − 1/√Q)².</param>
/// <param name="LambdaPlus">Bulk upper edge s²(1 + 1/√Q)².</param>
/// <param name="Threshold">λ₊ plus four Tracy–Widom scales: eigenvalues above it are counted as outliers.</param>
/// <param name="Outliers">The number of eigenvalues above <paramref name="Threshold"/>.</param>
/// <param name="BulkFraction">Share of eigenvalues inside [λ₋, λ₊] (up to the threshold).</param>
public sealed record MarchenkoPastur(double Variance, double Q, double LambdaMinus, double LambdaPlus, double Threshold, int Outliers, double BulkFraction)
{
    /// <summary>The MP density at λ for this fit.</summary>
    public double Density(double lambda)
    {
        if (lambda <= LambdaMinus || lambda >= LambdaPlus) return 0;
        return Q / (2 * Math.PI * Variance * lambda) * Math.Sqrt((LambdaPlus - lambda) * (lambda - LambdaMinus));
    }
}

/// <summary>
/// Fits the bulk of a weight spectrum with a Marchenko–Pastur law, as in random-matrix checks of trained weights
/// (Martin and Mahoney; DeepDataProfiler 2208.06894). The MP mean equals s², so s² is the mean of the eigenvalues
/// at or below the current outlier threshold, iterated to a fixed point (outliers removed, then re-fitted). The
/// threshold adds four Tracy–Widom scales s²(√N + √M)(1/√N + 1/√M)^{1/3}/N (Johnstone 2001) to λ₊, so a pure
/// Gaussian matrix almost never shows an outlier.
/// </summary>
public static class MarchenkoPasturFit
{
    public static MarchenkoPastur Fit(IReadOnlyList<double> singularValues, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new AtlasArgumentException("shape", $"a weight matrix needs positive dimensions, got {rows}×{cols}");
        int big = Math.Max(rows, cols), small = Math.Min(rows, cols);
        if (singularValues.Count != small)
            throw new AtlasArgumentException("singularValues", $"a {rows}×{cols} matrix has {small} singular values, got {singularValues.Count}");
        double q = (double)big / small;
        var lambda = singularValues.Select(s => s * s / big).ToArray();
        double tw = (Math.Sqrt(big) + Math.Sqrt(small)) * Math.Pow(1 / Math.Sqrt(big) + 1 / Math.Sqrt(small), 1.0 / 3) / big;
        double edge = Math.Pow(1 + 1 / Math.Sqrt(q), 2);
        double s2 = lambda.Average();
        if (s2 <= 0) return new MarchenkoPastur(0, q, 0, 0, 0, 0, 1);
        for (int it = 0; it < 100; it++)
        {
            double threshold = s2 * (edge + 4 * tw);
            var bulk = lambda.Where(l => l <= threshold).ToArray();
            double next = bulk.Length == 0 ? s2 : bulk.Average();
            if (Math.Abs(next - s2) <= 1e-12 * s2) { s2 = next; break; }
            s2 = next;
        }
        double lp = s2 * edge, lm = s2 * Math.Pow(1 - 1 / Math.Sqrt(q), 2), thr = s2 * (edge + 4 * tw);
        int outliers = lambda.Count(l => l > thr);
        double inside = lambda.Count(l => l >= lm * (1 - 1e-9) && l <= thr) / (double)lambda.Length;
        return new MarchenkoPastur(s2, q, lm, lp, thr, outliers, inside);
    }
}
