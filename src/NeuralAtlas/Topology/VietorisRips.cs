namespace NeuralAtlas.Topology;

/// <summary>
/// Persistent homology of the Vietoris–Rips filtration over Z/p, computed with Ripser's algorithm
/// (persistent cohomology with clearing, implicit coboundaries, apparent and emergent pairs). Barcodes equal
/// Ripser's and GUDHI's; distances are float32 (see docs/topology-persistent-homology.md).
/// </summary>
public static class VietorisRips
{
    /// <summary>
    /// Dense input. Without a threshold the enclosing radius is used (as Ripser); with one, the matrix is first
    /// thinned to the pairs within it (as Ripser, which switches to its sparse code path).
    /// </summary>
    public static PersistenceResult Compute(DistanceMatrix distances, RipsOptions? options = null)
    {
        options ??= new RipsOptions();
        Validate(options);
        if (options.Threshold is null)
        {
            float r = distances.EnclosingRadius();
            var c = Build(distances.Lower, null, distances.Count, options, r);
            return Run(c, options, r);
        }
        float t = ToThreshold(options.Threshold.Value);
        var sparse = SparseDistanceMatrix.FromDense(distances, t);
        return Run(Build(null, sparse, distances.Count, options, t), options, t);
    }

    /// <summary>Sparse input: pairs not listed are never connected. Without a threshold, every listed pair counts.</summary>
    public static PersistenceResult Compute(SparseDistanceMatrix distances, RipsOptions? options = null)
    {
        options ??= new RipsOptions();
        Validate(options);
        float t = options.Threshold is { } th ? ToThreshold(th) : float.MaxValue;
        return Run(Build(null, distances, distances.Count, options, t), options, t);
    }

    /// <summary>
    /// A point cloud (row-major n×d). With a threshold the neighbourhood graph is built directly, never the n²
    /// matrix; without one the dense matrix and its enclosing radius are used.
    /// </summary>
    public static PersistenceResult Compute(ReadOnlySpan<double> points, int n, int d, PointMetric metric = PointMetric.Euclidean, RipsOptions? options = null)
    {
        options ??= new RipsOptions();
        Validate(options);
        if (options.Threshold is null) return Compute(DistanceMatrix.FromPoints(points, n, d, metric), options);
        DistanceMatrix.CheckPoints(points, n, d, "points");
        var pts = points.ToArray();
        var norms = DistanceMatrix.Norms(points, n, d, metric);
        float t = ToThreshold(options.Threshold.Value);
        var sparse = SparseDistanceMatrix.FromDistanceFunction(n, t,
            (i, j) => (float)PointMetrics.Distance(metric, new ReadOnlySpan<double>(pts, i * d, d), new ReadOnlySpan<double>(pts, j * d, d), norms[i], norms[j]),
            options.Threads);
        return Run(Build(null, sparse, n, options, t), options, t);
    }

    internal static float ToThreshold(double t)
    {
        if (double.IsNaN(t) || t < 0) throw new AtlasArgumentException("threshold", $"must be a non-negative number, got {t}");
        return double.IsPositiveInfinity(t) || t >= float.MaxValue ? float.MaxValue : (float)t;
    }

    private static void Validate(RipsOptions o)
    {
        if (o.MaxDimension < 0) throw new AtlasArgumentException("dim", $"must be non-negative, got {o.MaxDimension}");
        if (o.MaxDimension > 60) throw new AtlasArgumentException("dim", $"at most 60, got {o.MaxDimension}");
        if (o.Modulus < 2 || o.Modulus > 251 || !IsPrime(o.Modulus))
            throw new AtlasArgumentException("modulus", $"must be a prime between 2 and 251, got {o.Modulus}");
        if (double.IsNaN(o.Ratio) || o.Ratio < 1) throw new AtlasArgumentException("ratio", $"must be at least 1, got {o.Ratio}");
        if (o.Threads < 1) throw new AtlasArgumentException("threads", $"must be at least 1, got {o.Threads}");
    }

    private static bool IsPrime(int p)
    {
        if (p < 2) return false;
        for (int q = 2; q * q <= p; q++) if (p % q == 0) return false;
        return true;
    }

    internal static RipsComplex Build(float[]? dense, SparseDistanceMatrix? sparse, int n, RipsOptions o, float threshold)
    {
        int dimMax = Math.Max(0, Math.Min(o.MaxDimension, n - 2));
        var c = new RipsComplex(dense, sparse, n, dimMax, threshold, o.Modulus);
        if (!o.IgnoreMemoryEstimate && dimMax >= 2)
        {
            var (bytes, simplices) = EstimateMemory(c);
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (bytes > available)
                throw new AtlasArgumentException("dim",
                    $"H_{dimMax} on {n} points within threshold {threshold} may need up to {bytes / 1e9:F1} GB " +
                    $"(up to {simplices:G3} simplices of dimension {dimMax}, 16 bytes each, plus the dimension below), " +
                    $"but {available / 1e9:F1} GB are available; lower the dimension or the threshold (the estimate is an upper bound: --force, or RipsOptions.IgnoreMemoryEstimate, runs anyway)");
        }
        return c;
    }

    /// <summary>
    /// An upper bound on the memory of the top dimension: the number of k-simplices is at most Σ_v C(deg⁻(v), k),
    /// deg⁻(v) the neighbours of v with smaller index within the threshold (each simplex counted once, at its largest
    /// vertex). Columns and the simplex list of the dimension below are 16 bytes per simplex.
    /// </summary>
    internal static (double Bytes, double TopSimplices) EstimateMemory(RipsComplex c)
    {
        int n = c.N, k = c.DimMax;
        var deg = new int[n];
        if (c.Dense is { } low)
        {
            for (int i = 1; i < n; i++)
            {
                long row = (long)i * (i - 1) / 2;
                int cnt = 0;
                for (int j = 0; j < i; j++) if (low[row + j] <= c.Threshold) cnt++;
                deg[i] = cnt;
            }
        }
        else
        {
            var s = c.Sparse!;
            for (int i = 0; i < n; i++)
                for (int q = s.Start[i]; q < s.Start[i + 1] && s.Neighbor[q] < i; q++)
                    if (s.Value[q] <= c.Threshold) deg[i]++;
        }
        double top = 0, below = 0;
        foreach (int dg in deg) { top += Choose(dg, k); below += Choose(dg, k - 1); }
        return (16.0 * (top + below), top);
    }

    private static double Choose(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    private static PersistenceResult Run(RipsComplex c, RipsOptions o, float threshold)
    {
        var (intervals, cocycles) = new RipsReduction(c, o.Cocycles, o.Ratio, o.Threads).Run(o.MaxDimension + 1);
        var diagrams = new PersistenceDiagram[o.MaxDimension + 1];
        for (int d = 0; d <= o.MaxDimension; d++) diagrams[d] = new PersistenceDiagram(d, intervals[d]);
        return new PersistenceResult(diagrams, threshold, c.N, c.Modulus, cocycles);
    }
}
