using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>The one-to-one matching of units of one layer across two networks, and how well matched units agree.</summary>
/// <param name="Assignment">Unit i of X ↔ unit Assignment[i] of Y (−1 when X is wider and i is left over).</param>
/// <param name="MatchedCorrelations">Pearson correlation of each matched pair (in X's unit order; NaN-free: dead units count as 0).</param>
/// <param name="MeanMatchedCorrelation">Mean over matched pairs.</param>
/// <param name="MeanIdentityCorrelation">Mean correlation of unit i with unit i (the bases as given), over min(d1, d2) units.</param>
/// <param name="DeadUnitsX">Units of X with zero variance (correlation undefined, counted as 0).</param>
/// <param name="DeadUnitsY">Likewise for Y.</param>
public sealed record NeuronMatch(int[] Assignment, double[] MatchedCorrelations, double MeanMatchedCorrelation, double MeanIdentityCorrelation,
    int DeadUnitsX, int DeadUnitsY);

/// <summary>
/// Neuron matching (Li et al. 2016, "Convergent learning"; the basis-correlation analysis of "Privileged and
/// convergent bases in neural network representations"): correlate every unit of X with every unit of Y over the
/// same inputs and find the one-to-one matching of maximum total correlation with the Hungarian method. A high
/// matched correlation means the two networks share a basis up to permutation; comparing it to the identity
/// matching tells whether units are aligned as trained.
/// </summary>
public static class NeuronMatching
{
    public static NeuronMatch Match(DMatrix x, DMatrix y)
    {
        if (x.Rows != y.Rows)
            throw new ShapeMismatchException("neuron matching", new[] { x.Rows, x.Cols }, new[] { y.Rows, y.Cols }, "both layers need one row per input");
        if (x.Rows < 2) throw new AtlasArgumentException("X", $"neuron matching needs at least 2 samples, got {x.Rows}");
        if (x.Cols == 0 || y.Cols == 0) throw new AtlasArgumentException(x.Cols == 0 ? "X" : "Y", "a layer needs at least one unit");
        x.RequireFinite("X");
        y.RequireFinite("Y");
        var (zx, deadX) = Standardize(x);
        var (zy, deadY) = Standardize(y);
        var corr = Blas.Gemm(zx, zy, transA: true);
        for (int i = 0; i < corr.Data.Length; i++) corr.Data[i] = Math.Clamp(corr.Data[i], -1, 1);
        var a = LinearAssignment.Solve(corr, maximize: true);
        var matched = new double[x.Cols];
        int pairs = 0;
        double sum = 0;
        for (int i = 0; i < x.Cols; i++)
        {
            int j = a.RowToColumn[i];
            if (j < 0) continue;
            matched[i] = corr[i, j];
            sum += corr[i, j];
            pairs++;
        }
        int k = Math.Min(x.Cols, y.Cols);
        double identity = 0;
        for (int i = 0; i < k; i++) identity += corr[i, i];
        return new NeuronMatch(a.RowToColumn, matched, sum / pairs, identity / k, deadX, deadY);
    }

    /// <summary>Columns centered and scaled to unit norm, so XᵀY holds Pearson correlations; dead columns stay zero.</summary>
    private static (DMatrix, int) Standardize(DMatrix m)
    {
        var c = Representation.Center(m);
        var ss = new double[c.Cols];
        for (int i = 0; i < c.Rows; i++)
        {
            var row = c.Row(i);
            for (int j = 0; j < row.Length; j++) ss[j] += row[j] * row[j];
        }
        var colScale = new double[c.Cols];
        int dead = 0;
        for (int j = 0; j < ss.Length; j++)
        {
            double scale = 0;
            for (int i = 0; i < m.Rows; i++) scale = Math.Max(scale, Math.Abs(m[i, j]));
            // Relative test: a column that is constant up to rounding has no defined correlation.
            if (ss[j] <= 1e-24 * Math.Max(scale * scale * m.Rows, double.Epsilon)) { dead++; colScale[j] = 0; }
            else colScale[j] = 1 / Math.Sqrt(ss[j]);
        }
        for (int i = 0; i < c.Rows; i++)
        {
            var row = c.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] *= colScale[j];
        }
        return (c, dead);
    }
}
