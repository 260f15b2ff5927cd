namespace NeuralAtlas.Similarity;

/// <summary>
/// What a measure promises, as data (the idea of the ReSi benchmark): tests assert exactly these.
/// </summary>
/// <param name="IsMetric">A distance on representations up to its invariances: zero on equal inputs, symmetric, triangle inequality.</param>
/// <param name="IsSymmetric">m(X, Y) = m(Y, X).</param>
/// <param name="LargerIsMoreSimilar">True for similarities (CKA, CCA), false for distances (Procrustes, shape metric).</param>
/// <param name="Invariances">Feature transforms of either argument that leave the value unchanged.</param>
/// <param name="MinSamples">The fewest rows (samples) the measure is defined for.</param>
/// <param name="SecondArgumentInvariances">For asymmetric measures: the invariances when only Y is transformed, if
/// more than <paramref name="Invariances"/> (PWCCA weights by X, so any invertible map of Y leaves it unchanged).</param>
public sealed record MeasureTraits(bool IsMetric, bool IsSymmetric, bool LargerIsMoreSimilar, Invariances Invariances, int MinSamples,
    Invariances? SecondArgumentInvariances = null)
{
    /// <summary>Invariant to <paramref name="t"/> applied to either argument.</summary>
    public bool IsInvariantTo(Invariances t) => (Invariances & t) == t;

    /// <summary>Invariant to <paramref name="t"/> applied to the second argument only.</summary>
    public bool IsInvariantInY(Invariances t) => ((SecondArgumentInvariances ?? Invariances) & t) == t;

    public override string ToString() =>
        $"metric={IsMetric}, symmetric={IsSymmetric}, larger-is-more-similar={LargerIsMoreSimilar}, invariances={Invariances}, min-samples={MinSamples}";
}
