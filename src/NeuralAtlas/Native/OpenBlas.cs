using System.Runtime.InteropServices;

namespace NeuralAtlas.Native;

/// <summary>
/// The system OpenBLAS (<c>libopenblas.so.0</c>, Debian package libopenblas0), loaded lazily. Everything in
/// NeuralAtlas works without it; when present, GEMM and the LAPACK routines go through it.
/// Set <see cref="Enabled"/> to false (or the environment variable ATLAS_NO_BLAS=1) to force the managed paths.
/// </summary>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly Lazy<Api?> Loaded = new(Load);
    private static bool _enabled = Environment.GetEnvironmentVariable("ATLAS_NO_BLAS") != "1";

    /// <summary>True when the library loaded and is enabled.</summary>
    public static bool IsAvailable => _enabled && Loaded.Value is not null;

    /// <summary>Switches the native path on or off process-wide (tests use this to run both paths).</summary>
    public static bool Enabled { get => _enabled; set => _enabled = value; }

    /// <summary>Why the library is not in use, for diagnostics.</summary>
    public static string Status => !_enabled ? "disabled" : Loaded.Value is null ? "libopenblas.so.0 not found" : "loaded";

    private sealed class Api
    {
        public delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
        public delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm;
        public delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*, int*, int*, void> Dgesdd;
        public delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, void> Dsyevd;
        public delegate* unmanaged<int, void> SetThreads;
    }

    private static Api? Load()
    {
        foreach (string name in new[] { "libopenblas.so.0", "libopenblas.so", "openblas" })
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenBlas).Assembly, null, out IntPtr h)) continue;
            var api = new Api();
            if (!NativeLibrary.TryGetExport(h, "cblas_sgemm", out var p1) || !NativeLibrary.TryGetExport(h, "cblas_dgemm", out var p2))
                continue;
            api.Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)p1;
            api.Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)p2;
            if (NativeLibrary.TryGetExport(h, "dgesdd_", out var p3))
                api.Dgesdd = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*, int*, int*, void>)p3;
            if (NativeLibrary.TryGetExport(h, "dsyevd_", out var p4))
                api.Dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, void>)p4;
            if (NativeLibrary.TryGetExport(h, "openblas_set_num_threads", out var p5))
                api.SetThreads = (delegate* unmanaged<int, void>)p5;
            if (api.SetThreads != null) api.SetThreads(Math.Max(1, Environment.ProcessorCount));
            return api;
        }
        return null;
    }

    private static Api Require() => IsAvailable ? Loaded.Value! : throw new InvalidOperationException("OpenBLAS is not available: " + Status);

    /// <summary>C = alpha·op(A)·op(B) + beta·C, row-major, leading dimensions as in CBLAS.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => Require().Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
        => Require().Dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static bool HasLapack => IsAvailable && Loaded.Value!.Dgesdd != null && Loaded.Value!.Dsyevd != null;

    /// <summary>LAPACK dgesdd on a column-major m×n matrix (overwritten). jobz 'S': thin U (m×min), VT (min×n).</summary>
    public static int Dgesdd(int m, int n, double* a, double* s, double* u, double* vt)
    {
        var api = Require();
        byte jobz = (byte)'S';
        int lda = Math.Max(1, m), ldu = Math.Max(1, m), mn = Math.Min(m, n), ldvt = Math.Max(1, mn), info = 0, lwork = -1;
        var iw = new int[8 * Math.Max(1, mn)];
        double query = 0;
        fixed (int* piw = iw)
        {
            api.Dgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &query, &lwork, piw, &info);
            if (info != 0) return info;
            lwork = (int)query;
            var work = new double[Math.Max(1, lwork)];
            fixed (double* pw = work)
                api.Dgesdd(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, pw, &lwork, piw, &info);
        }
        return info;
    }

    /// <summary>LAPACK dsyevd ('V', 'L') on a column-major symmetric n×n matrix: eigenvalues ascending in w, vectors overwrite a.</summary>
    public static int Dsyevd(int n, double* a, double* w)
    {
        var api = Require();
        byte jobz = (byte)'V', uplo = (byte)'L';
        int lda = Math.Max(1, n), info = 0, lwork = -1, liwork = -1;
        double wq = 0;
        int iwq = 0;
        api.Dsyevd(&jobz, &uplo, &n, a, &lda, w, &wq, &lwork, &iwq, &liwork, &info);
        if (info != 0) return info;
        lwork = (int)wq;
        liwork = iwq;
        var work = new double[Math.Max(1, lwork)];
        var iwork = new int[Math.Max(1, liwork)];
        fixed (double* pw = work)
        fixed (int* pi = iwork)
            api.Dsyevd(&jobz, &uplo, &n, a, &lda, w, pw, &lwork, pi, &liwork, &info);
        return info;
    }
}
