using NeuralAtlas.Tensors;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>How <see cref="NearestNeighbors"/> searches: a KD-tree pays off in low dimension, blocked GEMM in high.</summary>
public enum KnnAlgorithm
{
    /// <summary>KD-tree when the dimension is at most <see cref="NearestNeighbors.TreeMaxDimension"/>, else brute force.</summary>
    Auto,
    /// <summary>Blocked dgemm screening of all pairs, then exact recomputation of the candidates.</summary>
    BruteForce,
    /// <summary>A KD-tree (median splits, leaves of 16 points) with exact distances throughout.</summary>
    KdTree,
}

/// <summary>
/// The k nearest neighbours of each of n query points: <see cref="Distances"/> and <see cref="Indices"/> are n×k,
/// row-major, each row ascending by (distance, index). Distances are Euclidean and exact to rounding (computed
/// from coordinate differences, never from the GEMM expansion).
/// </summary>
public sealed class KnnResult
{
    public int Count { get; }
    public int K { get; }
    public double[] Distances { get; }
    public int[] Indices { get; }

    public KnnResult(int count, int k, double[] distances, int[] indices)
    {
        if (count < 0 || k < 0) throw new AtlasArgumentException("k", $"negative size {count}×{k}");
        if (distances.Length != (long)count * k || indices.Length != (long)count * k)
            throw new ShapeMismatchException("KnnResult", $"{count}×{k} lists need {(long)count * k} entries, got {distances.Length} distances and {indices.Length} indices");
        for (int i = 0; i < count; i++)
            for (int j = 0; j < k; j++)
            {
                double v = distances[i * k + j];
                if (!(v >= 0) || double.IsInfinity(v)) throw new AtlasArgumentException("distances", $"entry ({i}, {j}) is {v}; distances must be finite and non-negative");
                if (j > 0 && v < distances[i * k + j - 1]) throw new AtlasArgumentException("distances", $"row {i} is not ascending at column {j}");
            }
        Count = count;
        K = k;
        Distances = distances;
        Indices = indices;
    }

    public double Distance(int i, int j) => Distances[i * K + j];
    public int Index(int i, int j) => Indices[i * K + j];
    public ReadOnlySpan<double> DistanceRow(int i) => Distances.AsSpan(i * K, K);
    public ReadOnlySpan<int> IndexRow(int i) => Indices.AsSpan(i * K, K);

    /// <summary>The first <paramref name="k"/> neighbours of each row (k ≤ <see cref="K"/>).</summary>
    public KnnResult Take(int k)
    {
        if (k < 0 || k > K) throw new AtlasArgumentException("k", $"must be in [0, {K}], got {k}");
        if (k == K) return this;
        var d = new double[(long)Count * k];
        var ix = new int[(long)Count * k];
        for (int i = 0; i < Count; i++)
        {
            Distances.AsSpan(i * K, k).CopyTo(d.AsSpan(i * k, k));
            Indices.AsSpan(i * K, k).CopyTo(ix.AsSpan(i * k, k));
        }
        return new KnnResult(Count, k, d, ix);
    }

    /// <summary>The rows listed in <paramref name="rows"/> (a bootstrap or subset view; indices are unchanged).</summary>
    public KnnResult SelectRows(int[] rows)
    {
        var d = new double[(long)rows.Length * K];
        var ix = new int[(long)rows.Length * K];
        for (int r = 0; r < rows.Length; r++)
        {
            Distances.AsSpan(rows[r] * K, K).CopyTo(d.AsSpan(r * K, K));
            Indices.AsSpan(rows[r] * K, K).CopyTo(ix.AsSpan(r * K, K));
        }
        return new KnnResult(rows.Length, K, d, ix);
    }
}

/// <summary>
/// Exact k-nearest-neighbour search. High dimension: the squared distances of query blocks against point blocks
/// come from one dgemm each (‖x‖² + ‖y‖² − 2x·y on centred data), a short candidate list per query is kept, its
/// distances are recomputed exactly, and the list is proved complete against a rounding bound (a query that fails
/// the proof is searched exhaustively with exact distances). Low dimension: a KD-tree with exact distances. Both
/// give the same answer, ties broken by the smaller index.
/// </summary>
public static class NearestNeighbors
{
    /// <summary>Largest dimension for which <see cref="KnnAlgorithm.Auto"/> picks the KD-tree.</summary>
    public const int TreeMaxDimension = 10;

    /// <summary>
    /// The k nearest neighbours of every row of <paramref name="points"/> among the other rows (a point is never its
    /// own neighbour; an exact duplicate is, at distance 0).
    /// </summary>
    public static KnnResult Search(DMatrix points, int k, KnnAlgorithm algorithm = KnnAlgorithm.Auto)
    {
        Validate(points, k, points.Rows - 1, "points");
        return Choose(algorithm, points.Cols) == KnnAlgorithm.KdTree
            ? KdSearch(points, points, k, selfExcluded: true)
            : BruteSearch(points, points, k, selfExcluded: true);
    }

    /// <summary>The k nearest rows of <paramref name="points"/> to each row of <paramref name="queries"/>.</summary>
    public static KnnResult Search(DMatrix points, DMatrix queries, int k, KnnAlgorithm algorithm = KnnAlgorithm.Auto)
    {
        if (queries.Cols != points.Cols)
            throw new ShapeMismatchException("nearest neighbours", new[] { queries.Rows, queries.Cols }, new[] { points.Rows, points.Cols }, "queries and points differ in dimension");
        Validate(points, k, points.Rows, "points");
        queries.RequireFinite("queries");
        return Choose(algorithm, points.Cols) == KnnAlgorithm.KdTree
            ? KdSearch(points, queries, k, selfExcluded: false)
            : BruteSearch(points, queries, k, selfExcluded: false);
    }

    private static KnnAlgorithm Choose(KnnAlgorithm a, int dim) =>
        a != KnnAlgorithm.Auto ? a : dim <= TreeMaxDimension ? KnnAlgorithm.KdTree : KnnAlgorithm.BruteForce;

    private static void Validate(DMatrix points, int k, int available, string name)
    {
        if (k < 1) throw new AtlasArgumentException("k", $"the number of neighbours must be at least 1, got {k}");
        if (k > available)
            throw new AtlasArgumentException("k", $"{k} neighbours need at least {k + (available < points.Rows ? 1 : 0)} {name}, got {points.Rows}");
        points.RequireFinite(name);
    }

    // ---------------------------------------------------------------- brute force (blocked GEMM screening)

    private static KnnResult BruteSearch(DMatrix points, DMatrix queries, int k, bool selfExcluded)
    {
        int n = points.Rows, nq = queries.Rows, dim = points.Cols;
        int others = selfExcluded ? n - 1 : n;
        int kp = Math.Min(others, k + Math.Max(4, k / 4));

        // Centre both by the points' mean: distances are unchanged, the norms in the expansion shrink.
        var mean = new double[dim];
        for (int i = 0; i < n; i++)
        {
            var r = points.Row(i);
            for (int j = 0; j < dim; j++) mean[j] += r[j];
        }
        for (int j = 0; j < dim; j++) mean[j] /= n;
        var cp = Shift(points, mean);
        var cq = selfExcluded ? cp : Shift(queries, mean);
        var pn = PairwiseDistances.RowSquaredNorms(cp);
        var qn = selfExcluded ? pn : PairwiseDistances.RowSquaredNorms(cq);
        double maxPn = pn.Max();

        var lists = new CandidateLists(nq, kp);
        const int B = 1024;
        var tile = new double[B * B];
        if (selfExcluded)
        {
            // The distance matrix is symmetric: compute each tile above the diagonal once and offer it to both its
            // rows and (transposed) its columns, halving the GEMM work.
            var tileT = new double[B * B];
            for (int i0 = 0; i0 < n; i0 += B)
            {
                int ic = Math.Min(B, n - i0);
                for (int j0 = i0; j0 < n; j0 += B)
                {
                    int jc = Math.Min(B, n - j0);
                    PairwiseDistances.SquaredTile(cp, pn, i0, ic, cp, pn, j0, jc, tile);
                    Parallelism.For(0, ic, i => lists.Offer(i0 + i, tile.AsSpan(i * jc, jc), j0, i0 + i));
                    if (j0 == i0) continue;
                    Transpose(tile, ic, jc, tileT);
                    Parallelism.For(0, jc, j => lists.Offer(j0 + j, tileT.AsSpan(j * ic, ic), i0, -1));
                }
            }
        }
        else
        {
            for (int q0 = 0; q0 < nq; q0 += B)
            {
                int qc = Math.Min(B, nq - q0);
                for (int x0 = 0; x0 < n; x0 += B)
                {
                    int xc = Math.Min(B, n - x0);
                    PairwiseDistances.SquaredTile(cq, qn, q0, qc, cp, pn, x0, xc, tile);
                    Parallelism.For(0, qc, i => lists.Offer(q0 + i, tile.AsSpan(i * xc, xc), x0, -1));
                }
            }
        }
        var candD = lists.D;
        var candI = lists.I;
        var filled = lists.Filled;
        var minRejected = lists.MinRejected;

        var outD = new double[(long)nq * k];
        var outI = new int[(long)nq * k];
        var unproved = new double[nq]; // 0 when proved, else the exact k-th distance² of the candidates (a bound)
        Parallelism.For(0, nq, qi =>
        {
            var q = queries.Row(qi);
            int cnt = filled[qi];
            var d2 = new double[cnt];
            var ix = new int[cnt];
            for (int t = 0; t < cnt; t++)
            {
                ix[t] = candI[(long)qi * kp + t];
                d2[t] = PairwiseDistances.Squared(q, points.Row(ix[t]));
            }
            SortByDistanceThenIndex(d2, ix);
            double tol = PairwiseDistances.ScreeningTolerance(dim, qn[qi], maxPn);
            bool proved = double.IsPositiveInfinity(minRejected[qi]) || d2[k - 1] < minRejected[qi] - tol;
            if (!proved) { unproved[qi] = Math.Max(d2[k - 1], double.Epsilon); return; }
            for (int t = 0; t < k; t++)
            {
                outD[(long)qi * k + t] = Math.Sqrt(d2[t]);
                outI[(long)qi * k + t] = ix[t];
            }
        });

        // Queries whose list could not be proved (ties or near-ties at the k-th distance, as in binary or lattice
        // data): the exact k-th distance² T of the candidates bounds the true one, so every true neighbour has a
        // screened value ≤ T + tol. Screen those queries again, keep every point under that threshold, and decide
        // among them exactly, ties by index.
        var failing = Enumerable.Range(0, nq).Where(q => unproved[q] > 0).ToArray();
        if (failing.Length > 0)
        {
            var fq = new DMatrix(failing.Length, dim);
            var fn = new double[failing.Length];
            for (int f = 0; f < failing.Length; f++) { cq.Row(failing[f]).CopyTo(fq.Row(f)); fn[f] = qn[failing[f]]; }
            var within = new List<int>[failing.Length];
            for (int f = 0; f < failing.Length; f++) within[f] = new List<int>();
            for (int f0 = 0; f0 < failing.Length; f0 += B)
            {
                int fc = Math.Min(B, failing.Length - f0);
                for (int x0 = 0; x0 < n; x0 += B)
                {
                    int xc = Math.Min(B, n - x0);
                    PairwiseDistances.SquaredTile(fq, fn, f0, fc, cp, pn, x0, xc, tile);
                    Parallelism.For(0, fc, i =>
                    {
                        int f = f0 + i, qi = failing[f];
                        double limit = unproved[qi] + PairwiseDistances.ScreeningTolerance(dim, qn[qi], maxPn);
                        int off = i * xc;
                        for (int j = 0; j < xc; j++)
                            if (tile[off + j] <= limit && !(selfExcluded && x0 + j == qi)) within[f].Add(x0 + j);
                    });
                }
            }
            Parallelism.For(0, failing.Length, f =>
            {
                int qi = failing[f];
                var q = queries.Row(qi);
                var ix = within[f].ToArray();
                var d2 = new double[ix.Length];
                for (int t = 0; t < ix.Length; t++) d2[t] = PairwiseDistances.Squared(q, points.Row(ix[t]));
                SortByDistanceThenIndex(d2, ix);
                for (int t = 0; t < k; t++)
                {
                    outD[(long)qi * k + t] = Math.Sqrt(d2[t]);
                    outI[(long)qi * k + t] = ix[t];
                }
            });
        }
        return new KnnResult(nq, k, outD, outI);
    }

    private static void Transpose(double[] a, int rows, int cols, double[] t)
    {
        const int T = 32;
        for (int i0 = 0; i0 < rows; i0 += T)
            for (int j0 = 0; j0 < cols; j0 += T)
                for (int i = i0; i < Math.Min(i0 + T, rows); i++)
                    for (int j = j0; j < Math.Min(j0 + T, cols); j++)
                        t[j * rows + i] = a[i * cols + j];
    }

    /// <summary>
    /// Per query, the kp smallest screened values seen so far (sorted) and the smallest value ever turned away,
    /// which the exactness proof needs. Rows are independent, so different rows may be offered in parallel.
    /// </summary>
    private sealed class CandidateLists
    {
        public readonly double[] D;
        public readonly int[] I;
        public readonly int[] Filled;
        public readonly double[] MinRejected;
        private readonly int _kp;

        public CandidateLists(int n, int kp)
        {
            _kp = kp;
            D = new double[(long)n * kp];
            I = new int[(long)n * kp];
            Filled = new int[n];
            MinRejected = new double[n];
            Array.Fill(MinRejected, double.PositiveInfinity);
        }

        /// <summary>Offers values[j] as the screened distance² from row q to point start + j (skipping point self).</summary>
        public void Offer(int q, ReadOnlySpan<double> values, int start, int self)
        {
            int kp = _kp;
            var cd = D.AsSpan(q * kp, kp);
            var ci = I.AsSpan(q * kp, kp);
            int cnt = Filled[q];
            double worst = cnt == kp ? cd[kp - 1] : double.PositiveInfinity;
            double rej = MinRejected[q];
            for (int j = 0; j < values.Length; j++)
            {
                double a = values[j];
                if (a >= worst)
                {
                    if (a < rej) rej = a;
                    continue;
                }
                int xj = start + j;
                if (xj == self) continue;
                if (cnt == kp)
                {
                    if (cd[kp - 1] < rej) rej = cd[kp - 1];
                    cnt--;
                }
                int p = cnt - 1;
                while (p >= 0 && cd[p] > a) { cd[p + 1] = cd[p]; ci[p + 1] = ci[p]; p--; }
                cd[p + 1] = a;
                ci[p + 1] = xj;
                cnt++;
                worst = cnt == kp ? cd[kp - 1] : double.PositiveInfinity;
            }
            Filled[q] = cnt;
            MinRejected[q] = rej;
        }
    }

    private static DMatrix Shift(DMatrix x, double[] mean)
    {
        var c = new DMatrix(x.Rows, x.Cols);
        for (int i = 0; i < x.Rows; i++)
        {
            var r = x.Row(i);
            var o = c.Row(i);
            for (int j = 0; j < r.Length; j++) o[j] = r[j] - mean[j];
        }
        return c;
    }

    private static void SortByDistanceThenIndex(double[] d, int[] ix)
    {
        var keys = new (double, int)[d.Length];
        for (int i = 0; i < d.Length; i++) keys[i] = (d[i], ix[i]);
        Array.Sort(keys);
        for (int i = 0; i < d.Length; i++) (d[i], ix[i]) = keys[i];
    }

    // ---------------------------------------------------------------- KD-tree

    private static KnnResult KdSearch(DMatrix points, DMatrix queries, int k, bool selfExcluded)
    {
        var tree = new KdTree(points);
        int nq = queries.Rows;
        var outD = new double[(long)nq * k];
        var outI = new int[(long)nq * k];
        const int chunk = 64;
        Parallelism.For(0, (nq + chunk - 1) / chunk, c =>
        {
            var heapD = new double[k];
            var heapI = new int[k];
            for (int qi = c * chunk; qi < Math.Min(nq, (c + 1) * chunk); qi++)
            {
                int size = tree.Query(queries.Row(qi), selfExcluded ? qi : -1, k, heapD, heapI);
                var d = heapD[..size];
                var ix = heapI[..size];
                SortByDistanceThenIndex(d, ix);
                for (int t = 0; t < k; t++)
                {
                    outD[(long)qi * k + t] = Math.Sqrt(d[t]);
                    outI[(long)qi * k + t] = ix[t];
                }
            }
        });
        return new KnnResult(nq, k, outD, outI);
    }

    /// <summary>A KD-tree over the rows of a matrix; nodes split at the median of the widest coordinate.</summary>
    private sealed class KdTree
    {
        private const int LeafSize = 16;
        private readonly DMatrix _x;
        private readonly int[] _perm;
        private readonly List<Node> _nodes = new();

        private struct Node
        {
            public int Start, End, Dim, Left, Right;
            public double Split;
        }

        public KdTree(DMatrix x)
        {
            _x = x;
            _perm = Enumerable.Range(0, x.Rows).ToArray();
            Build(0, x.Rows);
        }

        private int Build(int start, int end)
        {
            int id = _nodes.Count;
            _nodes.Add(new Node { Start = start, End = end, Left = -1, Right = -1 });
            if (end - start <= LeafSize) return id;
            int dims = _x.Cols, best = 0;
            double bestSpread = -1;
            for (int d = 0; d < dims; d++)
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int i = start; i < end; i++)
                {
                    double v = _x[_perm[i], d];
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                if (hi - lo > bestSpread) { bestSpread = hi - lo; best = d; }
            }
            if (bestSpread <= 0) return id; // all points identical: a leaf of any size
            var seg = _perm.AsSpan(start, end - start);
            var keys = new double[seg.Length];
            for (int i = 0; i < seg.Length; i++) keys[i] = _x[seg[i], best];
            var segArr = seg.ToArray();
            Array.Sort(keys, segArr);
            segArr.CopyTo(seg);
            int mid = start + (end - start) / 2;
            var node = _nodes[id];
            node.Dim = best;
            node.Split = keys[mid - start];
            node.Left = Build(start, mid);
            node.Right = Build(mid, end);
            _nodes[id] = node;
            return id;
        }

        /// <summary>Fills a max-heap (by distance², then index) with the k nearest; returns how many were found.</summary>
        public int Query(ReadOnlySpan<double> q, int self, int k, double[] hd, int[] hi)
        {
            int size = 0;
            Visit(0, q, self, k, hd, hi, ref size);
            return size;
        }

        private void Visit(int id, ReadOnlySpan<double> q, int self, int k, double[] hd, int[] hi, ref int size)
        {
            var node = _nodes[id];
            if (node.Left < 0)
            {
                for (int p = node.Start; p < node.End; p++)
                {
                    int j = _perm[p];
                    if (j == self) continue;
                    double d2 = PairwiseDistances.Squared(q, _x.Row(j));
                    if (size < k) { HeapPush(hd, hi, ref size, d2, j); continue; }
                    if (Worse(hd[0], hi[0], d2, j)) HeapReplaceTop(hd, hi, size, d2, j);
                }
                return;
            }
            double diff = q[node.Dim] - node.Split;
            int near = diff < 0 ? node.Left : node.Right, far = diff < 0 ? node.Right : node.Left;
            Visit(near, q, self, k, hd, hi, ref size);
            // '<=' keeps equal-distance points with smaller indices reachable, so ties resolve as in brute force.
            if (size < k || diff * diff <= hd[0]) Visit(far, q, self, k, hd, hi, ref size);
        }

        // true when (d1, i1) is farther than (d2, i2)
        private static bool Worse(double d1, int i1, double d2, int i2) => d1 > d2 || (d1 == d2 && i1 > i2);

        private static void HeapPush(double[] hd, int[] hi, ref int size, double d, int i)
        {
            int c = size++;
            while (c > 0)
            {
                int p = (c - 1) / 2;
                if (!Worse(d, i, hd[p], hi[p])) break;
                hd[c] = hd[p]; hi[c] = hi[p];
                c = p;
            }
            hd[c] = d; hi[c] = i;
        }

        private static void HeapReplaceTop(double[] hd, int[] hi, int size, double d, int i)
        {
            int c = 0;
            while (true)
            {
                int l = 2 * c + 1, r = l + 1, m = c;
                double md = d; int mi = i;
                if (l < size && Worse(hd[l], hi[l], md, mi)) { m = l; md = hd[l]; mi = hi[l]; }
                if (r < size && Worse(hd[r], hi[r], md, mi)) { m = r; }
                if (m == c) break;
                hd[c] = hd[m]; hi[c] = hi[m];
                c = m;
            }
            hd[c] = d; hi[c] = i;
        }
    }
}
