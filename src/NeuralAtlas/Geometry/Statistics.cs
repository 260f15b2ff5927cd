namespace NeuralAtlas.Geometry;

/// <summary>Order statistics with numpy's conventions (linear interpolation between order statistics).</summary>
public static class Statistics
{
    /// <summary>numpy.percentile(values, q) with the default 'linear' method, q in [0, 100].</summary>
    public static double Percentile(ReadOnlySpan<double> values, double q)
    {
        if (values.Length == 0) throw new AtlasArgumentException("values", "the percentile of an empty set is undefined");
        var s = values.ToArray();
        Array.Sort(s);
        return PercentileSorted(s, q);
    }

    public static double PercentileSorted(double[] sorted, double q)
    {
        // numpy's virtual index and two-sided lerp, term for term, so filters built on percentiles agree bit for bit.
        int n = sorted.Length;
        double qq = q / 100.0;
        double pos = n * qq + (1 + qq * (1 - 1 - 1)) - 1;
        if (pos <= 0) return sorted[0];
        if (pos >= n - 1) return sorted[n - 1];
        int lo = (int)Math.Floor(pos);
        double t = pos - lo, a = sorted[lo], b = sorted[lo + 1], diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) throw new AtlasArgumentException("values", "the median of an empty set is undefined");
        var s = values.ToArray();
        Array.Sort(s);
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    public static double Mean(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s / values.Length;
    }
}
