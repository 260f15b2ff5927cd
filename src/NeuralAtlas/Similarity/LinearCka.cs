using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Linear centered kernel alignment (Kornblith et al. 2019): with X, Y column-centered,
/// CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F), in [0, 1]. Computed in feature space (cost n·(d1+d2)²) or through the
/// n×n Gram matrices, whichever is cheaper. Zero-variance inputs are rejected (0/0).
/// </summary>
public sealed class LinearCka : SimilarityMeasure
{
    public override string Name => "linear-cka";
    public override string Description => "linear centered kernel alignment (Kornblith et al. 2019), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var xc = Representation.Center(x);
        var yc = Representation.Center(y);
        Representation.RequireVariance(xc, x, "X", Name);
        Representation.RequireVariance(yc, y, "Y", Name);
        // Scale to unit Frobenius norm first: CKA is scale invariant and this keeps the fourth powers in range.
        Representation.ScaleInPlace(xc, 1 / Math.Sqrt(Representation.SumSquares(xc)));
        Representation.ScaleInPlace(yc, 1 / Math.Sqrt(Representation.SumSquares(yc)));
        double n = x.Rows, d1 = x.Cols, d2 = y.Cols;
        double hxy, hxx, hyy;
        if (n * (d1 + d2) < d1 * d2 + d1 * d1 + d2 * d2)
        {
            var k = SymmetricGram.AAt(xc);
            var l = SymmetricGram.AAt(yc);
            hxy = Representation.Dot(k.Data, l.Data);
            hxx = Representation.SumSquares(k);
            hyy = Representation.SumSquares(l);
        }
        else
        {
            hxy = Representation.FrobeniusSquaredOfProduct(xc, yc);
            hxx = Representation.SumSquares(SymmetricGram.AtA(xc));
            hyy = Representation.SumSquares(SymmetricGram.AtA(yc));
        }
        return Math.Clamp(hxy / Math.Sqrt(hxx * hyy), 0, 1);
    }
}
