namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// The dense n^l × n^k matrix of an equivariant map, built entry by entry from the definition of the bases: what
/// public implementations (symmetricNNs, InvariantGraphNetworks) multiply with. Here only as the reference the
/// fast product is tested and benchmarked against; it costs n^(k+l) memory.
/// </summary>
public static class DenseEquivariant
{
    /// <summary>Row-major n^l × n^k matrix Σ_π c_π E_π, E = D (diagram) or X (orbit).</summary>
    public static double[] Matrix(EquivariantBasis basis, ReadOnlySpan<double> coefficients, BasisKind kind)
    {
        basis.RequireCoefficients(coefficients);
        int k = basis.K, l = basis.L, n = basis.N, m = k + l;
        SizeGuard.Require("k, l", $"the dense {n}^{l} × {n}^{k} matrix", n, m);
        long rows = SizeGuard.Power(n, l), cols = SizeGuard.Power(n, k);
        var a = new double[rows * cols];
        var idx = new int[m];
        var pattern = new int[m];
        for (long e = 0; e < a.LongLength; e++)
        {
            // The joint index (I, J): row digits are the output axes, column digits the input axes.
            long r = e / cols, c = e % cols;
            for (int p = l - 1; p >= 0; p--) { idx[p] = (int)(r % n); r /= n; }
            for (int p = m - 1; p >= l; p--) { idx[p] = (int)(c % n); c /= n; }
            double sum = 0;
            if (kind == BasisKind.Orbit)
            {
                // Exactly one orbit element is nonzero at each entry: the equality pattern of the index.
                int i = basis.IndexOfKey(KernelKey(idx, pattern));
                if (i >= 0) sum = coefficients[i];
            }
            else
            {
                for (int i = 0; i < basis.Dimension; i++)
                {
                    if (coefficients[i] == 0) continue;
                    var blocks = basis.Partitions[i].Blocks;
                    Array.Fill(pattern, -1);
                    bool ok = true;
                    for (int p = 0; p < m && ok; p++)
                    {
                        if (pattern[blocks[p]] < 0) pattern[blocks[p]] = idx[p];
                        else ok = pattern[blocks[p]] == idx[p];
                    }
                    if (ok) sum += coefficients[i];
                }
            }
            a[e] = sum;
        }
        return a;
    }

    /// <summary>The basis key of the equality pattern of an index tuple (its restricted growth string).</summary>
    private static ulong KernelKey(int[] idx, int[] label)
    {
        int blocks = 0;
        ulong key = 0;
        for (int p = 0; p < idx.Length; p++)
        {
            label[p] = -1;
            for (int q = 0; q < p; q++)
                if (idx[q] == idx[p]) { label[p] = label[q]; break; }
            if (label[p] < 0) label[p] = blocks++;
            key |= (ulong)label[p] << (4 * p);
        }
        return key;
    }

    /// <summary>y = A x for a row-major rows × cols matrix.</summary>
    public static double[] Multiply(double[] a, ReadOnlySpan<double> x, int rows)
    {
        int cols = x.Length;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = a.AsSpan(r * cols, cols);
            double s = 0;
            for (int c = 0; c < cols; c++) s += row[c] * x[c];
            y[r] = s;
        }
        return y;
    }
}
