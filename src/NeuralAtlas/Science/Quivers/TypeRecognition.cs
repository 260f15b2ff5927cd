namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// Decision procedures for membership in the mutation classes of A_n and D_n, from their published classifications
/// (no enumeration).
/// <para>Type A (Buan–Vatne 2008): a connected quiver with single arrows is mutation equivalent to A_n exactly when
/// every cycle of its underlying graph is an oriented triangle, and each vertex has at most four neighbours, two
/// triangles if four, one triangle and one more arrow if three. Equivalently: triangles are edge-disjoint and
/// oriented, they span the cycle space (edges − vertices + 1 = triangles), and every vertex lies in at most two
/// blocks (degree − triangles ≤ 2). A connecting vertex of such a quiver has at most two neighbours, and lies on a
/// triangle if it has two.</para>
/// <para>Type D (Vatne 2010, "The mutation class of D_n quivers"): for n ≥ 4 a quiver is in the class of D_n exactly
/// when it has one of four shapes, glued from type A quivers at connecting vertices:
/// I. two leaves a, b on a vertex c, the rest of type A with connecting vertex c;
/// II. two oriented triangles c→a→d→c and c→b→d→c sharing the arrow d→c (a, b of degree 2); removing a, b and the
/// arrow d→c leaves two type A quivers with connecting vertices c and d;
/// III. an oriented 4-cycle a→c→b→d→a (a, b of degree 2, c, d not adjacent); removing a, b leaves two type A
/// quivers with connecting vertices c and d;
/// IV. a chordless oriented cycle of length k ≥ 3 (the central cycle); each other vertex adjacent to the cycle is a
/// "spike" z on one cycle arrow x→y with y→z→x, at most one per arrow; removing the cycle leaves type A quivers, each
/// holding exactly one spike as a connecting vertex.</para>
/// </summary>
public static class TypeRecognition
{
    public static bool IsTypeA(Quiver q)
    {
        if (q.N == 1) return true;
        if (q.MaxMultiplicity() > 1 || !q.IsConnected()) return false;
        return TypeAShape(q, out _, out _);
    }

    /// <summary>Whether vertex c of a type A quiver is a connecting vertex.</summary>
    public static bool IsConnectingVertex(Quiver q, int c)
    {
        if (q.N == 1) return true;
        TypeAShape(q, out var deg, out var tri);
        return deg[c] <= 1 || (deg[c] == 2 && tri[c] == 1);
    }

    private static bool TypeAShape(Quiver q, out int[] deg, out int[] tri)
    {
        int n = q.N;
        deg = new int[n];
        tri = new int[n];
        int edges = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (q[i, j] != 0) { deg[i]++; if (i < j) edges++; }
        var edgeTri = new Dictionary<int, int>();
        int triangles = 0;
        bool ok = true;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (q[i, j] == 0) continue;
                for (int k = j + 1; k < n; k++)
                {
                    if (q[j, k] == 0 || q[i, k] == 0) continue;
                    triangles++;
                    tri[i]++; tri[j]++; tri[k]++;
                    // Oriented: i→j→k→i or i←j←k←i.
                    if (!(Math.Sign(q[i, j]) == Math.Sign(q[j, k]) && Math.Sign(q[j, k]) == Math.Sign(q[k, i]))) ok = false;
                    foreach (int e in new[] { i * n + j, j * n + k, i * n + k })
                        if ((edgeTri[e] = edgeTri.GetValueOrDefault(e) + 1) > 1) ok = false;
                }
            }
        if (!ok || edges - n + 1 != triangles) return false;
        for (int v = 0; v < n; v++) if (deg[v] - tri[v] > 2) return false;
        return true;
    }

    /// <summary>Type A on the full subquiver of <paramref name="vertices"/>, with <paramref name="connector"/> a connecting vertex.</summary>
    private static bool TypeAWithConnector(Quiver q, List<int> vertices, int connector)
    {
        var sub = q.Induced(vertices);
        if (!IsTypeA(sub)) return false;
        return IsConnectingVertex(sub, vertices.IndexOf(connector));
    }

    /// <summary>Connected components of the quiver without the removed vertices and without the arrow between e1 and e2 (if given).</summary>
    private static List<List<int>> Components(Quiver q, HashSet<int> removed, int e1 = -1, int e2 = -1)
    {
        int n = q.N;
        var comp = new List<List<int>>();
        var seen = new bool[n];
        for (int s = 0; s < n; s++)
        {
            if (seen[s] || removed.Contains(s)) continue;
            var list = new List<int>();
            var stack = new Stack<int>();
            stack.Push(s);
            seen[s] = true;
            while (stack.Count > 0)
            {
                int v = stack.Pop();
                list.Add(v);
                for (int u = 0; u < n; u++)
                {
                    if (seen[u] || removed.Contains(u) || q[v, u] == 0) continue;
                    if ((v == e1 && u == e2) || (v == e2 && u == e1)) continue;
                    seen[u] = true;
                    stack.Push(u);
                }
            }
            list.Sort();
            comp.Add(list);
        }
        return comp;
    }

    private static int Degree(Quiver q, int v)
    {
        int d = 0;
        for (int u = 0; u < q.N; u++) if (q[v, u] != 0) d++;
        return d;
    }

    /// <summary>Vatne's criterion: is the quiver in the mutation class of D_n (n = number of vertices ≥ 4)?</summary>
    public static bool IsTypeD(Quiver q) => VatneShape(q) is not null;

    /// <summary>Which of Vatne's shapes (1–4) the quiver has, or null if it is not of type D.</summary>
    public static int? VatneShape(Quiver q)
    {
        int n = q.N;
        if (n < 4 || q.MaxMultiplicity() > 1 || !q.IsConnected()) return null;
        var deg = Enumerable.Range(0, n).Select(v => Degree(q, v)).ToArray();

        // I: two leaves on c.
        for (int c = 0; c < n; c++)
        {
            var leaves = Enumerable.Range(0, n).Where(v => deg[v] == 1 && q[v, c] != 0).ToList();
            for (int x = 0; x < leaves.Count; x++)
                for (int y = x + 1; y < leaves.Count; y++)
                {
                    var rest = Enumerable.Range(0, n).Where(v => v != leaves[x] && v != leaves[y]).ToList();
                    if (TypeAWithConnector(q, rest, c)) return 1;
                }
        }
        // II: triangles c→a→d→c and c→b→d→c sharing d→c.
        for (int c = 0; c < n; c++)
            for (int d = 0; d < n; d++)
            {
                if (q[d, c] != 1) continue;
                var mids = Enumerable.Range(0, n).Where(x => deg[x] == 2 && q[c, x] == 1 && q[x, d] == 1).ToList();
                for (int x = 0; x < mids.Count; x++)
                    for (int y = x + 1; y < mids.Count; y++)
                        if (TwoArms(q, [mids[x], mids[y]], c, d, cutArrow: true)) return 2;
            }
        // III: oriented 4-cycle a→c→b→d→a.
        for (int a = 0; a < n; a++)
        {
            if (deg[a] != 2) continue;
            for (int c = 0; c < n; c++)
            {
                if (q[a, c] != 1) continue;
                for (int b = 0; b < n; b++)
                {
                    if (b == a || deg[b] != 2 || q[c, b] != 1) continue;
                    for (int d = 0; d < n; d++)
                    {
                        if (d == c || q[b, d] != 1 || q[d, a] != 1 || q[c, d] != 0) continue;
                        if (TwoArms(q, [a, b], c, d, cutArrow: false)) return 3;
                    }
                }
            }
        }
        // IV: central cycle with spikes.
        foreach (var cycle in ChordlessOrientedCycles(q))
            if (CentralCycleFits(q, cycle)) return 4;
        return null;
    }

    private static bool TwoArms(Quiver q, int[] removedVertices, int c, int d, bool cutArrow)
    {
        var removed = new HashSet<int>(removedVertices);
        var comps = cutArrow ? Components(q, removed, c, d) : Components(q, removed);
        if (comps.Count != 2) return false;
        var qc = comps.First(l => l.Contains(c));
        var qd = comps.First(l => l.Contains(d));
        if (qc == qd) return false;
        return TypeAWithConnector(q, qc, c) && TypeAWithConnector(q, qd, d);
    }

    private static bool CentralCycleFits(Quiver q, List<int> cycle)
    {
        int n = q.N, k = cycle.Count;
        var onCycle = new HashSet<int>(cycle);
        var pos = new Dictionary<int, int>();
        for (int i = 0; i < k; i++) pos[cycle[i]] = i;
        var spikeOfArrow = new int[k];
        Array.Fill(spikeOfArrow, -1);
        var spikes = new HashSet<int>();
        for (int z = 0; z < n; z++)
        {
            if (onCycle.Contains(z)) continue;
            var nb = cycle.Where(v => q[z, v] != 0).ToList();
            if (nb.Count == 0) continue;
            if (nb.Count != 2) return false;
            // The cycle arrow x→y = cycle[i]→cycle[i+1]; the spike closes y→z→x.
            int i0 = pos[nb[0]], i1 = pos[nb[1]];
            int i = (i0 + 1) % k == i1 ? i0 : (i1 + 1) % k == i0 ? i1 : -1;
            if (i < 0) return false;
            int x = cycle[i], y = cycle[(i + 1) % k];
            if (q[y, z] != 1 || q[z, x] != 1) return false;
            if (spikeOfArrow[i] >= 0) return false;
            spikeOfArrow[i] = z;
            spikes.Add(z);
        }
        foreach (var comp in Components(q, onCycle))
        {
            var inComp = comp.Where(spikes.Contains).ToList();
            if (inComp.Count != 1 || !TypeAWithConnector(q, comp, inComp[0])) return false;
        }
        return true;
    }

    /// <summary>Chordless oriented cycles of length ≥ 3, each once (starting at its smallest vertex).</summary>
    private static IEnumerable<List<int>> ChordlessOrientedCycles(Quiver q)
    {
        int n = q.N;
        var result = new List<List<int>>();
        var path = new List<int>();
        var onPath = new bool[n];
        void Dfs(int s, int v)
        {
            for (int u = 0; u < n; u++)
            {
                if (q[v, u] <= 0) continue;
                if (u == s && path.Count >= 3)
                {
                    if (Chordless(q, path)) result.Add([.. path]);
                    continue;
                }
                if (u <= s || onPath[u]) continue;
                // A chord to an earlier path vertex (other than the predecessor) can never close a chordless cycle,
                // except an arrow back to s, which ends the cycle.
                bool chord = false;
                for (int t = 0; t < path.Count - 1; t++)
                    if (q[u, path[t]] != 0 && !(t == 0 && q[u, s] > 0)) { chord = true; break; }
                if (chord) continue;
                path.Add(u); onPath[u] = true;
                Dfs(s, u);
                path.RemoveAt(path.Count - 1); onPath[u] = false;
            }
        }
        for (int s = 0; s < n; s++)
        {
            path.Add(s); onPath[s] = true;
            Dfs(s, s);
            path.Clear(); onPath[s] = false;
        }
        return result;
    }

    private static bool Chordless(Quiver q, List<int> cycle)
    {
        int k = cycle.Count;
        for (int i = 0; i < k; i++)
            for (int j = i + 2; j < k; j++)
            {
                if (i == 0 && j == k - 1) continue;
                if (q[cycle[i], cycle[j]] != 0) return false;
            }
        return true;
    }
}
