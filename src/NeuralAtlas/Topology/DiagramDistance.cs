using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Topology;

/// <summary>A Wasserstein distance with the interval it is known to lie in (equal ends when exact).</summary>
public readonly record struct WassersteinEstimate(double Value, double Lower, double Upper, bool Exact);

/// <summary>
/// Distances between persistence diagrams with the L∞ ground metric (GUDHI's default): points may be matched to
/// each other or to the diagonal, at L∞ distance (d − b)/2. Essential classes (infinite death) are matched only
/// among themselves: different counts give +∞, equal counts match sorted births (optimal in one dimension).
/// Repeated points are separate points; empty diagrams are allowed.
/// </summary>
public static class DiagramDistance
{
    private static (double[] B, double[] D, double[] Essential) Split(IEnumerable<PersistenceInterval> diagram)
    {
        var b = new List<double>();
        var d = new List<double>();
        var e = new List<double>();
        foreach (var iv in diagram)
        {
            if (iv.IsEssential) e.Add(iv.Birth);
            else if (iv.Death > iv.Birth) { b.Add(iv.Birth); d.Add(iv.Death); } // points on the diagonal cost nothing
        }
        e.Sort();
        return (b.ToArray(), d.ToArray(), e.ToArray());
    }

    private static double Linf(double b1, double d1, double b2, double d2) => Math.Max(Math.Abs(b1 - b2), Math.Abs(d1 - d2));

    /// <summary>
    /// Exact bottleneck distance: the answer is one of the O(nm) candidate distances (point–point and
    /// point–diagonal), found by binary search with a matching test at each candidate δ. A matching within δ exists
    /// iff the δ-close pairs of A × B have a matching that covers every point too persistent to go to the diagonal
    /// (persistence/2 &gt; δ) on both sides: the others go to their own diagonal copies, and the diagonal copies left
    /// over pair up among themselves at no cost. By the Mendelsohn–Dulmage theorem such a matching exists iff one
    /// covers A's required points and one covers B's, so two Hopcroft–Karp runs on the sparse δ-graph decide it
    /// (no dense diagonal-to-diagonal block). O(nm log(nm)) for the candidates, plus log(nm) matchings.
    /// </summary>
    public static double Bottleneck(PersistenceDiagram a, PersistenceDiagram b) => Bottleneck(a.Intervals, b.Intervals);

    public static double Bottleneck(IEnumerable<PersistenceInterval> a, IEnumerable<PersistenceInterval> b)
    {
        var (ab, ad, ae) = Split(a);
        var (bb, bd, be) = Split(b);
        if (ae.Length != be.Length) return double.PositiveInfinity;
        double ess = 0;
        for (int i = 0; i < ae.Length; i++) ess = Math.Max(ess, Math.Abs(ae[i] - be[i]));
        int n = ab.Length, m = bb.Length;
        if (n + m == 0) return ess;
        long pairs = (long)n * m + n + m + 1;
        if (pairs > Array.MaxLength)
            throw new AtlasArgumentException("diagrams", $"{n} × {m} points give {pairs} candidate distances, more than one array holds; use the Wasserstein auction or sliced Wasserstein");
        var c = new double[pairs];
        long k = 0;
        c[k++] = 0;
        for (int i = 0; i < n; i++) c[k++] = (ad[i] - ab[i]) / 2;
        for (int j = 0; j < m; j++) c[k++] = (bd[j] - bb[j]) / 2;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) c[k++] = Linf(ab[i], ad[i], bb[j], bd[j]);
        Array.Sort(c);
        int distinct = 0;
        for (int i = 0; i < c.Length; i++)
            if (i == 0 || c[i] != c[distinct - 1]) c[distinct++] = c[i];
        // The largest candidate always works (everything to the diagonal is within max persistence/2 ≤ it).
        int lo = 0, hi = distinct - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (MatchingWithin(ab, ad, bb, bd, c[mid])) hi = mid; else lo = mid + 1;
        }
        return Math.Max(ess, c[lo]);
    }

    /// <summary>Whether A and B can be matched (points to points or to the diagonal) with every cost at most δ.</summary>
    private static bool MatchingWithin(double[] ab, double[] ad, double[] bb, double[] bd, double delta)
    {
        int n = ab.Length, m = bb.Length;
        var fromA = new List<int>[n];
        var fromB = new List<int>[m];
        for (int i = 0; i < n; i++) fromA[i] = new List<int>();
        for (int j = 0; j < m; j++) fromB[j] = new List<int>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                if (Linf(ab[i], ad[i], bb[j], bd[j]) <= delta) { fromA[i].Add(j); fromB[j].Add(i); }
        // Required points: those the diagonal is too far for. Only they need cover; the others may stay unmatched.
        bool Covers(List<int>[] adj, double[] birth, double[] death, int right)
        {
            var required = Enumerable.Range(0, adj.Length).Where(u => (death[u] - birth[u]) / 2 > delta).ToArray();
            if (required.Length == 0) return true;
            var sub = required.Select(u => adj[u]).ToArray();
            return HopcroftKarp(sub, sub.Length, right) == sub.Length;
        }
        return Covers(fromA, ab, ad, m) && Covers(fromB, bb, bd, n);
    }

    private static int HopcroftKarp(List<int>[] adj, int left, int right)
    {
        var matchL = new int[left];
        var matchR = new int[right];
        Array.Fill(matchL, -1);
        Array.Fill(matchR, -1);
        var dist = new int[left];
        var queue = new int[left];
        int matching = 0;
        // Greedy start.
        for (int u = 0; u < left; u++)
            foreach (int v in adj[u])
                if (matchR[v] < 0) { matchL[u] = v; matchR[v] = u; matching++; break; }
        while (true)
        {
            int qh = 0, qt = 0;
            bool found = false;
            for (int u = 0; u < left; u++)
            {
                if (matchL[u] < 0) { dist[u] = 0; queue[qt++] = u; }
                else dist[u] = -1;
            }
            while (qh < qt)
            {
                int u = queue[qh++];
                foreach (int v in adj[u])
                {
                    int w = matchR[v];
                    if (w < 0) found = true;
                    else if (dist[w] < 0) { dist[w] = dist[u] + 1; queue[qt++] = w; }
                }
            }
            if (!found) return matching;
            var it = new int[left];
            for (int u = 0; u < left; u++)
                if (matchL[u] < 0 && Augment(u, adj, matchL, matchR, dist, it)) matching++;
        }
    }

    private static bool Augment(int root, List<int>[] adj, int[] matchL, int[] matchR, int[] dist, int[] it)
    {
        // Iterative DFS along the BFS layers (recursion could be deep for large diagrams).
        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            int u = stack.Peek();
            bool advanced = false;
            while (it[u] < adj[u].Count)
            {
                int v = adj[u][it[u]++];
                int w = matchR[v];
                if (w < 0)
                {
                    // Flip the path held on the stack: each stacked vertex takes the edge it advanced along.
                    var path = stack.ToArray(); // top first
                    int vv = v;
                    foreach (int x in path)
                    {
                        int prev = matchL[x];
                        matchL[x] = vv;
                        matchR[vv] = x;
                        vv = prev;
                    }
                    return true;
                }
                if (dist[w] == dist[u] + 1) { stack.Push(w); advanced = true; break; }
            }
            if (!advanced) { dist[u] = -1; stack.Pop(); }
        }
        return false;
    }

    /// <summary>
    /// p-Wasserstein distance (p ≥ 1): (Σ over an optimal matching of ground distance^p)^(1/p), the ground metric
    /// L_q between points, <paramref name="internalP"/> = q ∈ [1, ∞] (GUDHI's internal_p; default ∞), so a point's
    /// distance to the diagonal is (d − b)/2 · 2^(1/q). Exact (Hungarian
    /// algorithm on the (n+m)×(n+m) diagonal-augmented cost matrix) when n + m ≤ <paramref name="exactLimit"/>;
    /// above it, the auction algorithm with ε-scaling, whose result S satisfies opt ≤ S ≤ opt + (n+m)·ε, so the
    /// returned interval [(S − (n+m)ε)^(1/p), S^(1/p)] contains the true distance; ε is set so that the interval's
    /// relative width is about <paramref name="relativeError"/>.
    /// </summary>
    public static WassersteinEstimate WassersteinWithBound(PersistenceDiagram a, PersistenceDiagram b, double p = 2, int exactLimit = 1200, double relativeError = 1e-3,
        double internalP = double.PositiveInfinity)
    {
        if (!(p >= 1) || double.IsInfinity(p)) throw new AtlasArgumentException("p", $"must be a finite number ≥ 1 (use the bottleneck distance for p = ∞), got {p}");
        if (!(internalP >= 1)) throw new AtlasArgumentException("internal-p", $"the ground metric L_q needs q ≥ 1 (or ∞), got {internalP}");
        double toDiagonal = double.IsPositiveInfinity(internalP) ? 0.5 : Math.Pow(2, 1 / internalP - 1);
        Func<double, double, double, double, double> ground = double.IsPositiveInfinity(internalP) ? Linf
            : internalP == 1 ? (b1, d1, b2, d2) => Math.Abs(b1 - b2) + Math.Abs(d1 - d2)
            : internalP == 2 ? (b1, d1, b2, d2) => Math.Sqrt((b1 - b2) * (b1 - b2) + (d1 - d2) * (d1 - d2))
            : (b1, d1, b2, d2) => Math.Pow(Math.Pow(Math.Abs(b1 - b2), internalP) + Math.Pow(Math.Abs(d1 - d2), internalP), 1 / internalP);
        var (ab, ad, ae) = Split(a.Intervals);
        var (bb, bd, be) = Split(b.Intervals);
        if (ae.Length != be.Length) return new WassersteinEstimate(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, true);
        double ess = 0;
        for (int i = 0; i < ae.Length; i++) ess += Math.Pow(Math.Abs(ae[i] - be[i]), p);
        int n = ab.Length, m = bb.Length, size = n + m;
        if (size == 0) { double v0 = Math.Pow(ess, 1 / p); return new WassersteinEstimate(v0, v0, v0, true); }
        double Cost(int i, int j)
        {
            if (i < n)
                return j < m ? Math.Pow(ground(ab[i], ad[i], bb[j], bd[j]), p) : Math.Pow((ad[i] - ab[i]) * toDiagonal, p);
            return j < m ? Math.Pow((bd[j] - bb[j]) * toDiagonal, p) : 0.0;
        }
        if (size <= exactLimit)
        {
            var cost = new DMatrix(size, size);
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++) cost[i, j] = Cost(i, j);
            double total = LinearAssignment.Solve(cost).Total + ess;
            double v = Math.Pow(total, 1 / p);
            return new WassersteinEstimate(v, v, v, true);
        }
        double upperAll = 0; // everything to the diagonal: an upper bound on the optimum
        for (int i = 0; i < n; i++) upperAll += Cost(i, m);
        for (int j = 0; j < m; j++) upperAll += Cost(n, j);
        double eps = Math.Max(upperAll * relativeError / size, double.Epsilon);
        double s = Auction(size, Cost, upperAll, eps);
        double hiV = Math.Pow(s + ess, 1 / p);
        double loV = Math.Pow(Math.Max(0, s - size * eps) + ess, 1 / p);
        return new WassersteinEstimate(hiV, loV, hiV, false);
    }

    public static double Wasserstein(PersistenceDiagram a, PersistenceDiagram b, double p = 2, double internalP = double.PositiveInfinity) =>
        WassersteinWithBound(a, b, p, internalP: internalP).Value;

    /// <summary>
    /// Forward auction (Bertsekas) for a minimum-cost assignment with ε-scaling; costs computed on the fly, O(N)
    /// memory. Returns the cost of the final assignment, which is within N·ε of optimal.
    /// </summary>
    private static double Auction(int size, Func<int, int, double> cost, double scale, double epsFinal)
    {
        var price = new double[size];
        var owner = new int[size];
        var assigned = new int[size];
        double eps = Math.Max(scale / 4, epsFinal);
        while (true)
        {
            Array.Fill(owner, -1);
            Array.Fill(assigned, -1);
            var queue = new Queue<int>(Enumerable.Range(0, size));
            while (queue.Count > 0)
            {
                int i = queue.Dequeue();
                double best = double.NegativeInfinity, second = double.NegativeInfinity;
                int bj = -1;
                for (int j = 0; j < size; j++)
                {
                    double val = -cost(i, j) - price[j];
                    if (val > best) { second = best; best = val; bj = j; }
                    else if (val > second) second = val;
                }
                if (double.IsNegativeInfinity(second)) second = best;
                price[bj] += best - second + eps;
                int prev = owner[bj];
                if (prev >= 0) { assigned[prev] = -1; queue.Enqueue(prev); }
                owner[bj] = i;
                assigned[i] = bj;
            }
            if (eps <= epsFinal) break;
            eps = Math.Max(eps / 5, epsFinal);
        }
        double total = 0;
        for (int i = 0; i < size; i++) total += cost(i, assigned[i]);
        return total;
    }
}
