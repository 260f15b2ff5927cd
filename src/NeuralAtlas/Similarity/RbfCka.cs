using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// CKA with Gaussian (RBF) kernels (Kornblith et al. 2019): K_ij = exp(−‖x_i − x_j‖² / (2·(t·m)²)) where m² is the
/// median of all n² squared pairwise distances (diagonal included, as in the authors' code) and t the
/// <see cref="Threshold"/>; CKA = ⟨HKH, HLH⟩ / (‖HKH‖·‖HLH‖). Memory O(n²).
/// </summary>
public sealed class RbfCka : SimilarityMeasure
{
    public RbfCka(double threshold = 1.0)
    {
        if (!(threshold > 0) || !double.IsFinite(threshold))
            throw new AtlasArgumentException("threshold", $"the RBF bandwidth fraction must be a positive number, got {threshold}");
        Threshold = threshold;
    }

    /// <summary>Bandwidth as a fraction of the median pairwise distance.</summary>
    public double Threshold { get; }

    public override string Name => "rbf-cka";
    public override string Description => $"CKA with RBF kernels, bandwidth {Threshold} × median pairwise distance (Kornblith et al. 2019), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var k = CenteredKernel(x, "X");
        var l = CenteredKernel(y, "Y");
        double kl = Representation.Dot(k.Data, l.Data);
        double kk = Representation.SumSquares(k), ll = Representation.SumSquares(l);
        if (kk == 0 || ll == 0)
            throw new AtlasArgumentException(kk == 0 ? "X" : "Y", $"{Name}: the centered kernel is zero (all samples identical)");
        return Math.Clamp(kl / Math.Sqrt(kk * ll), 0, 1);
    }

    private DMatrix CenteredKernel(DMatrix x, string argument)
    {
        var d = Representation.SquaredDistances(Representation.Center(x));
        var sorted = (double[])d.Data.Clone();
        Array.Sort(sorted);
        int m = sorted.Length;
        double median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
        if (!(median > 0))
            throw new AtlasArgumentException(argument, $"{Name}: the median pairwise distance is zero (most samples coincide), so the bandwidth is undefined");
        double scale = -1 / (2 * Threshold * Threshold * median);
        var k = new DMatrix(d.Rows, d.Cols);
        for (int i = 0; i < k.Data.Length; i++) k.Data[i] = Math.Exp(scale * d.Data[i]);
        return DoubleCenter(k);
    }

    /// <summary>HKH with H = I − 11ᵀ/n.</summary>
    internal static DMatrix DoubleCenter(DMatrix k)
    {
        int n = k.Rows;
        var row = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += k.Data[i * n + j];
            row[i] = s / n;
            total += s;
        }
        total /= (double)n * n;
        var c = new DMatrix(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) c.Data[i * n + j] = k.Data[i * n + j] - row[i] - row[j] + total;
        return c;
    }
}
