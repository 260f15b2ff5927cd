namespace NeuralAtlas.Topology;

/// <summary>
/// Distances that are only known (or only wanted) for some pairs: each point's neighbours, sorted by index, in one
/// compressed array (CSR). Missing pairs are at infinite distance. 8 bytes per directed edge.
/// </summary>
public sealed class SparseDistanceMatrix
{
    public int Count { get; }
    internal int[] Start { get; }
    internal int[] Neighbor { get; }
    internal float[] Value { get; }
    /// <summary>Undirected edges stored.</summary>
    public long EdgeCount => Neighbor.LongLength / 2;

    internal SparseDistanceMatrix(int n, int[] start, int[] neighbor, float[] value)
    {
        Count = n;
        Start = start;
        Neighbor = neighbor;
        Value = value;
    }

    public float this[int i, int j]
    {
        get
        {
            if (i == j) return 0f;
            int k = Array.BinarySearch(Neighbor, Start[i], Start[i + 1] - Start[i], j);
            return k >= 0 ? Value[k] : float.PositiveInfinity;
        }
    }

    /// <summary>
    /// From a list of (i, j, distance) triples; self-pairs are ignored and a pair given twice keeps its smaller
    /// distance. The point count is max index + 1 unless <paramref name="count"/> is larger.
    /// </summary>
    public static SparseDistanceMatrix FromTriples(IReadOnlyList<(int I, int J, float D)> triples, int count = 0, string source = "triples")
    {
        int n = count;
        for (int t = 0; t < triples.Count; t++)
        {
            var (i, j, d) = triples[t];
            if (i < 0 || j < 0) throw new AtlasFormatException(source, t + 1, $"non-negative point indices, found {i} {j}", "entry");
            DistanceMatrix.Check(d, source, t + 1, "entry");
            n = Math.Max(n, Math.Max(i, j) + 1);
        }
        if (n == 0) throw new AtlasFormatException(source, 0, "at least one entry (the input is empty)", "entry");
        var deg = new int[n + 1];
        foreach (var (i, j, _) in triples) if (i != j) { deg[i]++; deg[j]++; }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = checked(start[i] + deg[i]);
        var pos = (int[])start.Clone();
        var nb = new int[start[n]];
        var val = new float[start[n]];
        foreach (var (i, j, d) in triples)
        {
            if (i == j) continue;
            float v = d == 0 ? 0f : d;
            nb[pos[i]] = j; val[pos[i]++] = v;
            nb[pos[j]] = i; val[pos[j]++] = v;
        }
        return Compact(n, start, nb, val);
    }

    /// <summary>Sorts every neighbour list and merges duplicates (keeping the smaller distance).</summary>
    private static SparseDistanceMatrix Compact(int n, int[] start, int[] nb, float[] val)
    {
        var newStart = new int[n + 1];
        int w = 0;
        for (int i = 0; i < n; i++)
        {
            int s = start[i], e = start[i + 1];
            Array.Sort(nb, val, s, e - s);
            newStart[i] = w;
            for (int k = s; k < e; k++)
            {
                if (w > newStart[i] && nb[w - 1] == nb[k]) { val[w - 1] = Math.Min(val[w - 1], val[k]); continue; }
                nb[w] = nb[k]; val[w] = val[k]; w++;
            }
        }
        newStart[n] = w;
        if (w != nb.Length) { Array.Resize(ref nb, w); Array.Resize(ref val, w); }
        return new SparseDistanceMatrix(n, newStart, nb, val);
    }

    /// <summary>The entries of a dense matrix at most <paramref name="threshold"/>.</summary>
    public static SparseDistanceMatrix FromDense(DistanceMatrix dist, float threshold)
    {
        int n = dist.Count;
        var deg = new int[n];
        var low = dist.Lower;
        for (int i = 1; i < n; i++)
        {
            long row = (long)i * (i - 1) / 2;
            for (int j = 0; j < i; j++) if (low[row + j] <= threshold) { deg[i]++; deg[j]++; }
        }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = checked(start[i] + deg[i]);
        var pos = (int[])start.Clone();
        var nb = new int[start[n]];
        var val = new float[start[n]];
        // Filling by increasing i then j leaves every list sorted: row i gets j < i first (in order), then larger ones.
        for (int i = 1; i < n; i++)
        {
            long row = (long)i * (i - 1) / 2;
            for (int j = 0; j < i; j++)
            {
                float v = low[row + j];
                if (v > threshold) continue;
                nb[pos[j]] = i; val[pos[j]++] = v;
                nb[pos[i]] = j; val[pos[i]++] = v;
            }
        }
        return new SparseDistanceMatrix(n, start, nb, val);
    }

    /// <summary>
    /// The neighbourhood graph of a point cloud at a threshold, without ever holding the dense matrix (n² distance
    /// evaluations, memory proportional to the edges kept). <paramref name="distance"/>(i, j) for i &gt; j.
    /// </summary>
    internal static SparseDistanceMatrix FromDistanceFunction(int n, float threshold, Func<int, int, float> distance, int threads)
    {
        // One pass per row collects (j, d) with j < i; rows are independent so they can be split across threads.
        var rowsNb = new int[n][];
        var rowsVal = new float[n][];
        (List<int>, List<float>) Row(int i, (List<int>, List<float>) buf)
        {
            buf.Item1.Clear(); buf.Item2.Clear();
            for (int j = 0; j < i; j++)
            {
                float v = distance(i, j);
                if (float.IsNaN(v)) throw new AtlasArgumentException("points", $"distance between points {i} and {j} is NaN");
                if (v <= threshold) { buf.Item1.Add(j); buf.Item2.Add(v == 0 ? 0f : v); }
            }
            rowsNb[i] = buf.Item1.ToArray();
            rowsVal[i] = buf.Item2.ToArray();
            return buf;
        }
        if (threads <= 1)
        {
            // A plain loop: Parallel.For with one worker still starts the thread pool (a few MB resident).
            var buf = (new List<int>(), new List<float>());
            for (int i = 0; i < n; i++) Row(i, buf);
        }
        else
        {
            var opts = new ParallelOptions { MaxDegreeOfParallelism = threads };
            Parallel.For(0, n, opts, () => (new List<int>(), new List<float>()), (i, _, buf) => Row(i, buf), _ => { });
        }
        var deg = new int[n];
        for (int i = 0; i < n; i++)
        {
            deg[i] += rowsNb[i].Length;
            foreach (int j in rowsNb[i]) deg[j]++;
        }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = checked(start[i] + deg[i]);
        var pos = (int[])start.Clone();
        var nb = new int[start[n]];
        var val = new float[start[n]];
        for (int i = 0; i < n; i++)
        {
            var rn = rowsNb[i]; var rv = rowsVal[i];
            for (int t = 0; t < rn.Length; t++)
            {
                int j = rn[t];
                nb[pos[j]] = i; val[pos[j]++] = rv[t];
                nb[pos[i]] = j; val[pos[i]++] = rv[t];
            }
            rowsNb[i] = null!; rowsVal[i] = null!;
        }
        return new SparseDistanceMatrix(n, start, nb, val);
    }
}
