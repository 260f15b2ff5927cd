using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Intrinsic dimension of a point cloud (rows of an n×D matrix): validates the input, handles repeated points as
/// <see cref="IdOptions.Duplicates"/> says, finds exact nearest neighbours once, runs one estimator, and adds a
/// bootstrap interval when asked. The estimators themselves (<see cref="TwoNN"/>, <see cref="LevinaBickel"/>, …)
/// also take neighbour lists directly.
/// </summary>
public static class IntrinsicDimension
{
    public static IdEstimate Estimate(DMatrix points, IdEstimator estimator, IdOptions? options = null)
    {
        var o = options ?? new IdOptions();
        o.Validate();
        points.RequireFinite("points");
        int n = points.Rows;
        if (n < 3) throw new AtlasArgumentException("points", $"intrinsic dimension needs at least 3 points, got {n}");
        if (points.Cols < 1) throw new AtlasArgumentException("points", "points have no coordinates (0 columns)");

        var rep = DuplicatePoints.Representatives(points);
        int distinct = 0;
        for (int i = 0; i < n; i++) if (rep[i] == i) distinct++;
        if (distinct == 1) throw new AtlasArgumentException("points", $"all {n} points are identical; the intrinsic dimension is undefined");
        DMatrix work = points;
        int[] kept = Array.Empty<int>();
        if (distinct < n)
        {
            if (o.Duplicates == DuplicatePolicy.Error)
            {
                int first = Enumerable.Range(0, n).First(i => rep[i] != i);
                throw new AtlasArgumentException("points",
                    $"{n - distinct} of {n} rows repeat an earlier row (row {first} equals row {rep[first]}); a neighbour at distance 0 makes " +
                    $"{estimator.Name()} undefined: remove them, or pass duplicates = remove (--duplicates remove)");
            }
            (work, kept) = DuplicatePoints.Remove(points);
        }

        int m = work.Rows;
        int need = NeighboursNeeded(estimator, o);
        if (need > m - 1)
            throw new AtlasArgumentException("k", $"{estimator.Name()} needs {need} neighbours per point, so at least {need + 1} distinct points; got {m}" +
                (m < n ? $" ({n} rows, {n - m} duplicates removed)" : ""));
        var knn = NearestNeighbors.Search(work, need, o.Algorithm);
        var fit = Fit(work, knn, estimator, o);

        double lo = double.NaN, hi = double.NaN;
        if (o.Bootstrap > 0) (lo, hi) = Bootstrap.Percentile(m, o.Bootstrap, o.Confidence, o.Seed, fit.Statistic);

        double[]? pointwise = fit.Pointwise;
        if (pointwise is not null && m < n)
        {
            // Each removed twin takes the value of the copy that was kept.
            var rowOf = new Dictionary<int, int>();
            for (int r = 0; r < kept.Length; r++) rowOf[kept[r]] = r;
            var full = new double[n];
            for (int i = 0; i < n; i++) full[i] = pointwise[rowOf[rep[i]]];
            pointwise = full;
        }
        return new IdEstimate(estimator, fit.Value, lo, hi, m, n - m, EffectiveK(estimator, o), pointwise, fit.Scales);
    }

    /// <summary>The result of one estimator on fixed neighbour lists, with the statistic the bootstrap resamples.</summary>
    public sealed record Fitted(double Value, double[]? Pointwise, Func<int[], double> Statistic, IReadOnlyList<GrideScale>? Scales);

    /// <summary>Runs an estimator on precomputed neighbour lists of <paramref name="points"/> (rows sorted by distance).</summary>
    public static Fitted Fit(DMatrix points, KnnResult knn, IdEstimator estimator, IdOptions o)
    {
        int k = o.K;
        switch (estimator)
        {
            case IdEstimator.TwoNN:
            {
                var mu = TwoNN.Ratios(knn);
                return new Fitted(TwoNN.Fit(mu, o.DiscardFraction), null, s => TwoNN.Fit(Bootstrap.Gather(mu, s), o.DiscardFraction), null);
            }
            case IdEstimator.Mle:
            {
                var p = LevinaBickel.Pointwise(knn, k);
                return new Fitted(LevinaBickel.Combine(p), p, s => LevinaBickel.Combine(Bootstrap.Gather(p, s)), null);
            }
            case IdEstimator.Tle:
                return Local(TightLocality.Pointwise(points, knn, k));
            case IdEstimator.Mada:
                return Local(Mada.Pointwise(knn, k));
            case IdEstimator.Mom:
                return Local(MethodOfMoments.Pointwise(knn, k));
            case IdEstimator.Lpca:
                return Local(LocalPca.Pointwise(points, knn, k, o.PcaCriterion, o.PcaAlpha));
            case IdEstimator.CorrInt:
            {
                var c = CorrelationDimension.Count(points, knn, Math.Max(1, k / 2), k);
                return new Fitted(CorrelationDimension.Estimate(c), null, s => CorrelationDimension.Estimate(c, s), null);
            }
            case IdEstimator.Gride:
            {
                var mu = Gride.Ratios(knn, o.GrideN1, o.GrideN2);
                var scales = o.GrideRange > 0 ? Gride.Multiscale(knn, o.GrideRange) : null;
                return new Fitted(Gride.Fit(mu, o.GrideN1, o.GrideN2), null, s => Gride.Fit(Bootstrap.Gather(mu, s), o.GrideN1, o.GrideN2), scales);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator));
        }
    }

    private static Fitted Local(double[] p) => new(Statistics.Mean(p), p, s => Statistics.Mean(Bootstrap.Gather(p, s)), null);

    /// <summary>How many neighbours per point an estimator reads.</summary>
    public static int NeighboursNeeded(IdEstimator e, IdOptions o) => e switch
    {
        IdEstimator.TwoNN => 2,
        IdEstimator.Gride => Math.Max(o.GrideN2, o.GrideRange > 0 ? 1 << (int)Math.Floor(Math.Log2(o.GrideRange) + 1e-12) : 0),
        _ => o.K,
    };

    private static int EffectiveK(IdEstimator e, IdOptions o) => e switch
    {
        IdEstimator.TwoNN => 2,
        IdEstimator.Gride => o.GrideN2,
        _ => o.K,
    };
}
