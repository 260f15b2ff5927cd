using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>Parameters of <see cref="IntrinsicDimension.Estimate"/>; defaults follow scikit-dimension and DADApy.</summary>
public sealed record IdOptions
{
    /// <summary>Neighbours per point (MLE, TLE, MADA, MOM, local PCA; CorrInt uses k/2 and k as its two radii).</summary>
    public int K { get; init; } = 20;
    /// <summary>TwoNN: fraction of the largest ratios μ = r₂/r₁ left out of the fit (Facco et al. use 0.1).</summary>
    public double DiscardFraction { get; init; } = 0.1;
    /// <summary>GRIDE: neighbour orders n₁ &lt; n₂ of the distance ratio.</summary>
    public int GrideN1 { get; init; } = 1;
    public int GrideN2 { get; init; } = 2;
    /// <summary>GRIDE: when positive, also estimate at scales n₁ = 1, 2, 4, … up to this neighbour rank.</summary>
    public int GrideRange { get; init; }
    /// <summary>Local PCA: the variance criterion and its α (FO: 0.05 of the top eigenvalue; ratio: 0.95 of the variance).</summary>
    public PcaCriterion PcaCriterion { get; init; } = PcaCriterion.FukunagaOlsen;
    public double? PcaAlpha { get; init; }
    /// <summary>What to do with repeated points.</summary>
    public DuplicatePolicy Duplicates { get; init; } = DuplicatePolicy.Error;
    /// <summary>Bootstrap resamples for the confidence interval (0: none).</summary>
    public int Bootstrap { get; init; }
    /// <summary>Two-sided level of the percentile interval.</summary>
    public double Confidence { get; init; } = 0.95;
    public ulong Seed { get; init; }
    public KnnAlgorithm Algorithm { get; init; } = KnnAlgorithm.Auto;

    internal void Validate()
    {
        if (K < 2) throw new AtlasArgumentException("k", $"at least 2 neighbours are needed, got {K}");
        if (!(DiscardFraction >= 0 && DiscardFraction < 1)) throw new AtlasArgumentException("discard-fraction", $"must be in [0, 1), got {DiscardFraction}");
        if (GrideN1 < 1 || GrideN2 <= GrideN1) throw new AtlasArgumentException("gride-n2", $"GRIDE needs 1 ≤ n1 < n2, got n1 = {GrideN1}, n2 = {GrideN2}");
        if (GrideRange < 0) throw new AtlasArgumentException("gride-range", $"must be non-negative, got {GrideRange}");
        if (Bootstrap < 0) throw new AtlasArgumentException("bootstrap", $"must be non-negative, got {Bootstrap}");
        if (!(Confidence > 0 && Confidence < 1)) throw new AtlasArgumentException("confidence", $"must be in (0, 1), got {Confidence}");
        if (PcaAlpha is double a && !(a > 0 && a < 1)) throw new AtlasArgumentException("pca-alpha", $"must be in (0, 1), got {a}");
    }
}
