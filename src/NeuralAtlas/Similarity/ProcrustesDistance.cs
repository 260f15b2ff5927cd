using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Orthogonal Procrustes distance (Ding, Denain, Steinhardt 2021; Williams et al. 2021): with X, Y centered and
/// scaled to unit Frobenius norm, d = min_Q ‖X − YQ‖_F over orthogonal Q = √(2 − 2‖XᵀY‖_*), in [0, √2] (narrower
/// inputs are implicitly zero-padded, which leaves the nuclear norm unchanged). A metric on representations up to
/// rotation, translation and scale.
/// </summary>
public sealed class ProcrustesDistance : SimilarityMeasure
{
    public override string Name => "procrustes";
    public override string Description => "orthogonal Procrustes distance √(2 − 2‖XᵀY‖_*) of centered unit-norm inputs, in [0, √2]";

    public override MeasureTraits Traits { get; } = new(true, true, false,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var xc = Representation.Center(x);
        var yc = Representation.Center(y);
        Representation.RequireVariance(xc, x, "X", Name);
        Representation.RequireVariance(yc, y, "Y", Name);
        xc = Representation.Scaled(xc, 1 / Math.Sqrt(Representation.SumSquares(xc)));
        yc = Representation.Scaled(yc, 1 / Math.Sqrt(Representation.SumSquares(yc)));
        double nuc = NuclearNormOfProduct(xc, yc);
        return Math.Sqrt(Math.Max(0, 2 - 2 * Math.Min(1, nuc)));
    }

    /// <summary>‖XᵀY‖_* (sum of singular values), reducing a side wider than n to its n-dimensional span first.</summary>
    internal static double NuclearNormOfProduct(DMatrix x, DMatrix y)
    {
        x = ReduceWidth(x);
        y = ReduceWidth(y);
        return Decompositions.SingularValues(Blas.Gemm(x, y, transA: true)).Sum();
    }

    // X = UΣVᵀ ⇒ XᵀY = V(UΣ)ᵀY: the singular values of XᵀY are those of (UΣ)ᵀY, with UΣ only n×rank.
    private static DMatrix ReduceWidth(DMatrix x)
    {
        if (x.Cols <= x.Rows) return x;
        var gram = Blas.AAt(x);
        SpectralBasis.Symmetrize(gram);
        var eig = Decompositions.EigSymmetric(gram);
        int n = x.Rows;
        var r = new DMatrix(n, n);
        for (int c = 0; c < n; c++)
        {
            double s = Math.Sqrt(Math.Max(0, eig.Values[c]));
            for (int i = 0; i < n; i++) r[i, c] = eig.Vectors[i, c] * s;
        }
        return r;
    }
}
