using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// The Vietoris–Rips filtration as Ripser sees it, never materialised: n vertices, a distance (dense lower
/// triangle or sparse neighbour lists), a threshold, and simplices named by their index in the combinatorial
/// number system, {v_k &gt; … &gt; v_0} ↦ Σ C(v_i, i+1). Shared read-only by all threads.
/// </summary>
internal sealed class RipsComplex
{
    public readonly int N;
    public readonly int DimMax;
    public readonly float Threshold;
    public readonly int Modulus;
    public readonly BinomialTable Binomial;
    public readonly float[]? Dense;
    public readonly SparseDistanceMatrix? Sparse;
    /// <summary>
    /// For sparse input on few enough points, the full lower triangle (missing pairs +∞) as well: facet diameters
    /// then cost one load per pair instead of a binary search in a neighbour list. Neighbour lists still drive
    /// cofacet enumeration.
    /// </summary>
    private readonly float[]? _lookup;
    private readonly long[] _b;

    /// <summary>Largest dense lookup table built beside a sparse matrix (n ≈ 8,000 points).</summary>
    private const long MaxLookupBytes = 128L << 20;
    private readonly int _stride;

    public RipsComplex(float[]? dense, SparseDistanceMatrix? sparse, int n, int dimMax, float threshold, int modulus)
    {
        N = n;
        DimMax = dimMax;
        Threshold = threshold;
        Modulus = modulus;
        Dense = dense;
        Sparse = sparse;
        Binomial = new BinomialTable(n, dimMax + 2);
        _b = Binomial.Raw;
        _stride = Binomial.Stride;
        if (sparse is not null && dimMax >= 1 && (long)n * (n - 1) / 2 * 4 <= MaxLookupBytes)
        {
            var t = new float[(long)n * (n - 1) / 2];
            Array.Fill(t, float.PositiveInfinity);
            for (int i = 0; i < n; i++)
            {
                long row = (long)i * (i - 1) / 2;
                for (int k = sparse.Start[i]; k < sparse.Start[i + 1]; k++)
                {
                    int j = sparse.Neighbor[k];
                    if (j >= i) break;
                    t[row + j] = sparse.Value[k];
                }
            }
            _lookup = t;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long B(int i, int k) => _b[k * _stride + i];

    /// <summary>The full lower triangle when there is one (dense input, or the lookup beside sparse lists), else null.</summary>
    public float[]? Lower => Dense ?? _lookup;

    /// <summary>
    /// The diameter of a simplex from its vertices (ascending, so every pair is a distinct lower-triangle entry).
    /// On the hot paths of high dimensions, where the m(m−1)/2 pairs dominate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Diameter(int[] v, int m)
    {
        float diameter = 0;
        if (Lower is { } lower)
        {
            ref float low = ref MemoryMarshal.GetArrayDataReference(lower);
            ref int vr = ref MemoryMarshal.GetArrayDataReference(v);
            for (int a = 1; a < m; a++)
            {
                int va = Unsafe.Add(ref vr, a);
                ref float row = ref Unsafe.Add(ref low, (nint)((long)va * (va - 1) / 2));
                for (int b = 0; b < a; b++)
                {
                    float d = Unsafe.Add(ref row, Unsafe.Add(ref vr, b));
                    if (d > diameter) diameter = d;
                }
            }
            return diameter;
        }
        for (int a = 1; a < m; a++)
            for (int b = 0; b < a; b++)
            {
                float d = Dist(v[a], v[b]);
                if (d > diameter) diameter = d;
            }
        return diameter;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public float Dist(int i, int j)
    {
        var low = Dense ?? _lookup;
        if (low is not null)
        {
            if (i == j) return 0f;
            nint at = i > j ? (nint)((long)i * (i - 1) / 2 + j) : (nint)((long)j * (j - 1) / 2 + i);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(low), at);
        }
        var s = Sparse!;
        var nb = s.Neighbor;
        int lo = s.Start[i], hi = s.Start[i + 1] - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int x = nb[mid];
            if (x == j) return s.Value[mid];
            if (x < j) lo = mid + 1; else hi = mid - 1;
        }
        return i == j ? 0f : float.PositiveInfinity;
    }

    /// <summary>The largest w ≤ top with C(w, k) ≤ idx (binary search; C(k−1, k) = 0 so w ≥ k − 1 always fits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public int MaxVertex(long idx, int k, int top)
    {
        ref long row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_b), k * _stride);
        if (Unsafe.Add(ref row, top) <= idx) return top;
        int lo = k - 1, hi = top; // row[lo] ≤ idx < row[hi]
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (Unsafe.Add(ref row, mid) <= idx) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>Decodes a simplex index into its dim+1 vertices, ascending, into <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Vertices(long idx, int dim, int[] v)
    {
        int top = N - 1;
        for (int k = dim + 1; k > 1; k--)
        {
            top = MaxVertex(idx, k, top);
            v[k - 1] = top;
            idx -= B(top, k);
        }
        v[0] = (int)idx;
    }
}

/// <summary>
/// Ripser's apparent pairs, decided locally: a simplex σ and its cofacet τ of equal diameter form a zero-persistence
/// pair when τ is σ's earliest cofacet and σ is τ's latest facet. Such pairs never need a column reduction.
/// One instance per thread.
/// </summary>
internal sealed class ApparentPairs
{
    private readonly RipsComplex _c;
    private readonly CofacetEnumerator _cof;
    private readonly int[] _v;

    public ApparentPairs(RipsComplex c)
    {
        _c = c;
        _cof = new CofacetEnumerator(c);
        _v = new int[c.DimMax + 4];
        _fv = new int[c.DimMax + 4];
        _touch = new int[c.DimMax + 4];
        _cv = new int[c.DimMax + 4];
    }

    private readonly int[] _fv, _cv, _touch;
    private int _removed;

    /// <summary>The facet of equal diameter with the smallest index (the boundary pivot), or None.</summary>
    public DiameterEntry ZeroPivotFacet(in DiameterEntry simplex, int dim)
    {
        _c.Vertices(simplex.Index, dim, _v);
        return ZeroPivotFacet(simplex, dim, _v);
    }

    /// <summary>As above with the simplex's vertices (ascending) already known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DiameterEntry ZeroPivotFacet(in DiameterEntry simplex, int dim, int[] v)
    {
        var c = _c;
        // Removing v[r]: vertices below r keep C(v_i, i+1), those above drop to C(v_i, i). r runs from the top, so
        // facets come out in increasing index order, as in Ripser.
        long rem = simplex.Index, high = 0;
        int p = c.Modulus;
        int m = dim + 1;
        // Facet r keeps the simplex's diameter iff some longest edge avoids vertex r, so only the longest edges
        // matter (usually one): O(m²) instead of rescanning every facet's edges.
        // touch[r]: how many longest edges have vertex r; facet r keeps the diameter iff touch[r] < longest.
        var touch = _touch;
        Array.Clear(touch, 0, m);
        int longest = 0;
        float diamS = simplex.Diameter;
        ref int vr = ref MemoryMarshal.GetArrayDataReference(v);
        ref int tr = ref MemoryMarshal.GetArrayDataReference(touch);
        if (c.Lower is { } lower)
        {
            ref float lowest = ref MemoryMarshal.GetArrayDataReference(lower);
            for (int a = 1; a < m; a++)
            {
                int va = Unsafe.Add(ref vr, a);
                ref float row = ref Unsafe.Add(ref lowest, (nint)((long)va * (va - 1) / 2));
                for (int b = 0; b < a; b++)
                    if (Unsafe.Add(ref row, Unsafe.Add(ref vr, b)) == diamS) { Unsafe.Add(ref tr, a)++; Unsafe.Add(ref tr, b)++; longest++; }
            }
        }
        else
        {
            for (int a = 1; a < m; a++)
                for (int b = 0; b < a; b++)
                    if (c.Dist(v[a], v[b]) == diamS) { touch[a]++; touch[b]++; longest++; }
        }
        for (int r = dim; r >= 0; r--)
        {
            long low = rem - c.B(v[r], r + 1);
            if (Unsafe.Add(ref tr, r) < longest)
            {
                _removed = r;
                int coef = p == 2 ? 1 : (r & 1) != 0 ? (p - 1) * simplex.Coefficient % p : simplex.Coefficient;
                return new DiameterEntry(diamS, low + high, coef);
            }
            high += c.B(v[r], r);
            rem = low;
        }
        return DiameterEntry.None;
    }

    /// <summary>The cofacet of equal diameter with the largest index (the coboundary pivot), or None.</summary>
    public DiameterEntry ZeroPivotCofacet(in DiameterEntry simplex, int dim)
    {
        _cof.Set(simplex, dim);
        return _cof.NextOfEqualDiameter();
    }

    public DiameterEntry ZeroPivotCofacet(in DiameterEntry simplex, int dim, int[] v)
    {
        _cof.Set(simplex, dim, v);
        return _cof.NextOfEqualDiameter();
    }

    public DiameterEntry ZeroApparentFacet(in DiameterEntry simplex, int dim)
    {
        _c.Vertices(simplex.Index, dim, _v);
        return ZeroApparentFacet(simplex, dim, _v);
    }

    /// <summary>With the vertices known: the facet's vertices are the simplex's minus the removed one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DiameterEntry ZeroApparentFacet(in DiameterEntry simplex, int dim, int[] v)
    {
        var f = ZeroPivotFacet(simplex, dim, v);
        if (f.IsNone) return f;
        int w = 0;
        for (int i = 0; i <= dim; i++) if (i != _removed) _fv[w++] = v[i];
        return ZeroPivotCofacet(f, dim - 1, _fv).Index == simplex.Index ? f : DiameterEntry.None;
    }

    public DiameterEntry ZeroApparentCofacet(in DiameterEntry simplex, int dim)
    {
        _c.Vertices(simplex.Index, dim, _v);
        return ZeroApparentCofacet(simplex, dim, _v);
    }

    /// <summary>With the vertices known: the cofacet's vertices are the simplex's plus the enumerator's new vertex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DiameterEntry ZeroApparentCofacet(in DiameterEntry simplex, int dim, int[] v)
    {
        var t = ZeroPivotCofacet(simplex, dim, v);
        if (t.IsNone) return t;
        int x = _cof.LastVertex, w = 0, i = 0;
        for (; i <= dim && v[i] < x; i++) _cv[w++] = v[i];
        _cv[w++] = x;
        for (; i <= dim; i++) _cv[w++] = v[i];
        return ZeroPivotFacet(t, dim + 1, _cv).Index == simplex.Index ? t : DiameterEntry.None;
    }

    /// <summary>
    /// The facet side is tested first: it needs only the simplex's own distances, and most Rips simplices are
    /// the cofacet of an apparent pair; the cofacet side walks the coboundary.
    /// </summary>
    public bool InZeroApparentPair(in DiameterEntry simplex, int dim, int[] v) =>
        !ZeroApparentFacet(simplex, dim, v).IsNone || !ZeroApparentCofacet(simplex, dim, v).IsNone;
}
