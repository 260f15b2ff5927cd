using System.Runtime.CompilerServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// Ripser's algorithm (Bauer 2021) on a <see cref="RipsComplex"/>: dimension 0 by union–find over the sorted edges;
/// higher dimensions by persistent cohomology — reducing coboundary columns in reverse filtration order, with
/// clearing (a simplex that was a pivot one dimension down is never a column), implicit coboundaries, apparent
/// pairs (skipped outright) and emergent pairs (a column whose first cofacet is an unclaimed zero-persistence pivot
/// needs no reduction). Only the reduction matrix V is stored, never the coboundaries themselves.
/// The hot loops here and in the enumerators are marked AggressiveOptimization: under tiered compilation they
/// would first run unoptimised and uninlined until call counting promotes them, which made a 0.2-s run twice as
/// slow; compiled optimised at once they are as fast in long runs (measured: random16_50 within noise).
/// </summary>
internal sealed class RipsReduction
{
    private readonly RipsComplex _c;
    private readonly ApparentPairs _ap;
    private readonly CofacetEnumerator _cofInit, _cofAdd;
    private readonly EntryHeap _workCob = new(), _workRed = new();
    private readonly List<DiameterEntry> _cofacetEntries = new();
    private readonly int[] _inverse;
    private readonly bool _cocycles;
    private readonly double _ratio;
    private readonly int _threads;
    private readonly List<PersistenceInterval>[] _intervals;
    private readonly List<RepresentativeCocycle> _cocycleList = new();

    public RipsReduction(RipsComplex c, bool cocycles, double ratio, int threads)
    {
        _c = c;
        _ap = new ApparentPairs(c);
        _cofInit = new CofacetEnumerator(c);
        _cofAdd = new CofacetEnumerator(c);
        _cocycles = cocycles;
        _ratio = ratio;
        _threads = Math.Max(1, threads);
        _intervals = new List<PersistenceInterval>[c.DimMax + 1];
        for (int d = 0; d <= c.DimMax; d++) _intervals[d] = new List<PersistenceInterval>();
        int p = c.Modulus;
        _inverse = new int[p];
        _inverse[1] = 1;
        // p = a·(p/a) + p%a  ⇒  inverse(a) = −(p/a)·inverse(p%a)  (mod p)
        for (int a = 2; a < p; a++) _inverse[a] = p - _inverse[p % a] * (p / a) % p;
    }

    public (List<PersistenceInterval>[] Intervals, List<RepresentativeCocycle> Cocycles) Run(int outputDims)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Trace($"start: {_c.N} points, dimension ≤ {_c.DimMax}", sw);
        var (simplices, columns) = ComputeDim0();
        Trace($"dim 0: {simplices.Count} edges, {columns.Count} columns", sw);
        for (int dim = 1; dim <= _c.DimMax; dim++)
        {
            var pivots = new Dictionary<long, long>(columns.Count);
            ComputePairs(columns, pivots, dim);
            int reduced = columns.Count;
            CollectIfLarge(reduced);
            Trace($"dim {dim}: reduced {reduced} columns, {pivots.Count} pairs", sw);
            if (dim < _c.DimMax)
            {
                // Drop the references first so the collector can reclaim last dimension's lists while this one is built.
                var below = simplices;
                simplices = null!;
                columns = null!;
                (simplices, columns) = Assemble(below, pivots, dim + 1);
                CollectIfLarge(simplices.Count + columns.Count);
                Trace($"dim {dim + 1}: assembled {simplices.Count} simplices, {columns.Count} columns", sw);
            }
        }
        var intervals = _intervals;
        if (outputDims > intervals.Length)
        {
            Array.Resize(ref intervals, outputDims);
            for (int d = 0; d < outputDims; d++) intervals[d] ??= new List<PersistenceInterval>();
        }
        return (intervals, _cocycleList);
    }

    private static readonly bool Tracing = Environment.GetEnvironmentVariable("ATLAS_TOPOLOGY_TRACE") == "1";

    private static void Trace(string what, System.Diagnostics.Stopwatch sw)
    {
        if (!Tracing) return;
        var me = System.Diagnostics.Process.GetCurrentProcess();
        Console.Error.WriteLine($"[rips {sw.Elapsed.TotalSeconds,8:F3}s, heap {GC.GetTotalMemory(false) / 1e6,6:F1} MB, allocated {GC.GetTotalAllocatedBytes() / 1e6,6:F1} MB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6,6:F1} MB, working set {me.WorkingSet64 / 1e6,6:F1} (peak {me.PeakWorkingSet64 / 1e6,6:F1}) MB] {what}");
    }

    /// <summary>
    /// Between phases the previous dimension's lists and the reduction matrix become garbage in the large-object
    /// heap; a full collection returns them before the next phase allocates (peak memory, not speed).
    /// </summary>
    private static void CollectIfLarge(long entries)
    {
        if (entries * 16 > 16L << 20) GC.Collect(2, GCCollectionMode.Forced, blocking: true);
    }

    private struct GreaterDiameterSmallerIndex : IComparer<DiameterEntry>
    {
        public readonly int Compare(DiameterEntry x, DiameterEntry y)
        {
            if (x.Diameter > y.Diameter) return -1;
            if (x.Diameter < y.Diameter) return 1;
            return x.Index.CompareTo(y.Index);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (SimplexStore Edges, EntryBuffer Columns) ComputeDim0()
    {
        int n = _c.N;
        float thr = _c.Threshold;
        // Counted first so that the edge list and the store are allocated once at their final size: growing them
        // leaves ~2× their size behind as garbage, which on a small run is most of the memory the run touches.
        long edgeCount = CountEdges(thr);
        if (edgeCount > Array.MaxLength) throw new AtlasArgumentException("threshold", $"{edgeCount} edges within the threshold, more than one array holds ({Array.MaxLength}); lower the threshold");
        var edges = new EntryBuffer((int)edgeCount);
        if (_c.Dense is { } low)
        {
            for (int i = 1; i < n; i++)
            {
                long row = (long)i * (i - 1) / 2;
                for (int j = 0; j < i; j++)
                {
                    float d = low[row + j];
                    if (d <= thr) edges.Add(new DiameterEntry(d, row + j, 1));
                }
            }
        }
        else
        {
            var s = _c.Sparse!;
            for (int i = 0; i < n; i++)
                for (int k = s.Start[i]; k < s.Start[i + 1]; k++)
                {
                    int j = s.Neighbor[k];
                    if (j >= i) break;
                    float d = s.Value[k];
                    if (d <= thr) edges.Add(new DiameterEntry(d, _c.B(i, 2) + j, 1));
                }
        }
        // Increasing diameter, ties by decreasing index: the reverse of the column order of dimension 1.
        var e = edges.Span;
        e.Sort(new GreaterDiameterSmallerIndex());
        e.Reverse();

        var parent = new int[n];
        var rank = new byte[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        var h0 = _intervals[0];
        var columns = new EntryBuffer();
        foreach (var edge in e)
        {
            int a = _c.MaxVertex(edge.Index, 2, n - 1);
            int b = (int)(edge.Index - _c.B(a, 2));
            int u = Find(parent, a), v = Find(parent, b);
            if (u != v)
            {
                if (edge.Diameter != 0) h0.Add(new PersistenceInterval(0, edge.Diameter));
                if (rank[u] > rank[v]) parent[v] = u;
                else
                {
                    parent[u] = v;
                    if (rank[u] == rank[v]) rank[v]++;
                }
            }
            else if (_c.DimMax > 0 && _ap.ZeroApparentCofacet(edge, 1).IsNone)
                columns.Add(edge);
        }
        for (int i = 0; i < n; i++)
            if (Find(parent, i) == i) h0.Add(new PersistenceInterval(0, double.PositiveInfinity));
        columns.Span.Reverse();
        var store = new SimplexStore(_c.DimMax > 1 ? e.Length : 0);
        if (_c.DimMax > 1) foreach (var edge in e) store.Add(edge.Index);
        return (store, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long CountEdges(float thr)
    {
        long count = 0;
        if (_c.Dense is { } low)
        {
            foreach (float d in low)
                if (d <= thr) count++;
            return count;
        }
        var s = _c.Sparse!;
        for (int i = 0; i < _c.N; i++)
            for (int k = s.Start[i]; k < s.Start[i + 1]; k++)
            {
                if (s.Neighbor[k] >= i) break;
                if (s.Value[k] <= thr) count++;
            }
        return count;
    }

    private static int Find(int[] parent, int x)
    {
        int y = x, z;
        while ((z = parent[y]) != y) y = z;
        while ((z = parent[x]) != y) { parent[x] = y; x = z; }
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private DiameterEntry PopPivot(EntryHeap h)
    {
        int p = _c.Modulus;
        if (p == 2)
        {
            while (h.Count > 0)
            {
                var pivot = h.Top;
                h.Pop();
                if (h.Count == 0 || h.Top.Index != pivot.Index) return pivot;
                h.Pop();
            }
            return DiameterEntry.None;
        }
        var piv = DiameterEntry.None;
        int coef = 0;
        while (h.Count > 0)
        {
            ref readonly var top = ref h.Top;
            if (coef == 0) { piv = top; coef = top.Coefficient; }
            else if (top.Index != piv.Index) { piv.SetCoefficient(coef); return piv; }
            else coef = (coef + top.Coefficient) % p;
            h.Pop();
        }
        if (coef == 0) return DiameterEntry.None;
        piv.SetCoefficient(coef);
        return piv;
    }

    private DiameterEntry GetPivot(EntryHeap h)
    {
        var r = PopPivot(h);
        if (!r.IsNone) h.Push(r);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private DiameterEntry InitCoboundaryAndGetPivot(in DiameterEntry simplex, int dim, Dictionary<long, long> pivots)
    {
        bool checkEmergent = true;
        _cofacetEntries.Clear();
        var cof = _cofInit;
        float thr = _c.Threshold;
        cof.Set(simplex, dim);
        while (cof.HasNext())
        {
            var t = cof.Next();
            if (t.Diameter > thr) continue;
            _cofacetEntries.Add(t);
            if (checkEmergent && simplex.Diameter == t.Diameter)
            {
                if (!pivots.ContainsKey(t.Index) && ZeroApparentFacetOfCofacet(t, dim)) return t;
                checkEmergent = false;
            }
        }
        foreach (var t in _cofacetEntries) _workCob.Push(t);
        return GetPivot(_workCob);
    }

    private readonly int[] _tv = new int[64];

    /// <summary>Whether cofacet t (just produced by the init enumerator) has no apparent facet; its vertices are known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ZeroApparentFacetOfCofacet(in DiameterEntry t, int dim)
    {
        var v = _cofInit.Vertices;
        int x = _cofInit.LastVertex, w = 0, i = 0;
        for (; i <= dim && v[i] < x; i++) _tv[w++] = v[i];
        _tv[w++] = x;
        for (; i <= dim; i++) _tv[w++] = v[i];
        return _ap.ZeroApparentFacet(t, dim + 1, _tv).IsNone;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddSimplexCoboundary(in DiameterEntry simplex, int dim)
    {
        _workRed.Push(simplex);
        var cof = _cofAdd;
        float thr = _c.Threshold;
        cof.Set(simplex, dim);
        while (cof.HasNext())
        {
            var t = cof.Next();
            if (t.Diameter <= thr) _workCob.Push(t);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputePairs(EntryBuffer columnBuffer, Dictionary<long, long> pivots, int dim)
    {
        var columns = columnBuffer.Items;
        int columnCount = columnBuffer.Count;
        int p = _c.Modulus;
        var intervals = _intervals[dim];
        var bounds = new long[columnCount + 1];
        var entries = new DiameterEntry[Math.Clamp(columnCount, 16, 1 << 16)];
        long used = 0;
        for (int ci = 0; ci < columnCount; ci++)
        {
            var column = new DiameterEntry(columns[ci].Diameter, columns[ci].Index, 1);
            float diameter = column.Diameter;
            bounds[ci] = used;
            _workRed.Clear();
            _workCob.Clear();
            var pivot = InitCoboundaryAndGetPivot(column, dim, pivots);
            while (true)
            {
                if (pivot.IsNone)
                {
                    intervals.Add(new PersistenceInterval(diameter, double.PositiveInfinity));
                    if (_cocycles) RecordCocycle(column, dim, intervals[^1]);
                    break;
                }
                if (pivots.TryGetValue(pivot.Index, out long packed))
                {
                    int other = (int)(packed >> 8);
                    int otherCoef = (int)(packed & 0xFF);
                    int factor = p - pivot.Coefficient * _inverse[otherCoef] % p;
                    var add = new DiameterEntry(columns[other].Diameter, columns[other].Index, factor);
                    AddSimplexCoboundary(add, dim);
                    for (long k = bounds[other]; k < bounds[other + 1]; k++)
                    {
                        var s = entries[k];
                        s.SetCoefficient(s.Coefficient * factor % p);
                        AddSimplexCoboundary(s, dim);
                    }
                    pivot = GetPivot(_workCob);
                    continue;
                }
                var e = _ap.ZeroApparentFacet(pivot, dim + 1);
                if (!e.IsNone)
                {
                    e.SetCoefficient(p - e.Coefficient);
                    AddSimplexCoboundary(e, dim);
                    pivot = GetPivot(_workCob);
                    continue;
                }
                float death = pivot.Diameter;
                var interval = new PersistenceInterval(diameter, death);
                bool keep = death > diameter * _ratio;
                if (keep) intervals.Add(interval);
                pivots.Add(pivot.Index, ((long)ci << 8) | (long)pivot.Coefficient);
                List<DiameterEntry>? cocycle = _cocycles && keep ? new List<DiameterEntry> { column } : null;
                while (true)
                {
                    var r = PopPivot(_workRed);
                    if (r.IsNone) break;
                    if (used == entries.LongLength) Array.Resize(ref entries, checked((int)Math.Min(Array.MaxLength, entries.LongLength + entries.LongLength / 2)));
                    entries[used++] = r;
                    cocycle?.Add(r);
                }
                if (cocycle is not null) AddCocycle(cocycle, dim, interval);
                break;
            }
        }
        bounds[columnCount] = used;
    }

    private void RecordCocycle(in DiameterEntry column, int dim, PersistenceInterval interval)
    {
        var list = new List<DiameterEntry> { column };
        while (true)
        {
            var r = PopPivot(_workRed);
            if (r.IsNone) break;
            list.Add(r);
        }
        AddCocycle(list, dim, interval);
    }

    private void AddCocycle(List<DiameterEntry> simplices, int dim, PersistenceInterval interval)
    {
        var outList = new List<(int[], int)>(simplices.Count);
        foreach (var s in simplices)
        {
            var v = new int[dim + 1];
            var buf = new int[_c.DimMax + 3];
            _c.Vertices(s.Index, dim, buf);
            Array.Copy(buf, v, dim + 1);
            outList.Add((v, _c.Modulus == 2 ? 1 : s.Coefficient));
        }
        _cocycleList.Add(new RepresentativeCocycle(dim, interval, outList));
    }

    /// <summary>
    /// The dim-simplices: every cofacet of a (dim−1)-simplex obtained by adding a larger vertex, within the threshold.
    /// Columns are those neither cleared (a pivot of dimension dim−1) nor in an apparent pair, sorted by decreasing
    /// diameter then increasing index. Independent per simplex, so it is split across threads.
    /// </summary>
    /// <summary>Below this many simplices assembly stays on one thread (tests lower it to reach the split path on small inputs).</summary>
    internal static int ParallelMinSimplices = 4096;

    private (SimplexStore Simplices, EntryBuffer Columns) Assemble(SimplexStore simplices, Dictionary<long, long> pivots, int dim)
    {
        bool keepNext = dim < _c.DimMax;
        long simplexCount = simplices.Count;
        int chunks = _threads == 1 || simplexCount < ParallelMinSimplices ? 1 : _threads * 8;
        var nextParts = new SimplexStore[chunks];
        var colParts = new EntryBuffer[chunks];
        float thr = _c.Threshold;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Work(int chunk)
        {
            var cof = new CofacetEnumerator(_c);
            var ap = chunk == 0 ? _ap : new ApparentPairs(_c);
            var next = new SimplexStore();
            var cols = new EntryBuffer();
            var tv = new int[dim + 2];
            long from = simplexCount * chunk / chunks, to = simplexCount * (chunk + 1) / chunks;
            for (long s = from; s < to; s++)
            {
                long index = simplices[s];
                _c.Vertices(index, dim - 1, tv);
                float diameter = _c.Diameter(tv, dim);
                cof.Set(new DiameterEntry(diameter, index, 1), dim - 1, tv);
                while (cof.HasNext(false))
                {
                    var t = cof.Next();
                    if (t.Diameter > thr) continue;
                    if (keepNext) next.Add(t.Index);
                    tv[dim] = cof.LastVertex; // larger than every vertex of the facet (HasNext(false))
                    if (!pivots.ContainsKey(t.Index) && !ap.InZeroApparentPair(t, dim, tv)) cols.Add(t);
                }
            }
            nextParts[chunk] = next;
            colParts[chunk] = cols;
        }
        if (chunks == 1) Work(0);
        else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, Work);
        simplices.Clear(); // the caller no longer needs the dimension below
        var columns = EntryBuffer.Concat(colParts);
        columns.Span.Sort(new GreaterDiameterSmallerIndex());
        var all = nextParts[0];
        for (int i = 1; i < chunks; i++) { all.Append(nextParts[i]); nextParts[i] = null!; }
        return (all, columns);
    }

}
