using System.Runtime.CompilerServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// A symmetric distance matrix stored as its strict lower triangle in float32, row by row: entry (i, j), i &gt; j,
/// sits at i(i−1)/2 + j, which is also the combinatorial-number-system index of the edge {i, j}. float32 halves the
/// memory of double and is Ripser's precision; values are computed in double and rounded once.
/// </summary>
public sealed class DistanceMatrix
{
    public int Count { get; }
    /// <summary>The strict lower triangle, n(n−1)/2 values.</summary>
    internal float[] Lower { get; }

    internal DistanceMatrix(int n, float[] lower)
    {
        Count = n;
        Lower = lower;
    }

    public float this[int i, int j] => i == j ? 0f : i > j ? Lower[(long)i * (i - 1) / 2 + j] : Lower[(long)j * (j - 1) / 2 + i];

    /// <summary>
    /// From a strict lower triangle (n(n−1)/2 values, row by row). Every value must be a non-negative number;
    /// +inf is allowed and means "no edge".
    /// </summary>
    public static DistanceMatrix FromLowerTriangle(ReadOnlySpan<float> lower, string source = "distances")
    {
        long m = lower.Length;
        int n = TriangleSide(m, source);
        var copy = new float[m];
        for (long k = 0; k < m; k++) copy[k] = Check(lower[(int)k], source, k);
        return new DistanceMatrix(n, copy);
    }

    /// <summary>Solves n(n−1)/2 = m, or throws naming the source.</summary>
    internal static int TriangleSide(long m, string source)
    {
        if (m == 0) throw new AtlasFormatException(source, 0, "at least one distance (the input is empty)", "entry");
        long n = (long)Math.Round((1 + Math.Sqrt(1 + 8.0 * m)) / 2);
        if (n * (n - 1) / 2 != m)
            throw new AtlasFormatException(source, m, $"a triangular number of lower-triangle entries n(n−1)/2, got {m} (between n={n - 1} and n={n})", "entry");
        if (n > 1 << 20) throw new AtlasArgumentException(source, $"at most 2^20 points, got {n}");
        return (int)n;
    }

    internal static float Check(float v, string source, long at, string unit = "entry")
    {
        if (float.IsNaN(v)) throw new AtlasFormatException(source, at, "a distance, found NaN", unit);
        if (v < 0) throw new AtlasFormatException(source, at, $"a non-negative distance, found {v}", unit);
        return v == 0 ? 0f : v; // folds −0 into +0 so that float bit patterns order like the values
    }

    /// <summary>
    /// From a full n×n matrix (row-major). Must be square, symmetric (to a relative 1e−6, which absorbs text
    /// round-trips) and zero on the diagonal; the lower triangle is used.
    /// </summary>
    public static DistanceMatrix FromDense(ReadOnlySpan<double> values, int rows, int cols, string source = "matrix")
    {
        if (rows != cols) throw new ShapeMismatchException("distance matrix", $"{source}: expected a square matrix, got {rows}×{cols}");
        if (rows == 0) throw new AtlasFormatException(source, 0, "at least one point (the input is empty)", "row");
        if ((long)rows * cols != values.Length) throw new ShapeMismatchException("distance matrix", $"{source}: {rows}×{cols} needs {(long)rows * cols} values, got {values.Length}");
        int n = rows;
        var lower = new float[(long)n * (n - 1) / 2];
        for (int i = 0; i < n; i++)
        {
            double dii = values[i * n + i];
            if (double.IsNaN(dii) || dii != 0)
                throw new AtlasFormatException(source, i, $"a zero diagonal, found {dii} at ({i}, {i})", "row");
            for (int j = 0; j < i; j++)
            {
                double a = values[i * n + j], b = values[j * n + i];
                if (double.IsNaN(a) || double.IsNaN(b)) throw new AtlasFormatException(source, i, $"a distance at ({i}, {j}), found NaN", "row");
                if (a < 0) throw new AtlasFormatException(source, i, $"a non-negative distance at ({i}, {j}), found {a}", "row");
                if (!(a == b || Math.Abs(a - b) <= 1e-6 * Math.Max(Math.Abs(a), Math.Abs(b))))
                    throw new AtlasFormatException(source, i, $"a symmetric matrix, but ({i}, {j}) = {a} and ({j}, {i}) = {b}", "row");
                lower[(long)i * (i - 1) / 2 + j] = a == 0 ? 0f : (float)a;
            }
        }
        return new DistanceMatrix(n, lower);
    }

    /// <summary>Pairwise distances of the rows of a row-major n×d array, accumulated in double, stored as float32.</summary>
    public static DistanceMatrix FromPoints(ReadOnlySpan<double> points, int n, int d, PointMetric metric = PointMetric.Euclidean, string source = "points")
    {
        CheckPoints(points, n, d, source);
        var lower = new float[(long)n * (n - 1) / 2];
        var norms = Norms(points, n, d, metric);
        var pts = points.ToArray();
        for (int i = 1; i < n; i++)
        {
            long row = (long)i * (i - 1) / 2;
            var xi = new ReadOnlySpan<double>(pts, i * d, d);
            for (int j = 0; j < i; j++)
            {
                double v = PointMetrics.Distance(metric, xi, new ReadOnlySpan<double>(pts, j * d, d), norms[i], norms[j]);
                lower[row + j] = (float)v;
            }
        }
        return new DistanceMatrix(n, lower);
    }

    internal static void CheckPoints(ReadOnlySpan<double> points, int n, int d, string source)
    {
        if (n <= 0) throw new AtlasFormatException(source, 0, "at least one point (the input is empty)", "row");
        if (d <= 0) throw new AtlasFormatException(source, 0, "at least one coordinate per point", "row");
        if ((long)n * d != points.Length) throw new ShapeMismatchException("point cloud", $"{source}: {n}×{d} needs {(long)n * d} values, got {points.Length}");
        for (int k = 0; k < points.Length; k++)
            if (!double.IsFinite(points[k]))
                throw new AtlasFormatException(source, k / d, $"finite coordinates, found {points[k]} at coordinate {k % d}", "point");
    }

    internal static double[] Norms(ReadOnlySpan<double> points, int n, int d, PointMetric metric)
    {
        var norms = new double[n];
        if (metric != PointMetric.Cosine) return norms;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) { double t = points[i * d + k]; s += t * t; }
            norms[i] = Math.Sqrt(s);
        }
        return norms;
    }

    /// <summary>
    /// Euclidean distances computed in float32 arithmetic, coordinate by coordinate, exactly as Ripser's point-cloud
    /// reader does, so that `atlas ph --format point-cloud` prints the same digits as Ripser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DistanceMatrix FromPointsFloat32(float[] points, int n, int d, string source = "points")
    {
        var lower = new float[(long)n * (n - 1) / 2];
        for (int i = 1; i < n; i++)
        {
            long row = (long)i * (i - 1) / 2;
            for (int j = 0; j < i; j++) lower[row + j] = EuclideanFloat32(points, i, j, d);
        }
        return new DistanceMatrix(n, lower);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float EuclideanFloat32(float[] points, int i, int j, int d)
    {
        float s = 0f;
        int a = i * d, b = j * d;
        for (int k = 0; k < d; k++) { float t = points[a + k] - points[b + k]; s += t * t; }
        return MathF.Sqrt(s);
    }

    /// <summary>
    /// min over points of the largest distance from that point: beyond it the Rips complex is a cone, so no homology
    /// changes, and it is Ripser's default threshold for dense input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float EnclosingRadius()
    {
        int n = Count;
        if (n == 1) return 0f;
        var rowMax = new float[n];
        for (int i = 1; i < n; i++)
        {
            long row = (long)i * (i - 1) / 2;
            for (int j = 0; j < i; j++)
            {
                float v = Lower[row + j];
                if (v > rowMax[i]) rowMax[i] = v;
                if (v > rowMax[j]) rowMax[j] = v;
            }
        }
        float r = float.PositiveInfinity;
        foreach (float v in rowMax) r = Math.Min(r, v);
        return r;
    }
}
