using NeuralAtlas.Native;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>
/// Double-precision matrix products: OpenBLAS dgemm when it loads, else a blocked, multi-threaded managed kernel.
/// </summary>
public static unsafe class Blas
{
    /// <summary>op(A)·op(B) as a new matrix.</summary>
    public static DMatrix Gemm(DMatrix a, DMatrix b, bool transA = false, bool transB = false, double alpha = 1)
    {
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != kb) throw new ShapeMismatchException("gemm", new[] { m, k }, new[] { kb, n }, "inner dimensions differ");
        var c = new DMatrix(m, n);
        if (m == 0 || n == 0 || k == 0) return c;
        fixed (double* pa = a.Data, pb = b.Data, pc = c.Data)
        {
            if (OpenBlas.IsAvailable)
                OpenBlas.Dgemm(transA, transB, m, n, k, alpha, pa, a.Cols, pb, b.Cols, 0, pc, n);
            else
                ManagedGemm(transA, transB, m, n, k, alpha, pa, a.Cols, pb, b.Cols, pc, n);
        }
        return c;
    }

    /// <summary>AᵀA (the Gram matrix of columns).</summary>
    public static DMatrix AtA(DMatrix a) => Gemm(a, a, transA: true);

    /// <summary>AAᵀ (the Gram matrix of rows).</summary>
    public static DMatrix AAt(DMatrix a) => Gemm(a, a, transB: true);

    private static void ManagedGemm(bool ta, bool tb, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double* c, int ldc)
    {
        // Pack op(B) as k×n row-major so the inner loop is a contiguous axpy the JIT vectorises.
        double[] bp = new double[(long)k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) bp[p * n + j] = tb ? b[j * ldb + p] : b[p * ldb + j];
        const int KB = 256;
        Parallel.For(0, m, i =>
        {
            var ci = new Span<double>(c + (long)i * ldc, n);
            fixed (double* pb = bp)
            {
                for (int p0 = 0; p0 < k; p0 += KB)
                {
                    int p1 = Math.Min(k, p0 + KB);
                    for (int p = p0; p < p1; p++)
                    {
                        double aip = alpha * (ta ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                        if (aip == 0) continue;
                        var row = new ReadOnlySpan<double>(pb + (long)p * n, n);
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, aip, ci, ci);
                    }
                }
            }
        });
    }
}
