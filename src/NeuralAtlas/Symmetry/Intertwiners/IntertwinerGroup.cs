using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>Which matrices form G_σ.</summary>
public enum GroupKind
{
    /// <summary>GL_n: every invertible matrix (σ = identity).</summary>
    GeneralLinear,
    /// <summary>P·D with P a permutation and D diagonal with positive entries (positively homogeneous σ).</summary>
    PositiveMonomial,
    /// <summary>P·D with D = diag(±1) (odd σ).</summary>
    SignedPermutation,
    /// <summary>Permutation matrices only.</summary>
    Permutation,
}

/// <summary>
/// The intertwiner group G_σ = {A ∈ GL_n : σ(Ax) = Bσ(x) for some B and all x} of a nonlinearity, and the B that
/// goes with each A, following Godfrey, Brown, Emerson and Kvinge (2205.14258, Table 1): identity → GL_n (B = A);
/// ReLU and LeakyReLU (positively homogeneous) → positive-scaled permutations (B = A); tanh (odd) → signed
/// permutations (B = A); GELU, SiLU, sigmoid, softplus → permutations (B = A). SoLU(x) = x ⊙ softmax(x) is
/// permutation-equivariant but neither homogeneous nor odd, so it has the permutations. Sigmoid satisfies
/// σ(−x) = 1 − σ(x), an affine (not linear) relation, so sign flips are outside its linear group.
/// Because B = A, the weights W₁ → A·W₁, b₁ → A·b₁, W₂ → W₂·A⁻¹ leave a network's function unchanged.
/// </summary>
public sealed class IntertwinerGroup
{
    public Activation Activation { get; }
    public GroupKind Kind { get; }

    public IntertwinerGroup(Activation activation)
    {
        Activation = activation;
        Kind = activation.Kind switch
        {
            ActivationKind.Identity => GroupKind.GeneralLinear,
            ActivationKind.ReLU or ActivationKind.LeakyReLU => GroupKind.PositiveMonomial,
            ActivationKind.Tanh => GroupKind.SignedPermutation,
            _ => GroupKind.Permutation,
        };
    }

    public static IntertwinerGroup For(string activation, double negativeSlope = 0.01) => new(Activation.Parse(activation, negativeSlope));

    public string Description => Kind switch
    {
        GroupKind.GeneralLinear => "GL_n: all invertible n×n matrices; B = A",
        GroupKind.PositiveMonomial => "positive-scaled permutations P·diag(d), d > 0 (monomial matrices with positive entries); B = A",
        GroupKind.SignedPermutation => "signed permutations P·diag(±1); B = A",
        _ => "permutation matrices P; B = A",
    };

    /// <summary>
    /// A random element: a uniform permutation times, for monomial groups, log-normal positive scales (σ = 0.5) or
    /// uniform signs; for GL_n a Gaussian matrix with entries N(0, 1/n) plus the identity (well conditioned).
    /// </summary>
    public DMatrix Sample(int n, Rng rng, double logScale = 0.5)
    {
        if (n < 1) throw new AtlasArgumentException("n", $"must be ≥ 1, got {n}");
        if (Kind == GroupKind.GeneralLinear)
        {
            var g = DMatrix.Identity(n);
            for (int i = 0; i < g.Data.Length; i++) g.Data[i] += rng.Normal() / Math.Sqrt(n);
            return g;
        }
        int[] perm = rng.Permutation(n);
        var a = new DMatrix(n, n);
        for (int i = 0; i < n; i++)
        {
            double v = Kind switch
            {
                GroupKind.PositiveMonomial => Math.Exp(logScale * rng.Normal()),
                GroupKind.SignedPermutation => rng.NextInt(2) == 0 ? -1 : 1,
                _ => 1,
            };
            a[i, perm[i]] = v;
        }
        return a;
    }

    /// <summary>The B with σ(Ax) = Bσ(x); throws if A is not in the group.</summary>
    public DMatrix MatchingB(DMatrix a)
    {
        var why = WhyNotMember(a);
        if (why is not null) throw new AtlasArgumentException("A", $"not in the intertwiner group of {Activation.Name} ({Description}): {why}");
        return a.Clone();
    }

    public bool IsMember(DMatrix a, double tolerance = 1e-9) => WhyNotMember(a, tolerance) is null;

    /// <summary>Null when A is in the group, else the first reason it is not.</summary>
    public string? WhyNotMember(DMatrix a, double tolerance = 1e-9)
    {
        if (a.Rows != a.Cols) return $"A is {a.Rows}×{a.Cols}, not square";
        int n = a.Rows;
        for (int i = 0; i < a.Data.Length; i++)
            if (!double.IsFinite(a.Data[i])) return $"entry {i} is {a.Data[i]}";
        double scale = 0;
        foreach (double v in a.Data) scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0) return "A is zero";
        if (Kind == GroupKind.GeneralLinear)
        {
            var s = Decompositions.SingularValues(a);
            return s[^1] <= tolerance * s[0] ? $"A is singular (σ_min/σ_max = {s[^1] / s[0]:E2})" : null;
        }
        var colUsed = new bool[n];
        for (int i = 0; i < n; i++)
        {
            int col = -1;
            for (int j = 0; j < n; j++)
            {
                if (Math.Abs(a[i, j]) <= tolerance * scale) continue;
                if (col >= 0) return $"row {i} has more than one nonzero entry (columns {col} and {j}); A must be monomial";
                col = j;
            }
            if (col < 0) return $"row {i} is zero";
            if (colUsed[col]) return $"column {col} has more than one nonzero entry";
            colUsed[col] = true;
            double v = a[i, col];
            switch (Kind)
            {
                case GroupKind.PositiveMonomial when v <= 0:
                    return $"entry ({i}, {col}) = {v} is not positive; {Activation.Name} is only positively homogeneous";
                case GroupKind.SignedPermutation when Math.Abs(Math.Abs(v) - 1) > tolerance:
                    return $"entry ({i}, {col}) = {v} is not ±1; {Activation.Name} is odd but not homogeneous";
                case GroupKind.Permutation when Math.Abs(v - 1) > tolerance:
                    return $"entry ({i}, {col}) = {v} is not 1; {Activation.Name} commutes with permutations only";
            }
        }
        return null;
    }
}
