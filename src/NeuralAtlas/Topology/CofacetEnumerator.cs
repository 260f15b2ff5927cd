using System.Runtime.CompilerServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// Enumerates the cofacets of one simplex without storing the coboundary matrix: in the combinatorial number
/// system, adding vertex j to a simplex changes its index by a sum of binomials, so cofacets come out in decreasing
/// index order from arithmetic alone. Dense input walks every vertex j; sparse input intersects the simplex's
/// neighbour lists from the top. One instance per nesting level and thread (it holds its own cursor state).
/// </summary>
internal sealed class CofacetEnumerator
{
    private readonly RipsComplex _c;
    private readonly long[] _b;
    private readonly int _stride;
    private readonly int[] _v;
    private readonly int[] _cur, _end;
    private int _dim;
    private long _idxBelow, _idxAbove;
    private int _j, _k;
    private float _diam;
    private int _coef;
    private int _nbIndex;
    private float _nbDiam;

    public CofacetEnumerator(RipsComplex c)
    {
        _c = c;
        _b = c.Binomial.Raw;
        _stride = c.Binomial.Stride;
        _v = new int[c.DimMax + 3];
        _cur = new int[c.DimMax + 3];
        _end = new int[c.DimMax + 3];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long B(int i, int k) => _b[k * _stride + i];

    public void Set(in DiameterEntry simplex, int dim)
    {
        _dim = dim;
        _idxBelow = simplex.Index;
        _idxAbove = 0;
        _j = _c.N - 1;
        _k = dim + 1;
        _diam = simplex.Diameter;
        _coef = simplex.Coefficient;
        _c.Vertices(_idxBelow, dim, _v);
        if (_c.Sparse is { } s)
        {
            for (int i = 0; i <= dim; i++)
            {
                int v = _v[i];
                _cur[i] = s.Start[v + 1] - 1;
                _end[i] = s.Start[v] - 1;
            }
        }
    }

    /// <summary>
    /// True while a cofacet remains; with <paramref name="all"/> false only cofacets whose new vertex is larger
    /// than every vertex of the simplex (each simplex is then generated from exactly one facet).
    /// </summary>
    public bool HasNext(bool all = true)
    {
        if (_c.Sparse is null) return _j >= _k && (all || B(_j, _k) > _idxBelow);
        return HasNextSparse(all);
    }

    private bool HasNextSparse(bool all)
    {
        var s = _c.Sparse!;
        var nbr = s.Neighbor;
        var val = s.Value;
        for (; _cur[0] > _end[0]; _cur[0]--)
        {
            int nb = nbr[_cur[0]];
            float nd = val[_cur[0]];
            bool common = true;
            for (int t = 1; t <= _dim; t++)
            {
                int p = _cur[t];
                if (p <= _end[t]) return false;
                while (nbr[p] > nb)
                {
                    if (--p <= _end[t]) { _cur[t] = p; return false; }
                }
                _cur[t] = p;
                if (nbr[p] != nb) { common = false; break; }
                if (val[p] > nd) nd = val[p];
            }
            if (!common) continue;
            while (_k > 0 && _v[_k - 1] > nb)
            {
                if (!all) return false;
                _idxBelow -= B(_v[_k - 1], _k);
                _idxAbove += B(_v[_k - 1], _k + 1);
                _k--;
            }
            _nbIndex = nb;
            _nbDiam = nd;
            return true;
        }
        return false;
    }

    public DiameterEntry Next()
    {
        int p = _c.Modulus;
        if (_c.Sparse is not null)
        {
            _cur[0]--;
            float d = Math.Max(_diam, _nbDiam);
            long index = _idxAbove + B(_nbIndex, _k + 1) + _idxBelow;
            int coef = p == 2 ? 1 : (_k & 1) != 0 ? (p - 1) * _coef % p : _coef;
            return new DiameterEntry(d, index, coef);
        }
        while (B(_j, _k) <= _idxBelow)
        {
            _idxBelow -= B(_j, _k);
            _idxAbove += B(_j, _k + 1);
            _j--;
            _k--;
        }
        float diam = _diam;
        var low = _c.Dense!;
        int j = _j;
        long rowJ = (long)j * (j - 1) / 2;
        for (int i = 0; i <= _dim; i++)
        {
            int v = _v[i];
            float dv = v < j ? low[rowJ + v] : low[(long)v * (v - 1) / 2 + j];
            if (dv > diam) diam = dv;
        }
        long idx = _idxAbove + B(j, _k + 1) + _idxBelow;
        _j--;
        int c = p == 2 ? 1 : (_k & 1) != 0 ? (p - 1) * _coef % p : _coef;
        return new DiameterEntry(diam, idx, c);
    }
}
