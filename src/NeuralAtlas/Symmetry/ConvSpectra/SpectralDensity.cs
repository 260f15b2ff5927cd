namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>A histogram estimate of an empirical spectral density: bin edges and densities (integrating to 1).</summary>
public sealed record SpectralDensity(double[] Edges, double[] Density, bool LogBins)
{
    /// <summary>
    /// Histogram of positive eigenvalues with <paramref name="bins"/> bins, linear or (for heavy tails) logarithmic
    /// in λ. Density = count / (total · bin width), so Σ density·width = 1.
    /// </summary>
    public static SpectralDensity Estimate(IReadOnlyList<double> eigenvalues, int bins = 50, bool logBins = false)
    {
        if (bins < 1) throw new AtlasArgumentException("bins", $"must be ≥ 1, got {bins}");
        var x = eigenvalues.Where(v => logBins ? v > 0 : v >= 0).ToArray();
        if (x.Length == 0) throw new AtlasArgumentException("eigenvalues", "no eigenvalues to estimate a density from");
        double lo = x.Min(), hi = x.Max();
        if (hi == lo) { lo = logBins ? lo / 2 : lo - 0.5; hi = logBins ? hi * 2 : hi + 0.5; }
        var edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++)
            edges[b] = logBins ? Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * b / bins) : lo + (hi - lo) * b / bins;
        var counts = new double[bins];
        foreach (double v in x)
        {
            double t = logBins ? (Math.Log(v) - Math.Log(lo)) / (Math.Log(hi) - Math.Log(lo)) : (v - lo) / (hi - lo);
            counts[Math.Clamp((int)(t * bins), 0, bins - 1)]++;
        }
        var density = new double[bins];
        for (int b = 0; b < bins; b++) density[b] = counts[b] / (x.Length * (edges[b + 1] - edges[b]));
        return new SpectralDensity(edges, density, logBins);
    }
}
