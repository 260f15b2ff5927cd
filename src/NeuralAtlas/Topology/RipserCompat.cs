namespace NeuralAtlas.Topology;

/// <summary>
/// Runs a <see cref="RipserInput"/> the way Ripser's command line does (same code path choice, same threshold
/// default, same header lines) and writes Ripser's text output: a header, then "persistence intervals in dim k:"
/// and one " [b,d)" or " [b, )" line per interval, numbers as C++ prints floats.
/// </summary>
public static class RipserCompat
{
    public static PersistenceResult Run(RipserInput input, RipsOptions options, PointMetric metric = PointMetric.Euclidean, TextWriter? text = null)
    {
        int n = input.PointCount;
        PersistenceResult result;
        if (input.Sparse is { } sp)
        {
            text?.WriteLine($"sparse distance matrix with {n} points and {input.SparseEntries}/{(long)n * (n - 1) / 2} entries");
            result = VietorisRips.Compute(sp, options);
        }
        else if (input.Dense is null && options.Threshold is not null)
        {
            text?.WriteLine($"point cloud with {n} points in dimension {input.Dimension}");
            result = PointsWithThreshold(input, options, metric);
        }
        else
        {
            DistanceMatrix dist;
            if (input.Dense is { } dm) dist = dm;
            else
            {
                text?.WriteLine($"point cloud with {n} points in dimension {input.Dimension}");
                dist = DensePoints(input, metric);
            }
            float min = float.PositiveInfinity, maxFinite = float.NegativeInfinity;
            long within = 0;
            float t = options.Threshold is { } th ? VietorisRips.ToThreshold(th) : float.MaxValue;
            foreach (float d in dist.Lower)
            {
                if (d < min) min = d;
                if (!float.IsPositiveInfinity(d) && d > maxFinite) maxFinite = d;
                if (d <= t) within++;
            }
            text?.WriteLine($"value range: [{CFloatFormat.G6(min)},{CFloatFormat.G6(maxFinite)}]");
            if (options.Threshold is null)
                text?.WriteLine($"distance matrix with {n} points, using threshold at enclosing radius {CFloatFormat.G6(dist.EnclosingRadius())}");
            else
                text?.WriteLine($"sparse distance matrix with {n} points and {within}/{(long)n * (n - 1) / 2} entries");
            result = VietorisRips.Compute(dist, options);
        }
        if (text is not null) WriteIntervals(result, text);
        return result;
    }

    private static DistanceMatrix DensePoints(RipserInput input, PointMetric metric)
    {
        if (input.Points is { } f && metric == PointMetric.Euclidean)
            return DistanceMatrix.FromPointsFloat32(f, input.PointCount, input.Dimension);
        return DistanceMatrix.FromPoints(PointsAsDouble(input), input.PointCount, input.Dimension, metric);
    }

    private static double[] PointsAsDouble(RipserInput input) =>
        input.PointsDouble ?? Array.ConvertAll(input.Points!, x => (double)x);

    private static PersistenceResult PointsWithThreshold(RipserInput input, RipsOptions options, PointMetric metric)
    {
        if (input.Points is { } f && metric == PointMetric.Euclidean)
        {
            float t = VietorisRips.ToThreshold(options.Threshold!.Value);
            int d = input.Dimension;
            var sparse = SparseDistanceMatrix.FromDistanceFunction(input.PointCount, t, (i, j) => DistanceMatrix.EuclideanFloat32(f, i, j, d), options.Threads);
            return VietorisRips.Compute(sparse, options);
        }
        return VietorisRips.Compute(PointsAsDouble(input), input.PointCount, input.Dimension, metric, options);
    }

    /// <summary>Ripser's interval listing: dimensions 0 … min(dim, n − 2), intervals in the order found.</summary>
    public static void WriteIntervals(PersistenceResult result, TextWriter text)
    {
        int top = Math.Min(result.MaxDimension, Math.Max(0, result.PointCount - 2));
        for (int d = 0; d <= top; d++)
        {
            text.WriteLine($"persistence intervals in dim {d}:");
            foreach (var iv in result[d].Intervals)
            {
                string b = d == 0 ? "0" : CFloatFormat.G6(iv.Birth);
                text.WriteLine(iv.IsEssential ? $" [{b}, )" : $" [{b},{CFloatFormat.G6(iv.Death)})");
            }
        }
    }
}
