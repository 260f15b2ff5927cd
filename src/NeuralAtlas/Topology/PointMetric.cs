namespace NeuralAtlas.Topology;

/// <summary>The metric that turns a point cloud into a distance matrix.</summary>
public enum PointMetric
{
    /// <summary>‖x − y‖₂.</summary>
    Euclidean,
    /// <summary>1 − ⟨x, y⟩ / (‖x‖ ‖y‖); a zero vector is at distance 1 from everything but itself.</summary>
    Cosine,
    /// <summary>‖x − y‖₁.</summary>
    Manhattan,
    /// <summary>‖x − y‖∞.</summary>
    Chebyshev,
}

public static class PointMetrics
{
    public static PointMetric Parse(string name, string argument = "--metric") => name.ToLowerInvariant() switch
    {
        "euclidean" or "l2" => PointMetric.Euclidean,
        "cosine" => PointMetric.Cosine,
        "manhattan" or "l1" or "cityblock" => PointMetric.Manhattan,
        "chebyshev" or "linf" or "max" => PointMetric.Chebyshev,
        _ => throw new AtlasArgumentException(argument, $"expected euclidean, cosine, manhattan or chebyshev, got '{name}'"),
    };

    /// <summary>
    /// The distance between rows i and j of a row-major n×d array, accumulated in double. Cosine needs the row
    /// norms (pass them precomputed; null for the other metrics).
    /// </summary>
    internal static double Distance(PointMetric metric, ReadOnlySpan<double> x, ReadOnlySpan<double> y, double normX, double normY)
    {
        switch (metric)
        {
            case PointMetric.Euclidean:
            {
                double s = 0;
                for (int k = 0; k < x.Length; k++) { double t = x[k] - y[k]; s += t * t; }
                return Math.Sqrt(s);
            }
            case PointMetric.Manhattan:
            {
                double s = 0;
                for (int k = 0; k < x.Length; k++) s += Math.Abs(x[k] - y[k]);
                return s;
            }
            case PointMetric.Chebyshev:
            {
                double s = 0;
                for (int k = 0; k < x.Length; k++) s = Math.Max(s, Math.Abs(x[k] - y[k]));
                return s;
            }
            default:
            {
                if (normX == 0 || normY == 0) return 1.0;
                double dot = 0;
                for (int k = 0; k < x.Length; k++) dot += x[k] * y[k];
                // Rounding can push 1 − cos slightly below zero for parallel vectors; distances are never negative.
                return Math.Max(0.0, 1.0 - dot / (normX * normY));
            }
        }
    }
}
