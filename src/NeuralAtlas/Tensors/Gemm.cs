using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NeuralAtlas.Native;

namespace NeuralAtlas.Tensors;

/// <summary>
/// Single-precision matrix product C = α·op(A)·op(B) + β·C (row-major, leading dimensions as in CBLAS).
/// <see cref="Sgemm(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int)"/> uses the managed
/// AVX-512 kernel where the CPU has AVX-512 (faster than Debian's OpenBLAS on the machines we measured); elsewhere it
/// calls the system OpenBLAS when it is loaded and the product is large and not already inside a parallel kernel,
/// and the managed kernel otherwise. The managed kernel: BLIS-style blocking (B packed in KC×NR slivers, A in MR×KC slivers), an AVX-512 8×32 FMA
/// microkernel (or a portable <see cref="Vector{T}"/> 6×2W one), and threads over blocks of C.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Which implementation <see cref="Sgemm(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int)"/> uses.</summary>
    public enum Backend { Auto, Managed, OpenBlas }

    /// <summary>Forces a backend process-wide (tests and benchmarks); Auto picks OpenBLAS when available.</summary>
    public static Backend Force { get; set; } = Backend.Auto;

    /// <summary>Lets tests and benchmarks run the portable Vector&lt;T&gt; microkernel on AVX-512 hardware.</summary>
    internal static bool DisableAvx512 { get; set; }

    /// <summary>Name of the managed microkernel that will run on this machine.</summary>
    public static string ManagedKernel => UseAvx512 ? "avx512 8x32" : $"vector{Vector<float>.Count * 32} 6x{2 * Vector<float>.Count}";

    private static bool UseAvx512 => !DisableAvx512 && Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    private const int KC = 256, MC = 128, NC = 2048;

    /// <summary>C = α·op(A)·op(B) + β·C on spans; checks that every operand is long enough.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    internal static void Check(bool transA, bool transB, int m, int n, int k, long alen, int lda, long blen, int ldb, long clen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new AtlasArgumentException("sgemm", $"negative size m={m} n={n} k={k}");
        int ar = transA ? k : m, ac = transA ? m : k, br = transB ? n : k, bc = transB ? k : n;
        if (lda < Math.Max(1, ac) || ldb < Math.Max(1, bc) || ldc < Math.Max(1, n))
            throw new AtlasArgumentException("sgemm", $"leading dimensions lda={lda} ldb={ldb} ldc={ldc} too small for m={m} n={n} k={k}");
        if ((ar > 0 && ac > 0 && alen < (long)(ar - 1) * lda + ac) || (br > 0 && bc > 0 && blen < (long)(br - 1) * ldb + bc)
            || (m > 0 && n > 0 && clen < (long)(m - 1) * ldc + n))
            throw new AtlasArgumentException("sgemm", $"an operand is shorter than m={m} n={n} k={k} with its leading dimension needs");
    }

    /// <summary>C = α·op(A)·op(B) + β·C; OpenBLAS or the managed kernel (see the class summary).</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        bool blas = Force switch
        {
            Backend.OpenBlas => true,
            Backend.Managed => false,
            // Where the AVX-512 kernel runs it measured 1.25–1.5× faster than Debian's OpenBLAS (bench/RESULTS.md,
            // "SGEMM"), so OpenBLAS serves machines without AVX-512.
            _ => OpenBlas.IsAvailable && !UseAvx512 && !Parallelism.Nested && (long)m * n * k >= 64L * 64 * 64 && !IsDotShape(transA, transB, n, k),
        };
        if (blas && k > 0) OpenBlas.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else SgemmManaged(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The managed kernel only (multi-threaded unless called from inside a parallel kernel).</summary>
    public static void SgemmManaged(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        bool avx = UseAvx512;
        int mr = avx ? 8 : 6, nr = avx ? 32 : 2 * Vector<float>.Count;
        int threads = Parallelism.Nested ? 1 : Parallelism.MaxThreads;
        if (k == 0 || alpha == 0) { ScaleC(m, n, beta, c, ldc); return; }
        if (IsDotShape(transA, transB, n, k))
        {
            ScaleC(m, n, beta, c, ldc);
            Dots(m, n, k, alpha, a, lda, b, ldb, c, ldc);
            return;
        }
        if ((long)m * n * k <= 24L * 24 * 24 || m <= 2)
        {
            ScaleC(m, n, beta, c, ldc);
            Small(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
            return;
        }
        if (threads > 1 && k >= 4 * KC && (long)((m + MC - 1) / MC) * ((n + nr - 1) / nr) < threads)
        {
            ScaleC(m, n, beta, c, ldc);
            SplitK(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, threads);
            return;
        }
        // The blocked path stores (rather than adds) its first k-block when beta = 0, saving a pass over C.
        bool overwrite = beta == 0;
        if (!overwrite) ScaleC(m, n, beta, c, ldc);
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        float[] bPack = BPack(KC * RoundUp(ncMax, nr));
        fixed (float* pbp = bPack)
        {
            float* bp = pbp;
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                int slivers = (nc + nr - 1) / nr;
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    if (threads > 1 && slivers > 1 && (long)kc * nc > 32768)
                        Parallelism.For(0, threads, t =>
                        {
                            int per = (slivers + threads - 1) / threads;
                            PackB(transB, b, ldb, pc, kc, jc, nc, nr, bp, t * per, Math.Min(slivers, (t + 1) * per));
                        });
                    else PackB(transB, b, ldb, pc, kc, jc, nc, nr, bp, 0, slivers);

                    int mBlocks = (m + MC - 1) / MC;
                    int jSplit = threads <= 1 ? 1 : Math.Min(slivers, Math.Max(1, (2 * threads + mBlocks - 1) / mBlocks));
                    int tasks = mBlocks * jSplit;
                    int jc0 = jc, pc0 = pc, kc0 = kc;
                    void Task(int task)
                    {
                        int ib = task / jSplit, js = task % jSplit;
                        int ic = ib * MC, mc = Math.Min(MC, m - ic);
                        int s0 = (int)((long)slivers * js / jSplit), s1 = (int)((long)slivers * (js + 1) / jSplit);
                        if (s0 >= s1) return;
                        var aBuf = APack(RoundUp(MC, mr) * KC);
                        fixed (float* ap = aBuf)
                        {
                            PackA(transA, a, lda, ic, mc, pc0, kc0, mr, alpha, ap);
                            for (int s = s0; s < s1; s++)
                            {
                                int j = jc0 + s * nr, nrEff = Math.Min(nr, n - j);
                                float* bs = bp + (long)s * nr * kc0;
                                for (int ir = 0; ir < mc; ir += mr)
                                {
                                    int mrEff = Math.Min(mr, mc - ir);
                                    float* cc = c + (long)(ic + ir) * ldc + j;
                                    bool store = overwrite && pc0 == 0;
                                    if (avx) Kernel8x32(kc0, ap + (long)ir * kc0, bs, cc, ldc, mrEff, nrEff, store);
                                    else KernelVec(kc0, ap + (long)ir * kc0, bs, cc, ldc, mrEff, nrEff, store);
                                }
                            }
                        }
                    }
                    if (tasks > 1 && threads > 1) Parallelism.For(0, tasks, Task);
                    else for (int t = 0; t < tasks; t++) Task(t);
                }
            }
        }
    }

    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear(); else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // A·Bᵀ with few columns and a long inner dimension (a convolution's weight gradient with a small kernel): both
    // operands are contiguous along k, so every entry is one SIMD dot product and nothing needs packing.
    private static bool IsDotShape(bool transA, bool transB, int n, int k) => !transA && transB && n <= 16 && k >= 256;

    private static void Dots(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        const int KB = 4096; // a block of each of the n rows of B stays in L1/L2 while the rows of A stream past
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallelism.Chunks(m, 1, (i0, i1) =>
        {
            float* aa = (float*)pa, bb = (float*)pb, cc = (float*)pc;
            for (int p0 = 0; p0 < k; p0 += KB)
            {
                int len = Math.Min(KB, k - p0);
                for (long i = i0; i < i1; i++)
                {
                    var ai = new ReadOnlySpan<float>(aa + i * lda + p0, len);
                    for (int j = 0; j < n; j++)
                        cc[i * ldc + j] += alpha * TensorPrimitives.Dot(ai, new ReadOnlySpan<float>(bb + (long)j * ldb + p0, len));
                }
            }
        });
    }

    // Few output tiles but a long inner dimension (e.g. a weight gradient summed over a batch): each thread
    // multiplies one slice of k into its own buffer, and the partial products are added into C.
    private static void SplitK(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc, int threads)
    {
        var parts = new float[threads][];
        Parallelism.For(0, threads, t =>
        {
            int k0 = (int)((long)k * t / threads), k1 = (int)((long)k * (t + 1) / threads);
            var buf = new float[(long)m * n];
            fixed (float* pb = buf)
            {
                float* at = transA ? a + (long)k0 * lda : a + k0;
                float* bt = transB ? b + k0 : b + (long)k0 * ldb;
                SgemmManaged(transA, transB, m, n, k1 - k0, alpha, at, lda, bt, ldb, 0, pb, n);
            }
            parts[t] = buf;
        });
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            foreach (var p in parts) TensorPrimitives.Add(row, p.AsSpan(i * n, n), row);
        }
    }

    [ThreadStatic] private static float[]? _aPack;
    [ThreadStatic] private static float[]? _bPack;

    // The calling thread's B panel; workers of the same call only read it, and a nested call runs on its own thread.
    private static float[] BPack(int size)
    {
        var buf = _bPack;
        if (buf is null || buf.Length < size) _bPack = buf = GC.AllocateUninitializedArray<float>(size, pinned: true);
        return buf;
    }

    private static float[] APack(int size)
    {
        var buf = _aPack;
        if (buf is null || buf.Length < size) _aPack = buf = GC.AllocateUninitializedArray<float>(size, pinned: true);
        return buf;
    }

    private static int RoundUp(int x, int m) => (x + m - 1) / m * m;

    // op(B) rows pc..pc+kc, columns jc..jc+nc, as slivers of nr columns: sliver s holds kc rows of nr values (zero-padded).
    private static void PackB(bool transB, float* b, int ldb, int pc, int kc, int jc, int nc, int nr, float* dst, int s0, int s1)
    {
        for (int s = s0; s < s1; s++)
        {
            int j0 = jc + s * nr, w = Math.Min(nr, jc + nc - j0);
            float* d = dst + (long)s * nr * kc;
            if (!transB)
            {
                for (int p = 0; p < kc; p++, d += nr)
                {
                    float* src = b + (long)(pc + p) * ldb + j0;
                    new ReadOnlySpan<float>(src, w).CopyTo(new Span<float>(d, w));
                    for (int q = w; q < nr; q++) d[q] = 0;
                }
            }
            else
            {
                for (int q = 0; q < nr; q++)
                {
                    if (q < w)
                    {
                        float* src = b + (long)(j0 + q) * ldb + pc;
                        for (int p = 0; p < kc; p++) d[(long)p * nr + q] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) d[(long)p * nr + q] = 0;
                }
            }
        }
    }

    // α·op(A) rows ic..ic+mc, columns pc..pc+kc, as slivers of mr rows: sliver r holds kc columns of mr values (zero-padded).
    private static void PackA(bool transA, float* a, int lda, int ic, int mc, int pc, int kc, int mr, float alpha, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int h = Math.Min(mr, mc - ir);
            float* d = dst + (long)ir * kc;
            if (transA)
            {
                for (int p = 0; p < kc; p++, d += mr)
                {
                    float* src = a + (long)(pc + p) * lda + ic + ir;
                    int r = 0;
                    for (; r < h; r++) d[r] = alpha * src[r];
                    for (; r < mr; r++) d[r] = 0;
                }
            }
            else
            {
                for (int r = 0; r < mr; r++)
                {
                    if (r < h)
                    {
                        float* src = a + (long)(ic + ir + r) * lda + pc;
                        for (int p = 0; p < kc; p++) d[(long)p * mr + r] = alpha * src[p];
                    }
                    else for (int p = 0; p < kc; p++) d[(long)p * mr + r] = 0;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, int ldc, int mrEff, int nrEff, bool store)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += 8, b += 32)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        if (mrEff == 8 && nrEff == 32 && store)
        {
            c00.Store(c); c01.Store(c + 16); c10.Store(c + ldc); c11.Store(c + ldc + 16);
            c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 16); c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 16);
            c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + 16); c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + 16);
            c60.Store(c + 6 * ldc); c61.Store(c + 6 * ldc + 16); c70.Store(c + 7 * ldc); c71.Store(c + 7 * ldc + 16);
            return;
        }
        if (mrEff == 8 && nrEff == 32)
        {
            Acc(c, c00, c01); Acc(c + ldc, c10, c11); Acc(c + 2 * ldc, c20, c21); Acc(c + 3 * ldc, c30, c31);
            Acc(c + 4 * ldc, c40, c41); Acc(c + 5 * ldc, c50, c51); Acc(c + 6 * ldc, c60, c61); Acc(c + 7 * ldc, c70, c71);
            return;
        }
        float* t = stackalloc float[8 * 32];
        c00.Store(t); c01.Store(t + 16); c10.Store(t + 32); c11.Store(t + 48); c20.Store(t + 64); c21.Store(t + 80);
        c30.Store(t + 96); c31.Store(t + 112); c40.Store(t + 128); c41.Store(t + 144); c50.Store(t + 160); c51.Store(t + 176);
        c60.Store(t + 192); c61.Store(t + 208); c70.Store(t + 224); c71.Store(t + 240);
        AddPartial(t, 32, c, ldc, mrEff, nrEff, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(float* c, Vector512<float> lo, Vector512<float> hi)
    {
        Avx512F.Store(c, Avx512F.Add(Avx512F.LoadVector512(c), lo));
        Avx512F.Store(c + 16, Avx512F.Add(Avx512F.LoadVector512(c + 16), hi));
    }

    private static void AddPartial(float* t, int nr, float* c, int ldc, int mrEff, int nrEff, bool store)
    {
        for (int r = 0; r < mrEff; r++)
            for (int q = 0; q < nrEff; q++)
                if (store) c[(long)r * ldc + q] = t[r * nr + q];
                else c[(long)r * ldc + q] += t[r * nr + q];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelVec(int kc, float* a, float* b, float* c, int ldc, int mrEff, int nrEff, bool store)
    {
        int w = Vector<float>.Count, nr = 2 * w;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += nr)
        {
            var b0 = Unsafe.ReadUnaligned<Vector<float>>(b);
            var b1 = Unsafe.ReadUnaligned<Vector<float>>(b + w);
            var x = new Vector<float>(a[0]); c00 = Vector.MultiplyAddEstimate(x, b0, c00); c01 = Vector.MultiplyAddEstimate(x, b1, c01);
            x = new Vector<float>(a[1]); c10 = Vector.MultiplyAddEstimate(x, b0, c10); c11 = Vector.MultiplyAddEstimate(x, b1, c11);
            x = new Vector<float>(a[2]); c20 = Vector.MultiplyAddEstimate(x, b0, c20); c21 = Vector.MultiplyAddEstimate(x, b1, c21);
            x = new Vector<float>(a[3]); c30 = Vector.MultiplyAddEstimate(x, b0, c30); c31 = Vector.MultiplyAddEstimate(x, b1, c31);
            x = new Vector<float>(a[4]); c40 = Vector.MultiplyAddEstimate(x, b0, c40); c41 = Vector.MultiplyAddEstimate(x, b1, c41);
            x = new Vector<float>(a[5]); c50 = Vector.MultiplyAddEstimate(x, b0, c50); c51 = Vector.MultiplyAddEstimate(x, b1, c51);
        }
        float* t = stackalloc float[6 * 2 * 64];
        Unsafe.WriteUnaligned(t, c00); Unsafe.WriteUnaligned(t + w, c01);
        Unsafe.WriteUnaligned(t + nr, c10); Unsafe.WriteUnaligned(t + nr + w, c11);
        Unsafe.WriteUnaligned(t + 2 * nr, c20); Unsafe.WriteUnaligned(t + 2 * nr + w, c21);
        Unsafe.WriteUnaligned(t + 3 * nr, c30); Unsafe.WriteUnaligned(t + 3 * nr + w, c31);
        Unsafe.WriteUnaligned(t + 4 * nr, c40); Unsafe.WriteUnaligned(t + 4 * nr + w, c41);
        Unsafe.WriteUnaligned(t + 5 * nr, c50); Unsafe.WriteUnaligned(t + 5 * nr + w, c51);
        if (nrEff == nr && store)
        {
            for (int r = 0; r < mrEff; r++) new ReadOnlySpan<float>(t + r * nr, nr).CopyTo(new Span<float>(c + (long)r * ldc, nr));
            return;
        }
        if (nrEff == nr)
        {
            for (int r = 0; r < mrEff; r++)
                TensorPrimitives.Add(new ReadOnlySpan<float>(c + (long)r * ldc, nr), new ReadOnlySpan<float>(t + r * nr, nr), new Span<float>(c + (long)r * ldc, nr));
            return;
        }
        AddPartial(t, nr, c, ldc, mrEff, nrEff, store);
    }

    // Tiny products: packing costs more than it saves.
    private static void Small(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        float[]? bt = null;
        if (transB)
        {
            bt = new float[(long)k * n];
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) bt[(long)p * n + j] = b[(long)j * ldb + p];
        }
        fixed (float* pbt = bt)
        {
            float* bb = transB ? pbt : b;
            int ldbb = transB ? n : ldb;
            for (int i = 0; i < m; i++)
            {
                var ci = new Span<float>(c + (long)i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    float aip = alpha * (transA ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(bb + (long)p * ldbb, n), aip, ci, ci);
                }
            }
        }
    }
}
