using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// Enumerates the cofacets of one simplex without storing the coboundary matrix: in the combinatorial number
/// system, adding vertex j to a simplex changes its index by a sum of binomials, so cofacets come out in decreasing
/// index order from arithmetic alone. Dense input walks every vertex j; sparse input intersects the simplex's
/// neighbour lists from the top. One instance per nesting level and thread (it holds its own cursor state).
/// This is the innermost loop of the whole computation, hence the unchecked array access.
/// </summary>
internal sealed class CofacetEnumerator
{
    private readonly RipsComplex _c;
    private readonly long[] _b;
    private readonly int _stride;
    private readonly bool _sparse;
    private readonly float[] _dense;
    private readonly int[] _start, _nbr;
    private readonly float[] _val;
    private readonly int _modulus;
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
        _modulus = c.Modulus;
        _sparse = c.Sparse is not null;
        _dense = c.Dense ?? Array.Empty<float>();
        _start = c.Sparse?.Start ?? Array.Empty<int>();
        _nbr = c.Sparse?.Neighbor ?? Array.Empty<int>();
        _val = c.Sparse?.Value ?? Array.Empty<float>();
        _v = new int[c.DimMax + 3];
        _cur = new int[c.DimMax + 3];
        _end = new int[c.DimMax + 3];
    }

    /// <summary>The vertices of the current simplex, ascending (valid after <see cref="Set"/>).</summary>
    public int[] Vertices => _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long B(int i, int k) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_b), k * _stride + i);

    /// <summary>The vertex added by the last <see cref="Next"/>.</summary>
    public int LastVertex { get; private set; }

    /// <summary>As <see cref="Set(in DiameterEntry, int)"/> when the caller already knows the vertices (ascending): skips decoding.</summary>
    public void Set(in DiameterEntry simplex, int dim, int[] vertices)
    {
        Array.Copy(vertices, _v, dim + 1);
        Start(simplex, dim);
    }

    public void Set(in DiameterEntry simplex, int dim)
    {
        _c.Vertices(simplex.Index, dim, _v);
        Start(simplex, dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Start(in DiameterEntry simplex, int dim)
    {
        _dim = dim;
        _idxBelow = simplex.Index;
        _idxAbove = 0;
        _j = _c.N - 1;
        _k = dim + 1;
        _diam = simplex.Diameter;
        _coef = simplex.Coefficient;
        if (_sparse)
        {
            for (int i = 0; i <= dim; i++)
            {
                int v = _v[i];
                _cur[i] = _start[v + 1] - 1;
                _end[i] = _start[v] - 1;
            }
        }
    }

    /// <summary>
    /// True while a cofacet remains; with <paramref name="all"/> false only cofacets whose new vertex is larger
    /// than every vertex of the simplex (each simplex is then generated from exactly one facet).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public bool HasNext(bool all = true)
    {
        if (!_sparse) return _j >= _k && (all || B(_j, _k) > _idxBelow);
        return HasNextSparse(all);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool HasNextSparse(bool all)
    {
        ref int nbr = ref MemoryMarshal.GetArrayDataReference(_nbr);
        ref float val = ref MemoryMarshal.GetArrayDataReference(_val);
        ref int cur = ref MemoryMarshal.GetArrayDataReference(_cur);
        ref int end = ref MemoryMarshal.GetArrayDataReference(_end);
        int dim = _dim;
        int c0 = cur, e0 = end;
        for (; c0 > e0; c0--)
        {
            int nb = Unsafe.Add(ref nbr, c0);
            float nd = Unsafe.Add(ref val, c0);
            bool common = true;
            for (int t = 1; t <= dim; t++)
            {
                int p = Unsafe.Add(ref cur, t);
                int et = Unsafe.Add(ref end, t);
                if (p <= et) { cur = c0; return false; }
                int x;
                while ((x = Unsafe.Add(ref nbr, p)) > nb)
                {
                    if (--p <= et) { Unsafe.Add(ref cur, t) = p; cur = c0; return false; }
                }
                Unsafe.Add(ref cur, t) = p;
                if (x != nb) { common = false; break; }
                float vp = Unsafe.Add(ref val, p);
                if (vp > nd) nd = vp;
            }
            if (!common) continue;
            cur = c0;
            var v = _v;
            while (_k > 0 && v[_k - 1] > nb)
            {
                if (!all) return false;
                _idxBelow -= B(v[_k - 1], _k);
                _idxAbove += B(v[_k - 1], _k + 1);
                _k--;
            }
            _nbIndex = nb;
            _nbDiam = nd;
            return true;
        }
        cur = c0;
        return false;
    }

    /// <summary>Dense walk: moves past vertices of the simplex itself (j = its top remaining vertex) to the next candidate j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipOwnVertices()
    {
        while (B(_j, _k) <= _idxBelow)
        {
            _idxBelow -= B(_j, _k);
            _idxAbove += B(_j, _k + 1);
            _j--;
            _k--;
        }
    }

    /// <summary>Dense distance between simplex vertex v and candidate j (≠ v), given j's lower-triangle row offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DenseDistance(ref float low, nint rowJ, int v, int j) =>
        v < j ? Unsafe.Add(ref low, rowJ + v) : Unsafe.Add(ref low, (nint)((long)v * (v - 1) / 2) + j);

    /// <summary>
    /// The next cofacet of the same diameter as the simplex, or None: the apparent-pair tests ask only for that one.
    /// A cofacet keeps the diameter exactly when every new edge is at most that long, so on dense input a candidate
    /// vertex is rejected at its first longer edge, without its index or its full diameter (most of them are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DiameterEntry NextOfEqualDiameter()
    {
        if (_sparse)
        {
            while (HasNextSparse(true))
            {
                var t = Next();
                if (t.Diameter == _diam) return t;
            }
            return DiameterEntry.None;
        }
        float diam = _diam;
        ref float low = ref MemoryMarshal.GetArrayDataReference(_dense);
        ref int v0 = ref MemoryMarshal.GetArrayDataReference(_v);
        int dim = _dim;
        while (_j >= _k)
        {
            SkipOwnVertices();
            int j = _j;
            nint rowJ = (nint)((long)j * (j - 1) / 2);
            bool within = true;
            for (int i = 0; i <= dim; i++)
                if (DenseDistance(ref low, rowJ, Unsafe.Add(ref v0, i), j) > diam) { within = false; break; }
            if (within) return Next();
            _j--;
        }
        return DiameterEntry.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DiameterEntry Next()
    {
        int p = _modulus;
        if (_sparse)
        {
            _cur[0]--;
            LastVertex = _nbIndex;
            float d = Math.Max(_diam, _nbDiam);
            long index = _idxAbove + B(_nbIndex, _k + 1) + _idxBelow;
            int coef = p == 2 ? 1 : (_k & 1) != 0 ? (p - 1) * _coef % p : _coef;
            return new DiameterEntry(d, index, coef);
        }
        SkipOwnVertices();
        float diam = _diam;
        ref float low = ref MemoryMarshal.GetArrayDataReference(_dense);
        int j = _j;
        nint rowJ = (nint)((long)j * (j - 1) / 2);
        ref int v0 = ref MemoryMarshal.GetArrayDataReference(_v);
        for (int i = 0; i <= _dim; i++)
        {
            float dv = DenseDistance(ref low, rowJ, Unsafe.Add(ref v0, i), j);
            if (dv > diam) diam = dv;
        }
        long idx = _idxAbove + B(j, _k + 1) + _idxBelow;
        LastVertex = j;
        _j--;
        int c = p == 2 ? 1 : (_k & 1) != 0 ? (p - 1) * _coef % p : _coef;
        return new DiameterEntry(diam, idx, c);
    }
}
