namespace NeuralAtlas.Geometry;

/// <summary>The intrinsic-dimension estimators of <see cref="IntrinsicDimension"/>.</summary>
public enum IdEstimator
{
    /// <summary>Facco et al. 2017: the ratio of second to first neighbour distance is Pareto(d); a line fit through the origin.</summary>
    TwoNN,
    /// <summary>Levina–Bickel 2004 maximum likelihood on k neighbours, combined by MacKay–Ghahramani (harmonic mean).</summary>
    Mle,
    /// <summary>Amsaleg et al. 2019 tight local estimator: MLE over all pairwise measurements inside the neighbourhood.</summary>
    Tle,
    /// <summary>Farahmand et al. 2007 manifold-adaptive estimator: log 2 / log(r_k / r_⌊k/2⌋).</summary>
    Mada,
    /// <summary>Amsaleg et al. 2018 method of moments: m₁ / (r_k − m₁) with m₁ the mean neighbour distance.</summary>
    Mom,
    /// <summary>Grassberger–Procaccia correlation dimension between the median k/2-th and k-th neighbour radii.</summary>
    CorrInt,
    /// <summary>Local PCA: a variance criterion on the spectrum of each k-neighbourhood.</summary>
    Lpca,
    /// <summary>Denti et al. 2022 GRIDE: maximum likelihood on the ratio of the n₂-th to n₁-th neighbour distances.</summary>
    Gride,
}

/// <summary>What to do with exactly repeated points, which make neighbour distances 0 and the estimators undefined.</summary>
public enum DuplicatePolicy
{
    /// <summary>Fail with an error that names the duplicated rows.</summary>
    Error,
    /// <summary>Keep the first copy of each repeated point; per-point values are copied to the removed twins.</summary>
    Remove,
}

/// <summary>The variance criteria of local PCA (as in scikit-dimension's lPCA).</summary>
public enum PcaCriterion
{
    /// <summary>Fukunaga–Olsen: eigenvalues above α times the largest (α default 0.05).</summary>
    FukunagaOlsen,
    /// <summary>Components needed to explain a fraction α of the variance (α default 0.95).</summary>
    Ratio,
    /// <summary>Position of the largest ratio between consecutive eigenvalues.</summary>
    MaxGap,
    /// <summary>Eigenvalues above the mean eigenvalue, plus one (Kaiser's rule as scikit-dimension counts it).</summary>
    Kaiser,
    /// <summary>First component whose variance share falls below the broken-stick expectation.</summary>
    BrokenStick,
    /// <summary>⌊(Σλ)² / Σλ²⌋, the participation ratio.</summary>
    ParticipationRatio,
}

/// <summary>Parsing and naming of estimators for the command line and JSON.</summary>
public static class IdEstimatorNames
{
    public static string Name(this IdEstimator e) => e switch
    {
        IdEstimator.TwoNN => "twonn",
        IdEstimator.Mle => "mle",
        IdEstimator.Tle => "tle",
        IdEstimator.Mada => "mada",
        IdEstimator.Mom => "mom",
        IdEstimator.CorrInt => "corrint",
        IdEstimator.Lpca => "lpca",
        IdEstimator.Gride => "gride",
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public static IdEstimator Parse(string s)
    {
        foreach (var e in Enum.GetValues<IdEstimator>())
            if (string.Equals(e.Name(), s, StringComparison.OrdinalIgnoreCase)) return e;
        throw new AtlasArgumentException("--estimator", $"unknown estimator '{s}'; expected one of {string.Join(", ", Enum.GetValues<IdEstimator>().Select(e => e.Name()))}");
    }

    /// <summary>True for estimators that give one value per point (their global value aggregates those).</summary>
    public static bool IsLocal(this IdEstimator e) => e is IdEstimator.Mle or IdEstimator.Tle or IdEstimator.Mada or IdEstimator.Mom or IdEstimator.Lpca;

    public static string Name(this PcaCriterion c) => c switch
    {
        PcaCriterion.FukunagaOlsen => "fo",
        PcaCriterion.Ratio => "ratio",
        PcaCriterion.MaxGap => "maxgap",
        PcaCriterion.Kaiser => "kaiser",
        PcaCriterion.BrokenStick => "broken-stick",
        PcaCriterion.ParticipationRatio => "participation-ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static PcaCriterion ParseCriterion(string s)
    {
        foreach (var c in Enum.GetValues<PcaCriterion>())
            if (string.Equals(c.Name(), s, StringComparison.OrdinalIgnoreCase)) return c;
        throw new AtlasArgumentException("--pca-criterion", $"unknown criterion '{s}'; expected one of {string.Join(", ", Enum.GetValues<PcaCriterion>().Select(c => c.Name()))}");
    }
}
