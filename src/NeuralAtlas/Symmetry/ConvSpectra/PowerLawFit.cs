namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>A continuous power law p(x) ∝ x^{−α} for x ≥ x_min fitted to the tail of a sample.</summary>
/// <param name="Alpha">The maximum-likelihood exponent 1 + n / Σ ln(x_i / x_min) over the tail.</param>
/// <param name="XMin">The lower cut-off minimising the Kolmogorov–Smirnov distance.</param>
/// <param name="KsDistance">sup |empirical CDF − fitted CDF| over the tail.</param>
/// <param name="TailCount">How many values are ≥ x_min.</param>
/// <param name="StandardError">(α − 1)/√n, the asymptotic standard error of α.</param>
public sealed record PowerLaw(double Alpha, double XMin, double KsDistance, int TailCount, double StandardError);

/// <summary>
/// Clauset, Shalizi and Newman (SIAM Review 2009): for each candidate x_min among the sample values (with at least
/// <c>minTail</c> values at or above it), α̂ = 1 + n / Σ ln(x_i / x_min); keep the x_min whose fitted CDF
/// 1 − (x / x_min)^{1−α̂} is closest to the empirical CDF of the tail in KS distance (ties: the smaller x_min).
/// This is how WeightWatcher fits the tails of weight-matrix eigenvalue spectra.
/// </summary>
public static class PowerLawFit
{
    public static PowerLaw Fit(IReadOnlyList<double> values, int minTail = 10)
    {
        if (minTail < 2) throw new AtlasArgumentException("minTail", $"must be ≥ 2, got {minTail}");
        var x = values.Where(v => v > 0).ToArray();
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new AtlasArgumentException("values", $"a power law needs finite values, got {v}");
        if (x.Length < minTail)
            throw new AtlasArgumentException("values", $"a power-law fit needs at least {minTail} positive values, got {x.Length}");
        Array.Sort(x);
        int n = x.Length;
        // Suffix sums of ln x give Σ ln(x_i / x_min) for every candidate in O(1).
        var suffixLog = new double[n + 1];
        for (int i = n - 1; i >= 0; i--) suffixLog[i] = suffixLog[i + 1] + Math.Log(x[i]);
        PowerLaw? best = null;
        for (int start = 0; start < n; start++)
        {
            if (start > 0 && x[start] == x[start - 1]) continue; // each distinct x_min once; its tail starts at its first copy
            int tail = n - start;
            if (tail < minTail) break;
            double xmin = x[start];
            double s = suffixLog[start] - tail * Math.Log(xmin);
            if (s <= 0) continue;
            double alpha = 1 + tail / s;
            double d = 0;
            for (int i = 0; i < tail; i++)
            {
                double cdf = 1 - Math.Pow(x[start + i] / xmin, 1 - alpha);
                d = Math.Max(d, Math.Max(Math.Abs(cdf - (double)i / tail), Math.Abs(cdf - (double)(i + 1) / tail)));
            }
            if (best is null || d < best.KsDistance)
                best = new PowerLaw(alpha, xmin, d, tail, (alpha - 1) / Math.Sqrt(tail));
        }
        return best ?? throw new AtlasArgumentException("values", "all candidate tails are constant; no power law can be fitted");
    }
}
