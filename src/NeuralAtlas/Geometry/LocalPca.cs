using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Local PCA dimension: the spectrum of the covariance of a neighbourhood (the point and its k neighbours), read
/// with a variance criterion. A centred set of n points has rank at most n − 1, so only the first min(n − 1, D)
/// eigenvalues are kept, and eigenvalues below 10⁻¹⁰ of the largest are rounding noise and set to 0 (otherwise the
/// max-gap and ratio criteria would read digits of rounding error).
/// </summary>
public static class LocalPca
{
    /// <summary>Relative size below which an eigenvalue counts as exactly 0.</summary>
    public const double ZeroEigenvalue = 1e-10;

    /// <summary>Covariance eigenvalues (ddof 1), descending, min(n − 1, D) of them.</summary>
    public static double[] Spectrum(DMatrix points)
    {
        int n = points.Rows, d = points.Cols;
        if (n < 2) throw new AtlasArgumentException("points", $"a spectrum needs at least 2 points, got {n}");
        var c = PairwiseDistances.Centered(points);
        // The smaller Gram matrix has the same non-zero eigenvalues.
        var g = d <= n ? Blas.AtA(c) : Blas.AAt(c);
        var w = Decompositions.EigSymmetric(g).Values;
        int r = Math.Min(n - 1, d);
        var ev = new double[r];
        for (int i = 0; i < r; i++) ev[i] = Math.Max(0, w[w.Length - 1 - i]) / (n - 1);
        double top = ev[0];
        for (int i = 0; i < r; i++) if (ev[i] <= ZeroEigenvalue * top) ev[i] = 0;
        return ev;
    }

    /// <summary>The dimension a criterion reads from a descending spectrum.</summary>
    public static double Dimension(double[] ev, PcaCriterion criterion, double? alpha = null)
    {
        int r = ev.Length;
        double total = 0;
        foreach (double v in ev) total += v;
        if (r == 0 || total <= 0) throw new AtlasArgumentException("points", "the neighbourhood has zero variance (all points identical); local PCA is undefined");
        switch (criterion)
        {
            case PcaCriterion.FukunagaOlsen:
            {
                double a = alpha ?? 0.05;
                return ev.Count(v => v > a * ev[0]);
            }
            case PcaCriterion.Ratio:
            {
                double a = alpha ?? 0.95, cum = 0;
                int below = 0;
                foreach (double v in ev)
                {
                    cum += v;
                    if (cum / total < a) below++;
                }
                return Math.Min(r, below + 1);
            }
            case PcaCriterion.MaxGap:
            {
                if (r == 1) return 1;
                int best = 0;
                double bestGap = double.NegativeInfinity;
                for (int i = 0; i + 1 < r; i++)
                {
                    if (ev[i] == 0) break; // past the rank: every later gap is 0/0
                    double gap = ev[i + 1] == 0 ? double.PositiveInfinity : ev[i] / ev[i + 1];
                    if (gap > bestGap) { bestGap = gap; best = i; }
                }
                return best + 1;
            }
            case PcaCriterion.Kaiser:
            {
                double mean = total / r;
                return ev.Count(v => v > mean);
            }
            case PcaCriterion.BrokenStick:
            {
                int count = 0;
                for (int i = 0; i < r; i++)
                {
                    double b = 0;
                    for (int j = i + 1; j <= r; j++) b += 1.0 / j;
                    b /= r;
                    if (ev[i] / total > b) count++;
                    else break;
                }
                return count;
            }
            case PcaCriterion.ParticipationRatio:
            {
                double s2 = 0;
                foreach (double v in ev) s2 += v * v;
                return total * total / s2;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(criterion));
        }
    }

    /// <summary>The criterion applied to each point's neighbourhood (the point and its first k neighbours).</summary>
    public static double[] Pointwise(DMatrix points, KnnResult knn, int k, PcaCriterion criterion, double? alpha = null)
    {
        LevinaBickel.Require(knn, k, "local PCA");
        var result = new double[knn.Count];
        var hood = new DMatrix(k + 1, points.Cols);
        for (int i = 0; i < knn.Count; i++)
        {
            points.Row(i).CopyTo(hood.Row(0));
            var idx = knn.IndexRow(i);
            for (int j = 0; j < k; j++) points.Row(idx[j]).CopyTo(hood.Row(j + 1));
            result[i] = Dimension(Spectrum(hood), criterion, alpha);
        }
        return result;
    }
}
