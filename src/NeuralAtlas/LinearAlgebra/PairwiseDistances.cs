using NeuralAtlas.Native;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>
/// Euclidean distances between rows of double matrices. <see cref="Squared(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
/// is exact to rounding (it sums squared differences); the blocked screening pass uses the expansion
/// ‖x‖² + ‖y‖² − 2x·y through dgemm, which is fast but loses relative accuracy when a distance is small next to the
/// norms, so every caller that reports a distance recomputes it exactly, and decides near-ties with
/// <see cref="ScreeningTolerance"/>.
/// </summary>
public static unsafe class PairwiseDistances
{
    /// <summary>Exact squared distance: Σ (a_i − b_i)² (SIMD lanes summed at the end; exact to rounding).</summary>
    public static double Squared(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ShapeMismatchException("distance", new[] { a.Length }, new[] { b.Length }, "vectors differ in length");
        int i = 0;
        double s = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && a.Length >= 2 * System.Numerics.Vector<double>.Count)
        {
            var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a);
            var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b);
            var acc0 = System.Numerics.Vector<double>.Zero;
            var acc1 = System.Numerics.Vector<double>.Zero;
            int v = 0;
            for (; v + 2 <= va.Length; v += 2)
            {
                var d0 = va[v] - vb[v];
                var d1 = va[v + 1] - vb[v + 1];
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }
            for (; v < va.Length; v++) { var d = va[v] - vb[v]; acc0 += d * d; }
            s = System.Numerics.Vector.Sum(acc0 + acc1);
            i = va.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < a.Length; i++) { double d = a[i] - b[i]; s += d * d; }
        return s;
    }

    /// <summary>Exact Euclidean distance between two vectors.</summary>
    public static double Euclidean(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Math.Sqrt(Squared(a, b));

    /// <summary>The full n×n Euclidean distance matrix of the rows of x, each entry computed exactly (O(n²d)).</summary>
    public static DMatrix Matrix(DMatrix x)
    {
        x.RequireFinite("points");
        int n = x.Rows;
        var d = new DMatrix(n, n);
        Parallelism.For(0, n, i =>
        {
            var xi = x.Row(i);
            for (int j = i + 1; j < n; j++)
            {
                double v = Euclidean(xi, x.Row(j));
                d.Data[(long)i * n + j] = v;
                d.Data[(long)j * n + i] = v;
            }
        });
        return d;
    }

    /// <summary>The n×m Euclidean distances between rows of a and rows of b, each entry computed exactly.</summary>
    public static DMatrix Matrix(DMatrix a, DMatrix b)
    {
        if (a.Cols != b.Cols) throw new ShapeMismatchException("distances", new[] { a.Rows, a.Cols }, new[] { b.Rows, b.Cols }, "points differ in dimension");
        a.RequireFinite("points");
        b.RequireFinite("points");
        var d = new DMatrix(a.Rows, b.Rows);
        Parallelism.For(0, a.Rows, i =>
        {
            var ai = a.Row(i);
            for (int j = 0; j < b.Rows; j++) d.Data[(long)i * b.Rows + j] = Euclidean(ai, b.Row(j));
        });
        return d;
    }

    /// <summary>
    /// A bound on |computed − true| for a squared distance from the GEMM expansion of two centred rows of dimension
    /// <paramref name="dim"/> with squared norms nq and nx: each of the three terms carries at most ≈ dim·ε of its
    /// magnitude (any summation order, with or without FMA), and centring adds a few ε more.
    /// </summary>
    public static double ScreeningTolerance(int dim, double nq, double nx) => (2.0 * dim + 16) * MachineEpsilon * (nq + nx);

    /// <summary>The spacing of doubles at 1 (2⁻⁵²).</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Rows of x minus the column means (distances are unchanged; the norms in the GEMM expansion shrink).</summary>
    public static DMatrix Centered(DMatrix x)
    {
        int n = x.Rows, d = x.Cols;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var r = x.Row(i);
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= Math.Max(n, 1);
        var c = new DMatrix(n, d);
        for (int i = 0; i < n; i++)
        {
            var r = x.Row(i);
            var o = c.Row(i);
            for (int j = 0; j < d; j++) o[j] = r[j] - mean[j];
        }
        return c;
    }

    /// <summary>Squared Euclidean norm of every row.</summary>
    public static double[] RowSquaredNorms(DMatrix x)
    {
        var r = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            double s = 0;
            for (int j = 0; j < row.Length; j++) s += row[j] * row[j];
            r[i] = s;
        }
        return r;
    }

    /// <summary>
    /// Screening pass: calls <paramref name="visit"/>(qStart, qCount, xStart, xCount, block) for tiles of the
    /// approximate squared-distance matrix between rows of q and rows of x (both already centred by the caller with
    /// the same mean), where block[(i − qStart)·xCount + (j − xStart)] ≈ ‖q_i − x_j‖². Tiles of one query block
    /// are visited in order of xStart, on one thread; different query blocks may run in parallel.
    /// </summary>
    internal static void ScreenBlocks(DMatrix q, double[] qNorms, DMatrix x, double[] xNorms, int queryBlock, int pointBlock,
        Action<int, int, int, int, double[]> visit)
    {
        int nq = q.Rows, nx = x.Rows, d = q.Cols;
        int qBlocks = (nq + queryBlock - 1) / queryBlock;
        // OpenBLAS threads the GEMM itself; the managed fallback and the selection parallelise over query blocks.
        bool parallelBlocks = !OpenBlas.IsAvailable;
        Action<int> body = qb =>
        {
            int q0 = qb * queryBlock, qc = Math.Min(queryBlock, nq - q0);
            var block = new double[(long)qc * Math.Min(pointBlock, nx)];
            for (int x0 = 0; x0 < nx; x0 += pointBlock)
            {
                int xc = Math.Min(pointBlock, nx - x0);
                Dot(q, q0, qc, x, x0, xc, block);
                for (int i = 0; i < qc; i++)
                {
                    double ni = qNorms[q0 + i];
                    int off = i * xc;
                    for (int j = 0; j < xc; j++) block[off + j] = ni + xNorms[x0 + j] - 2 * block[off + j];
                }
                visit(q0, qc, x0, xc, block);
            }
        };
        if (parallelBlocks) Parallelism.For(0, qBlocks, body);
        else for (int qb = 0; qb < qBlocks; qb++) body(qb);
    }

    /// <summary>One screening tile: block[i·xc + j] ≈ ‖q_{q0+i} − x_{x0+j}‖² from the GEMM expansion (rows centred by the caller).</summary>
    internal static void SquaredTile(DMatrix q, double[] qNorms, int q0, int qc, DMatrix x, double[] xNorms, int x0, int xc, double[] block)
    {
        Dot(q, q0, qc, x, x0, xc, block);
        for (int i = 0; i < qc; i++)
        {
            double ni = qNorms[q0 + i];
            int off = i * xc;
            for (int j = 0; j < xc; j++) block[off + j] = ni + xNorms[x0 + j] - 2 * block[off + j];
        }
    }

    // block (qc×xc, row-major) = Q[q0:q0+qc] · X[x0:x0+xc]ᵀ
    private static void Dot(DMatrix q, int q0, int qc, DMatrix x, int x0, int xc, double[] block)
    {
        int d = q.Cols;
        if (d == 0) { Array.Clear(block); return; }
        if (OpenBlas.IsAvailable)
        {
            fixed (double* pq = q.Data, px = x.Data, pc = block)
                OpenBlas.Dgemm(false, true, qc, xc, d, 1.0, pq + (long)q0 * d, d, px + (long)x0 * d, d, 0.0, pc, xc);
            return;
        }
        var qs = new DMatrix(qc, d, q.Data.AsSpan(q0 * d, qc * d).ToArray());
        var xs = new DMatrix(xc, d, x.Data.AsSpan(x0 * d, xc * d).ToArray());
        var prod = Blas.Gemm(qs, xs, transB: true);
        prod.Data.AsSpan().CopyTo(block);
    }

    /// <summary>
    /// For each radius r (first index) and each row i (second index), how many other rows lie at distance &lt; r from
    /// row i, exactly: pairs whose screened distance is within the rounding bound of a radius are recomputed directly.
    /// Summing over i counts ordered pairs, as the correlation integral needs.
    /// </summary>
    public static long[][] CountNeighborsWithin(DMatrix x, double[] radii)
    {
        x.RequireFinite("points");
        foreach (double r in radii)
            if (!(r >= 0) || double.IsInfinity(r)) throw new AtlasArgumentException("radii", $"must be finite and non-negative, got {r}");
        int n = x.Rows, d = x.Cols;
        var c = Centered(x);
        var norms = RowSquaredNorms(c);
        double maxNorm = norms.Length == 0 ? 0 : norms.Max();
        var r2 = radii.Select(r => r * r).ToArray();
        var counts = new long[radii.Length][];
        for (int t = 0; t < radii.Length; t++) counts[t] = new long[n];
        ScreenBlocks(c, norms, c, norms, 256, 2048, (q0, qc, x0, xc, block) =>
        {
            for (int i = 0; i < qc; i++)
            {
                int qi = q0 + i;
                double tol = ScreeningTolerance(d, norms[qi], maxNorm);
                int off = i * xc;
                for (int j = 0; j < xc; j++)
                {
                    int xj = x0 + j;
                    if (xj == qi) continue;
                    double a = block[off + j];
                    double exact = double.NaN;
                    for (int t = 0; t < r2.Length; t++)
                    {
                        if (a < r2[t] - tol) counts[t][qi]++;
                        else if (a <= r2[t] + tol)
                        {
                            if (double.IsNaN(exact)) exact = Squared(x.Row(qi), x.Row(xj));
                            if (Math.Sqrt(exact) < radii[t]) counts[t][qi]++; // compare as distances, like d < r
                        }
                    }
                }
            }
        });
        return counts;
    }
}
