namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// The index set of both bases of Hom_{S_n}((R^n)^{⊗k}, (R^n)^{⊗l}): the set partitions of l + k points with at
/// most n blocks, in lexicographic order of their restricted growth strings (top row = the l output axes first,
/// then the k input axes). Its size Σ_{t≤n} S(l+k, t) is the dimension of the space (Bell(l+k) once n ≥ l+k).
/// A coefficient vector of length <see cref="Dimension"/> in this order names one equivariant map.
/// </summary>
public sealed class EquivariantBasis
{
    private readonly Dictionary<ulong, int> _index = new();

    public int K { get; }
    public int L { get; }
    public int N { get; }
    public IReadOnlyList<SetPartition> Partitions { get; }
    public int Dimension => Partitions.Count;

    public EquivariantBasis(int k, int l, int n)
    {
        if (k < 0) throw new AtlasArgumentException("k", $"the input order must be ≥ 0, got {k}");
        if (l < 0) throw new AtlasArgumentException("l", $"the output order must be ≥ 0, got {l}");
        if (k + l < 1) throw new AtlasArgumentException("k, l", "k + l must be at least 1");
        if (n < 1) throw new AtlasArgumentException("n", $"the set size must be ≥ 1, got {n}");
        if (k + l > SetPartitions.MaxPoints)
            throw new AtlasArgumentException("k, l", $"k + l = {k + l} points have Bell({k + l}) = {SetPartitions.Bell(k + l):N0} partitions; at most {SetPartitions.MaxPoints} points are supported");
        K = k;
        L = l;
        N = n;
        var list = SetPartitions.Enumerate(l, k, n).ToList();
        for (int i = 0; i < list.Count; i++) _index[list[i].Key] = i;
        Partitions = list;
    }

    /// <summary>The position of a partition in this basis, or −1 when it has more than n blocks.</summary>
    public int IndexOf(SetPartition p) =>
        p.Top == L && p.Bottom == K && _index.TryGetValue(p.Key, out int i) ? i : -1;

    internal int IndexOfKey(ulong key) => _index.TryGetValue(key, out int i) ? i : -1;

    /// <summary>Throws naming <paramref name="argument"/> unless the vector has exactly one coefficient per basis element.</summary>
    public void RequireCoefficients(ReadOnlySpan<double> coefficients, string argument = "coefficients")
    {
        if (coefficients.Length != Dimension)
            throw new AtlasArgumentException(argument,
                $"expected {Dimension} coefficients (one per partition of {L}+{K} points into at most {N} blocks, the dimension of Hom_S{N}((R^{N})^⊗{K}, (R^{N})^⊗{L})), got {coefficients.Length}");
        for (int i = 0; i < coefficients.Length; i++)
            if (!double.IsFinite(coefficients[i]))
                throw new AtlasArgumentException(argument, $"coefficient {i} is {coefficients[i]}; values must be finite");
    }
}
