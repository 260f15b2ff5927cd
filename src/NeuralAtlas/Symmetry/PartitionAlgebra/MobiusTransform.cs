namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// The change of basis between the orbit basis X_π and the diagram basis D_π. Because D_π = Σ_{σ ⪰ π} X_σ (sum
/// over the coarsenings σ of π), Möbius inversion on the partition lattice gives X_π = Σ_{σ ⪰ π} μ(π, σ) D_σ with
/// μ(π, σ) = Π_B (−1)^{c_B − 1} (c_B − 1)!, the product over the blocks B of σ of c_B = the number of blocks of π
/// merged into B. Orbit elements with more than n blocks vanish, and the coarsenings of a partition with at most n
/// blocks also have at most n blocks, so both sums stay inside the basis. The coefficients are integers, so the
/// round trip of integer coefficients is exact.
/// </summary>
public sealed class MobiusTransform
{
    /// <summary>Refuse lattices with more comparable pairs than this (each pair is a few bytes and a few operations).</summary>
    public const long MaxPairs = 20_000_000;

    private readonly int[] _fine;   // pair p relates the basis element _fine[p] ⪯ _coarse[p]
    private readonly int[] _coarse;
    private readonly long[] _mu;

    public EquivariantBasis Basis { get; }
    public long PairCount => _fine.Length;

    public MobiusTransform(EquivariantBasis basis)
    {
        Basis = basis;
        int m = basis.K + basis.L;
        long pairs = 0;
        for (int t = 1; t <= Math.Min(m, basis.N); t++)
            pairs = checked(pairs + SetPartitions.Stirling2(m, t) * SetPartitions.Bell(t));
        if (pairs > MaxPairs)
            throw new AtlasArgumentException("k, l", $"the change of basis for k + l = {m}, n = {basis.N} relates {pairs:N0} pairs of partitions; at most {MaxPairs:N0} are supported");
        _fine = new int[pairs];
        _coarse = new int[pairs];
        _mu = new long[pairs];
        var factorial = new long[m + 1];
        factorial[0] = 1;
        for (int i = 1; i <= m; i++) factorial[i] = factorial[i - 1] * i;
        int q = 0;
        var labels = new int[m];
        for (int i = 0; i < basis.Dimension; i++)
        {
            var pi = basis.Partitions[i];
            foreach (int[] rho in SetPartitions.RestrictedGrowthStrings(pi.BlockCount, int.MaxValue))
            {
                for (int p = 0; p < m; p++) labels[p] = rho[pi.Blocks[p]];
                var sigma = new SetPartition(basis.L, basis.K, labels);
                int j = basis.IndexOfKey(sigma.Key);
                if (j < 0) throw new InvalidOperationException("a coarsening left the basis"); // cannot happen: coarsening never adds blocks
                var sizes = new int[sigma.BlockCount];
                foreach (int r in rho) sizes[r]++;
                long mu = 1;
                foreach (int c in sizes) mu *= ((c - 1) % 2 == 0 ? 1 : -1) * factorial[c - 1];
                _fine[q] = i;
                _coarse[q] = j;
                _mu[q] = mu;
                q++;
            }
        }
    }

    /// <summary>Σ_π w_π X_π = Σ_σ v_σ D_σ with v_σ = Σ_{π ⪯ σ} μ(π, σ) w_π.</summary>
    public double[] OrbitToDiagram(ReadOnlySpan<double> orbit)
    {
        Basis.RequireCoefficients(orbit, "orbit coefficients");
        var v = new double[Basis.Dimension];
        for (int p = 0; p < _fine.Length; p++) v[_coarse[p]] += _mu[p] * orbit[_fine[p]];
        return v;
    }

    /// <summary>Σ_π v_π D_π = Σ_σ w_σ X_σ with w_σ = Σ_{π ⪯ σ} v_π (a diagram element is the sum of its coarsenings' orbits).</summary>
    public double[] DiagramToOrbit(ReadOnlySpan<double> diagram)
    {
        Basis.RequireCoefficients(diagram, "diagram coefficients");
        var w = new double[Basis.Dimension];
        for (int p = 0; p < _fine.Length; p++) w[_coarse[p]] += diagram[_fine[p]];
        return w;
    }

    /// <summary>μ(π, σ) for basis indices (0 when π does not refine σ).</summary>
    public long Mu(int fine, int coarse)
    {
        for (int p = 0; p < _fine.Length; p++)
            if (_fine[p] == fine && _coarse[p] == coarse) return _mu[p];
        return 0;
    }
}
