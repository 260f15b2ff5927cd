using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Linear CKA with the unbiased HSIC estimator (Song et al. 2012; Kornblith et al. 2019; Nguyen et al. 2021):
/// HSIC₁(K,L) / √(HSIC₁(K,K)·HSIC₁(L,L)) with K = XXᵀ, L = YYᵀ. Unlike the biased estimator it is near 0 for
/// independent representations even when d is comparable to n, and may be slightly negative. Needs n ≥ 4.
/// </summary>
public sealed class DebiasedCka : SimilarityMeasure
{
    public override string Name => "debiased-cka";
    public override string Description => "linear CKA with the unbiased HSIC estimator (Song et al. 2012), in [-1, 1], ≈0 for independent data";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 4);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var xc = Representation.Center(x);
        var yc = Representation.Center(y);
        Representation.RequireVariance(xc, x, "X", Name);
        Representation.RequireVariance(yc, y, "Y", Name);
        var (xy, xx, yy) = Hsic.UnbiasedLinear(
            Representation.Scaled(xc, 1 / Math.Sqrt(Representation.SumSquares(xc))),
            Representation.Scaled(yc, 1 / Math.Sqrt(Representation.SumSquares(yc))));
        return Ratio(xy, xx, yy, Name);
    }

    internal static double Ratio(double xy, double xx, double yy, string name)
    {
        if (!(xx > 0) || !(yy > 0))
            throw new AtlasArgumentException(xx > 0 ? "Y" : "X",
                $"{name}: the unbiased HSIC of the representation with itself is {(xx > 0 ? yy : xx):G3} (not positive): its U-centered Gram matrix vanishes, e.g. rank one with n = 4");
        return Math.Clamp(xy / Math.Sqrt(xx * yy), -1, 1);
    }
}
