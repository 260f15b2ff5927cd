using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>Mean canonical correlation ρ̄ = (1/k)·Σρ_i over the k = min(rank X, rank Y) canonical correlations.</summary>
public sealed class MeanCca : SimilarityMeasure
{
    public override string Name => "cca";
    public override string Description => "mean canonical correlation (Hotelling 1936; as used by Raghu et al. 2017), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.InvertibleLinear
        | Invariances.Translation | Invariances.PositiveScaledPermutation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y) => CanonicalCorrelations.Compute(x, y, measure: Name).Rho.Average();
}
