namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// One S_n-equivariant linear map (R^n)^{⊗k} → (R^n)^{⊗l}, given by coefficients in the diagram or the orbit
/// basis. It is applied through the diagram basis (orbit coefficients are converted once by the Möbius
/// transform), one per-block factorised product per partition, never forming the dense matrix.
/// </summary>
public sealed class EquivariantMap
{
    private readonly DiagramProduct[] _products;
    private readonly double[] _diagram;

    public EquivariantBasis Basis { get; }
    /// <summary>The coefficients in the diagram basis (what is applied).</summary>
    public ReadOnlySpan<double> DiagramCoefficients => _diagram;

    public EquivariantMap(EquivariantBasis basis, ReadOnlySpan<double> coefficients, BasisKind kind = BasisKind.Diagram)
    {
        basis.RequireCoefficients(coefficients, kind == BasisKind.Diagram ? "diagram coefficients" : "orbit coefficients");
        SizeGuard.Require("k", $"the input (R^{basis.N})^⊗{basis.K}", basis.N, basis.K);
        SizeGuard.Require("l", $"the output (R^{basis.N})^⊗{basis.L}", basis.N, basis.L);
        Basis = basis;
        _diagram = kind == BasisKind.Diagram ? coefficients.ToArray() : new MobiusTransform(basis).OrbitToDiagram(coefficients);
        _products = basis.Partitions.Select(p => new DiagramProduct(p, basis.N)).ToArray();
    }

    public int InputLength => (int)SizeGuard.Power(Basis.N, Basis.K);
    public int OutputLength => (int)SizeGuard.Power(Basis.N, Basis.L);

    /// <summary>y = Σ_π v_π D_π x for one x of length n^k (row-major); returns y of length n^l.</summary>
    public double[] Apply(ReadOnlySpan<double> x)
    {
        if (x.Length != InputLength)
            throw new AtlasArgumentException("input", $"expected {InputLength} values (n^k = {Basis.N}^{Basis.K}), got {x.Length}");
        var y = new double[OutputLength];
        ApplyInto(x, y);
        return y;
    }

    /// <summary>y = Σ_π v_π D_π x into a caller's buffer of length n^l (overwritten), allocating nothing large.</summary>
    public void ApplyInto(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != InputLength || y.Length != OutputLength)
            throw new AtlasArgumentException("input", $"expected x of length {InputLength} and y of length {OutputLength}, got {x.Length} and {y.Length}");
        y.Clear();
        int scratch = _products.Length == 0 ? 0 : (int)_products.Max(p => p.ScratchLength);
        double[] w = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(scratch, 1));
        try
        {
            for (int i = 0; i < _products.Length; i++)
                if (_diagram[i] != 0) _products[i].MultiplyAdd(_diagram[i], x, y, w);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(w);
        }
    }

    /// <summary>
    /// Applies the map to a batch: <paramref name="shape"/> is (…, n, …, n) with k trailing axes of size n; the
    /// result has the same leading axes followed by l axes of size n.
    /// </summary>
    public (double[] Data, int[] Shape) ApplyBatch(ReadOnlySpan<double> data, int[] shape)
    {
        int k = Basis.K, n = Basis.N;
        if (shape.Length < k || shape.Skip(shape.Length - k).Any(d => d != n))
            throw new AtlasArgumentException("input", $"shape ({string.Join(", ", shape)}) must end with k = {k} axes of size n = {n}");
        long count = 1;
        foreach (int d in shape) count *= d;
        if (count != data.Length) throw new AtlasArgumentException("input", $"shape ({string.Join(", ", shape)}) needs {count} values, got {data.Length}");
        var lead = shape.Take(shape.Length - k).ToArray();
        long batch = 1;
        foreach (int d in lead) batch *= d;
        long total = batch * OutputLength;
        if (total > SizeGuard.MaxArrayLength)
            throw new AtlasArgumentException("input", $"the output would have {batch:N0} × {n}^{Basis.L} = {total:N0} entries; at most {SizeGuard.MaxArrayLength:N0} fit one array");
        var y = new double[total];
        for (long b = 0; b < batch; b++)
            ApplyInto(data.Slice((int)(b * InputLength), InputLength), y.AsSpan((int)(b * OutputLength), OutputLength));
        return (y, lead.Concat(Enumerable.Repeat(n, Basis.L)).ToArray());
    }
}
