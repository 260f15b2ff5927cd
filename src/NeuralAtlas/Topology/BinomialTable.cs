namespace NeuralAtlas.Topology;

/// <summary>
/// C(i, k) for 0 ≤ i ≤ n, 0 ≤ k ≤ kMax, row-major by k so that the binary searches over i for a fixed k (decoding a
/// simplex index in the combinatorial number system) stay in one cache-friendly row.
/// </summary>
internal sealed class BinomialTable
{
    private readonly long[] _b;
    private readonly int _stride;

    /// <summary>The largest simplex index the entry encoding allows: 56 bits, 8 are left for the coefficient.</summary>
    public const long MaxIndex = (1L << 56) - 1;

    public BinomialTable(int n, int kMax)
    {
        _stride = n + 1;
        _b = new long[(long)(kMax + 1) * _stride];
        for (int i = 0; i <= n; i++)
        {
            _b[i] = 1;
            for (int k = 1; k <= Math.Min(i, kMax); k++)
            {
                long v = k == i ? 1 : _b[(long)(k - 1) * _stride + i - 1] + _b[(long)k * _stride + i - 1];
                if (v > MaxIndex || v < 0)
                    throw new AtlasArgumentException("dim",
                        $"simplices of dimension {kMax - 1} on {n} points cannot be indexed in 56 bits (C({i},{k}) overflows); lower the dimension or the number of points");
                _b[(long)k * _stride + i] = v;
            }
        }
    }

    public long this[int i, int k] => _b[k * _stride + i];

    public long[] Raw => _b;
    public int Stride => _stride;
}
