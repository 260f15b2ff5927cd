namespace NeuralAtlas.Topology;

/// <summary>How Mapper clusters the points of one cover element.</summary>
public enum MapperClustering
{
    /// <summary>DBSCAN (Ester et al. 1996): core points have ≥ MinPoints neighbours within Epsilon (themselves included); noise is dropped.</summary>
    Dbscan,
    /// <summary>Single linkage cut at Epsilon: connected components of the Epsilon-neighbourhood graph.</summary>
    SingleLinkage,
}

/// <summary>Mapper parameters: a cover of the lens range and a clustering.</summary>
public sealed record MapperOptions
{
    /// <summary>Intervals per lens coordinate (1-D lens: Intervals; 2-D lens: Intervals × Intervals cells).</summary>
    public int Intervals { get; init; } = 10;
    /// <summary>Fraction of each interval shared with its neighbour, in [0, 1).</summary>
    public double Overlap { get; init; } = 0.3;
    public MapperClustering Clustering { get; init; } = MapperClustering.SingleLinkage;
    /// <summary>Neighbourhood radius (DBSCAN's eps; the single-linkage cut height). Null: the median of each point's nearest-neighbour distance times 3.</summary>
    public double? Epsilon { get; init; }
    /// <summary>DBSCAN's min_samples (the point itself included).</summary>
    public int MinPoints { get; init; } = 3;
}

public sealed record MapperNode(int Id, int[] Cell, int[] Members, int? MajorityLabel, double? Purity);
public sealed record MapperEdge(int Source, int Target, int Shared);
public sealed record MapperGraph(IReadOnlyList<MapperNode> Nodes, IReadOnlyList<MapperEdge> Edges, double Epsilon);

/// <summary>
/// Mapper (Singh, Mémoli, Carlsson 2007): cover the range of a lens f: X → R or R² by overlapping intervals (or
/// cells), cluster each preimage f⁻¹(U) separately, make a node per cluster and an edge between clusters that
/// share points. With labels, each node reports its majority label and purity (fraction holding it).
/// </summary>
public static class Mapper
{
    public static MapperGraph Build(double[] points, int n, int d, double[][] lens, MapperOptions? options = null, int[]? labels = null)
    {
        options ??= new MapperOptions();
        DistanceMatrix.CheckPoints(points, n, d, "points");
        if (lens.Length is < 1 or > 2) throw new AtlasArgumentException("lens", $"Mapper takes a 1-D or 2-D lens, got {lens.Length} coordinates");
        foreach (var l in lens) if (l.Length != n) throw new ShapeMismatchException("Mapper", new[] { n }, new[] { l.Length }, "one lens value per point");
        if (options.Intervals < 1) throw new AtlasArgumentException("intervals", $"must be at least 1, got {options.Intervals}");
        if (!(options.Overlap >= 0 && options.Overlap < 1)) throw new AtlasArgumentException("overlap", $"must be in [0, 1), got {options.Overlap}");
        if (labels is not null && labels.Length != n) throw new ShapeMismatchException("Mapper", new[] { n }, new[] { labels.Length }, "one label per point");
        double eps = options.Epsilon ?? DefaultEpsilon(points, n, d);
        if (!(eps > 0)) throw new AtlasArgumentException("epsilon", $"must be positive, got {eps}");

        var covers = lens.Select(l => Cover(l, options.Intervals, options.Overlap)).ToArray();
        var nodes = new List<MapperNode>();
        var cells = lens.Length == 1
            ? Enumerable.Range(0, options.Intervals).Select(i => new[] { i })
            : Enumerable.Range(0, options.Intervals).SelectMany(i => Enumerable.Range(0, options.Intervals).Select(j => new[] { i, j }));
        foreach (var cell in cells)
        {
            var members = new List<int>();
            for (int i = 0; i < n; i++)
            {
                bool inside = true;
                for (int c = 0; c < cell.Length && inside; c++)
                {
                    var (lo, hi) = covers[c][cell[c]];
                    inside = lens[c][i] >= lo && lens[c][i] <= hi;
                }
                if (inside) members.Add(i);
            }
            if (members.Count == 0) continue;
            foreach (var cluster in ClusterSubset(points, d, members, eps, options))
            {
                int? major = null;
                double? purity = null;
                if (labels is not null)
                {
                    var best = cluster.GroupBy(i => labels[i]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
                    major = best.Key;
                    purity = (double)best.Count() / cluster.Length;
                }
                nodes.Add(new MapperNode(nodes.Count, cell, cluster, major, purity));
            }
        }
        var edges = new List<MapperEdge>();
        var sets = nodes.Select(v => new HashSet<int>(v.Members)).ToArray();
        for (int a = 0; a < nodes.Count; a++)
            for (int b = a + 1; b < nodes.Count; b++)
            {
                int shared = nodes[b].Members.Count(sets[a].Contains);
                if (shared > 0) edges.Add(new MapperEdge(a, b, shared));
            }
        return new MapperGraph(nodes, edges, eps);
    }

    /// <summary>Interval i covers [lo + i·L(1−g), lo + i·L(1−g) + L], L chosen so the r intervals end exactly at the max.</summary>
    public static (double Lo, double Hi)[] Cover(double[] values, int intervals, double overlap)
    {
        double lo = values.Min(), hi = values.Max();
        double len = (hi - lo) / (intervals - (intervals - 1) * overlap);
        if (len == 0) len = 1;
        var r = new (double, double)[intervals];
        for (int i = 0; i < intervals; i++)
        {
            double a = lo + i * len * (1 - overlap);
            r[i] = (a, i == intervals - 1 ? Math.Max(hi, a + len) : a + len);
        }
        return r;
    }

    private static double DefaultEpsilon(double[] p, int n, int d)
    {
        if (n < 2) return 1;
        var nn = new double[n];
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < n; j++) if (j != i) best = Math.Min(best, Dist(p, d, i, j));
            nn[i] = best;
        }
        Array.Sort(nn);
        double e = 3 * nn[n / 2];
        return e > 0 ? e : 1;
    }

    private static double Dist(double[] p, int d, int i, int j)
    {
        double s = 0;
        for (int k = 0; k < d; k++) { double t = p[i * d + k] - p[j * d + k]; s += t * t; }
        return Math.Sqrt(s);
    }

    private static List<int[]> ClusterSubset(double[] p, int d, List<int> members, double eps, MapperOptions o)
    {
        int m = members.Count;
        var nbrs = new List<int>[m];
        for (int a = 0; a < m; a++) nbrs[a] = new List<int>();
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++)
                if (Dist(p, d, members[a], members[b]) <= eps) { nbrs[a].Add(b); nbrs[b].Add(a); }
        var label = new int[m];
        Array.Fill(label, -1);
        int clusters = 0;
        if (o.Clustering == MapperClustering.SingleLinkage)
        {
            for (int s = 0; s < m; s++)
            {
                if (label[s] >= 0) continue;
                var stack = new Stack<int>();
                stack.Push(s);
                label[s] = clusters;
                while (stack.Count > 0)
                    foreach (int t in nbrs[stack.Pop()])
                        if (label[t] < 0) { label[t] = clusters; stack.Push(t); }
                clusters++;
            }
        }
        else
        {
            if (o.MinPoints < 1) throw new AtlasArgumentException("min-points", $"must be at least 1, got {o.MinPoints}");
            var core = new bool[m];
            for (int a = 0; a < m; a++) core[a] = nbrs[a].Count + 1 >= o.MinPoints;
            for (int s = 0; s < m; s++)
            {
                if (!core[s] || label[s] >= 0) continue;
                var stack = new Stack<int>();
                stack.Push(s);
                label[s] = clusters;
                while (stack.Count > 0)
                {
                    int u = stack.Pop();
                    if (!core[u]) continue; // border points join but do not expand
                    foreach (int t in nbrs[u])
                        if (label[t] < 0) { label[t] = clusters; stack.Push(t); }
                }
                clusters++;
            }
        }
        var result = new List<int>[clusters];
        for (int c = 0; c < clusters; c++) result[c] = new List<int>();
        for (int a = 0; a < m; a++) if (label[a] >= 0) result[label[a]].Add(members[a]);
        return result.Select(l => l.ToArray()).ToList();
    }

    public static string ToJson(MapperGraph g)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("epsilon", g.Epsilon);
            w.WriteStartArray("nodes");
            foreach (var v in g.Nodes)
            {
                w.WriteStartObject();
                w.WriteNumber("id", v.Id);
                w.WriteStartArray("cell"); foreach (int c in v.Cell) w.WriteNumberValue(c); w.WriteEndArray();
                w.WriteNumber("size", v.Members.Length);
                if (v.MajorityLabel is { } ml) w.WriteNumber("majority_label", ml);
                if (v.Purity is { } pu) w.WriteNumber("purity", pu);
                w.WriteStartArray("members"); foreach (int x in v.Members) w.WriteNumberValue(x); w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("edges");
            foreach (var e in g.Edges)
            {
                w.WriteStartObject();
                w.WriteNumber("source", e.Source);
                w.WriteNumber("target", e.Target);
                w.WriteNumber("shared", e.Shared);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
