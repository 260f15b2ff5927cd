namespace NeuralAtlas.Similarity;

/// <summary>
/// Transforms of one representation (applied to either argument, to its features) under which a measure's value
/// does not change. The groups nest: invertible linear maps contain orthogonal maps, isotropic scalings and
/// positive-scaled permutations; orthogonal maps and positive-scaled permutations both contain permutations.
/// </summary>
[Flags]
public enum Invariances
{
    None = 0,
    /// <summary>X → XQ for an orthogonal Q (rotations and reflections of feature space).</summary>
    Orthogonal = 1,
    /// <summary>X → cX for c &gt; 0.</summary>
    IsotropicScaling = 2,
    /// <summary>X → XP for a permutation matrix P (relabelling units).</summary>
    Permutation = 4,
    /// <summary>X → XA for any invertible A.</summary>
    InvertibleLinear = 8,
    /// <summary>X → X + 1bᵀ (the same offset added to every sample).</summary>
    Translation = 16,
    /// <summary>X → XPD with P a permutation and D positive diagonal: the intertwiner group G_ReLU of ReLU layers.</summary>
    PositiveScaledPermutation = 32,
}
