using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Projection-weighted CCA (Morcos, Raghu, Bengio 2018): ρ̄_PW = Σ α_i ρ_i with α_i ∝ Σ_j |⟨h_i, x_j⟩|, where h_i
/// are the (unit) canonical variates of X and x_j its centered units. Weighted by the first argument, so it is
/// not symmetric (the authors' code weights by the narrower side; pass that one as X to reproduce it).
/// </summary>
public sealed class Pwcca : SimilarityMeasure
{
    public override string Name => "pwcca";
    public override string Description => "projection-weighted CCA, weights from X (Morcos et al. 2018), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, false, true,
        Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 2,
        SecondArgumentInvariances: Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.InvertibleLinear
        | Invariances.Translation | Invariances.PositiveScaledPermutation);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var cca = CanonicalCorrelations.Compute(x, y, variates: true, measure: Name);
        var proj = Blas.Gemm(Representation.Center(x), cca.VariatesX!, transA: true); // d1 × k
        int k = cca.Rho.Length;
        var alpha = new double[k];
        for (int j = 0; j < proj.Rows; j++)
        {
            var row = proj.Row(j);
            for (int i = 0; i < k; i++) alpha[i] += Math.Abs(row[i]);
        }
        double total = alpha.Sum();
        double s = 0;
        for (int i = 0; i < k; i++) s += alpha[i] / total * cca.Rho[i];
        return Math.Clamp(s, 0, 1);
    }
}
