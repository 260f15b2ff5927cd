namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// An isomorphism-invariant canonical form of a quiver: two quivers are isomorphic exactly when their canonical
/// forms are equal. Individualisation–refinement, exact: vertices are coloured by colour refinement on the
/// weighted directed graph (a vertex's new colour is its old colour plus the multiset of (neighbour colour, b_vu));
/// while some colour class has several vertices, each member is individualised in turn and refined again; every
/// discrete colouring orders the vertices, and the lexicographically least relabelled exchange matrix over all
/// leaves is the canonical form. Refinement commutes with relabelling, so the result does not depend on the input
/// labels. The search is exhaustive over the leaves (no automorphism pruning), which is fast for the
/// mutation-finite quivers here (at most ~16 vertices, small automorphism groups).
/// </summary>
public static class CanonicalForm
{
    /// <summary>The canonical key: n and the canonically relabelled matrix, as a string usable as a dictionary key.</summary>
    public static string Key(Quiver q) => new(Best(q).Select(v => (char)(v + 256)).Prepend((char)q.N).ToArray());

    /// <summary>The canonical representative (relabelled so its matrix is the least over all canonical leaves).</summary>
    public static Quiver Canonical(Quiver q)
    {
        var best = Best(q);
        return new Quiver(q.N, best);
    }

    /// <summary>Rebuilds the canonical quiver from its key.</summary>
    public static Quiver FromKey(string key)
    {
        int n = key[0];
        var b = new sbyte[n * n];
        for (int i = 0; i < b.Length; i++) b[i] = (sbyte)(key[i + 1] - 256);
        return new Quiver(n, b);
    }

    public static bool Isomorphic(Quiver a, Quiver b) => a.N == b.N && Key(a) == Key(b);

    private static sbyte[] Best(Quiver q)
    {
        int n = q.N;
        var b = q.Matrix.ToArray();
        var color = Refine(b, n, new int[n]);
        sbyte[]? best = null;
        var candidate = new sbyte[n * n];
        Search(b, n, color, ref best, candidate);
        return best!;
    }

    private static void Search(sbyte[] b, int n, int[] color, ref sbyte[]? best, sbyte[] candidate)
    {
        // The first (lowest-coloured) class with more than one vertex.
        var size = new int[n];
        foreach (int c in color) size[c]++;
        int cell = -1;
        for (int c = 0; c < n; c++) if (size[c] > 1) { cell = c; break; }
        if (cell < 0)
        {
            // Discrete: vertex v goes to position color[v].
            var inv = new int[n];
            for (int v = 0; v < n; v++) inv[color[v]] = v;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    candidate[i * n + j] = b[inv[i] * n + inv[j]];
            if (best is null || Compare(candidate, best) < 0) best = (sbyte[])candidate.Clone();
            return;
        }
        for (int v = 0; v < n; v++)
        {
            if (color[v] != cell) continue;
            var c2 = new int[n];
            for (int w = 0; w < n; w++) c2[w] = 2 * color[w] + (color[w] == cell && w != v ? 1 : 0);
            Search(b, n, Refine(b, n, c2), ref best, candidate);
        }
    }

    private static int Compare(sbyte[] a, sbyte[] b)
    {
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
        return 0;
    }

    /// <summary>Colour refinement to a stable colouring; colours are ranks 0…k−1 of label-independent signatures.</summary>
    internal static int[] Refine(sbyte[] b, int n, int[] initial)
    {
        var color = Rank(initial.Select(c => new long[] { c }).ToArray());
        int classes = color.Max() + 1;
        while (true)
        {
            var sig = new long[n][];
            for (int v = 0; v < n; v++)
            {
                var list = new List<long>(n + 1);
                for (int u = 0; u < n; u++)
                {
                    int w = b[v * n + u];
                    if (w != 0) list.Add((long)color[u] * 1024 + w + 512);
                }
                list.Sort();
                list.Insert(0, color[v]);
                sig[v] = list.ToArray();
            }
            var next = Rank(sig);
            int k = next.Max() + 1;
            color = next;
            if (k == classes) return color;
            classes = k;
        }
    }

    private static int[] Rank(long[][] sig)
    {
        int n = sig.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) => CompareSig(sig[x], sig[y]));
        var r = new int[n];
        int rank = 0;
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && CompareSig(sig[order[i - 1]], sig[order[i]]) != 0) rank++;
            r[order[i]] = rank;
        }
        return r;
    }

    private static int CompareSig(long[] a, long[] b)
    {
        int m = Math.Min(a.Length, b.Length);
        for (int i = 0; i < m; i++) if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return a.Length.CompareTo(b.Length);
    }
}
