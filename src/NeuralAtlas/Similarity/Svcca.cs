using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// SVCCA (Raghu et al. 2017): keep each representation's top singular directions explaining a fraction
/// <see cref="Keep"/> of its variance (the fewest k with Σ_{i≤k} σ_i² ≥ keep·Σσ²), then the mean canonical
/// correlation between the reduced representations.
/// </summary>
public sealed class Svcca : SimilarityMeasure
{
    public Svcca(double keep = 0.99)
    {
        if (!(keep > 0 && keep <= 1)) throw new AtlasArgumentException("keep", $"the variance fraction to keep must be in (0, 1], got {keep}");
        Keep = keep;
    }

    public double Keep { get; }

    public override string Name => "svcca";
    public override string Description => $"SVCCA: mean CCA after keeping {Keep:P0} of each side's variance (Raghu et al. 2017), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y) =>
        CanonicalCorrelations.FromBases(ReducedBasis(x, "X"), ReducedBasis(y, "Y"), false).Rho.Average();

    private DMatrix ReducedBasis(DMatrix x, string argument)
    {
        var xc = Representation.Center(x);
        Representation.RequireVariance(xc, x, argument, Name);
        var b = new SpectralBasis(xc);
        return b.Basis(DirectionsKept(b.Sigma, b.TotalVariance, Keep));
    }

    /// <summary>The fewest leading directions whose squared singular values reach <paramref name="keep"/> of the total.</summary>
    public static int DirectionsKept(double[] sigma, double total, double keep)
    {
        double cum = 0;
        for (int k = 0; k < sigma.Length; k++)
        {
            cum += sigma[k] * sigma[k];
            if (cum >= keep * total * (1 - 1e-12)) return k + 1;
        }
        return sigma.Length;
    }
}
