using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Percentile bootstrap over points. The neighbour graph is held fixed and the per-point statistics (ratios,
/// local estimates, pair counts) are resampled: resampling the points themselves would create exact duplicates,
/// which make every kNN estimator undefined.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The (1 − confidence)/2 and (1 + confidence)/2 percentiles of <paramref name="statistic"/> over
    /// <paramref name="resamples"/> samples of n indices drawn with replacement (seeded).
    /// </summary>
    public static (double Lower, double Upper) Percentile(int n, int resamples, double confidence, ulong seed, Func<int[], double> statistic)
    {
        if (resamples < 1) throw new AtlasArgumentException("bootstrap", $"must be at least 1, got {resamples}");
        if (!(confidence > 0 && confidence < 1)) throw new AtlasArgumentException("confidence", $"must be in (0, 1), got {confidence}");
        var rng = new Rng(seed);
        var values = new double[resamples];
        var sample = new int[n];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < n; i++) sample[i] = rng.NextInt(n);
            values[b] = statistic(sample);
        }
        Array.Sort(values);
        return (Statistics.PercentileSorted(values, 50 * (1 - confidence)), Statistics.PercentileSorted(values, 50 * (1 + confidence)));
    }

    /// <summary>The values at the sampled indices.</summary>
    public static double[] Gather(double[] values, int[] sample)
    {
        var r = new double[sample.Length];
        for (int i = 0; i < sample.Length; i++) r[i] = values[sample[i]];
        return r;
    }
}
