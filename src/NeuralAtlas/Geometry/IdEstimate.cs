namespace NeuralAtlas.Geometry;

/// <summary>One GRIDE estimate at a neighbour scale: orders n₁, n₂ and the mean n₂-th neighbour distance.</summary>
public sealed record GrideScale(int N1, int N2, double Distance, double Dimension);

/// <summary>
/// An intrinsic-dimension estimate. <see cref="Pointwise"/> holds one value per input row for local estimators
/// (null for global ones); <see cref="Lower"/>/<see cref="Upper"/> the bootstrap percentile interval when one was
/// asked for (NaN otherwise).
/// </summary>
public sealed record IdEstimate(
    IdEstimator Estimator,
    double Value,
    double Lower,
    double Upper,
    int Points,
    int DuplicatesRemoved,
    int K,
    double[]? Pointwise,
    IReadOnlyList<GrideScale>? Scales = null)
{
    public bool HasInterval => !double.IsNaN(Lower);
}
