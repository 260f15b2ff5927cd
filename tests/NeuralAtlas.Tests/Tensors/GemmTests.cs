using NeuralAtlas.Native;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

/// <summary>Both SGEMM paths (managed AVX-512 and Vector kernels, OpenBLAS) against a naive double-precision product and each other.</summary>
[Collection("OpenBlasSwitch")]
public class GemmTests
{
    private static float[] Random(Rng rng, long n)
    {
        var a = new float[n];
        for (long i = 0; i < n; i++) a[i] = rng.NextFloat() * 2 - 1;
        return a;
    }

    private static double[] Naive(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c0, int ldc)
    {
        var c = new double[(long)m * ldc];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = alpha * s + beta * c0[i * ldc + j];
            }
        return c;
    }

    public static IEnumerable<object[]> Sizes()
    {
        var shapes = new[] { (1, 1, 1), (3, 5, 7), (17, 33, 9), (67, 45, 300), (129, 257, 65), (8, 32, 256), (200, 3, 530), (5, 2100, 19), (20, 9, 2100), (33, 9, 5000) };
        foreach (var (m, n, k) in shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return new object[] { m, n, k, ta, tb };
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EveryPathMatchesNaive(int m, int n, int k, bool ta, bool tb)
    {
        var rng = new Rng(m * 1000 + n * 10 + k);
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        var a = Random(rng, (long)(ta ? k : m) * lda);
        var b = Random(rng, (long)(tb ? n : k) * ldb);
        var c0 = Random(rng, (long)m * ldc);
        float alpha = 0.75f, beta = -0.5f;
        var expect = Naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
        var results = new List<(string, float[])>();
        try
        {
            foreach (var (name, backend, noAvx) in new[] { ("managed-avx512", Gemm.Backend.Managed, false), ("managed-vector", Gemm.Backend.Managed, true), ("openblas", Gemm.Backend.OpenBlas, false) })
            {
                if (backend == Gemm.Backend.OpenBlas && !OpenBlas.IsAvailable) continue;
                Gemm.Force = backend;
                Gemm.DisableAvx512 = noAvx;
                var c = (float[])c0.Clone();
                Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                results.Add((name, c));
            }
        }
        finally
        {
            Gemm.Force = Gemm.Backend.Auto;
            Gemm.DisableAvx512 = false;
        }
        double tol = 1e-5 * Math.Sqrt(k) + 1e-6;
        foreach (var (name, c) in results)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    long at = (long)i * ldc + j;
                    double e = j < n ? expect[at] : c0[at]; // padding columns must be untouched
                    Assert.True(Math.Abs(c[at] - e) <= tol * (1 + Math.Abs(e)), $"{name} C[{i},{j}] = {c[at]}, expected {e}");
                }
        for (int r = 1; r < results.Count; r++)
            for (int i = 0; i < results[0].Item2.Length; i++)
                Assert.True(Math.Abs(results[0].Item2[i] - results[r].Item2[i]) <= 2 * tol * (1 + Math.Abs(results[0].Item2[i])),
                    $"{results[0].Item1} and {results[r].Item1} differ at {i}");
    }

    [Theory]
    [InlineData(67, 45, 300)]
    [InlineData(129, 257, 600)]
    [InlineData(9, 40, 3000)]
    public void BetaZeroIgnoresWhateverCHeld(int m, int n, int k)
    {
        var rng = new Rng(m + n + k);
        var a = Random(rng, (long)m * k);
        var b = Random(rng, (long)k * n);
        var expect = Naive(false, false, m, n, k, 1, a, k, b, n, 0, new float[m * n], n);
        try
        {
            foreach (bool noAvx in new[] { false, true })
            {
                Gemm.Force = Gemm.Backend.Managed;
                Gemm.DisableAvx512 = noAvx;
                var c = Enumerable.Repeat(float.NaN, m * n).ToArray(); // BLAS semantics: beta = 0 never reads C
                Gemm.Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expect[i]) <= 1e-4 * (1 + Math.Abs(expect[i])), $"avx512 off={noAvx}: C[{i}] = {c[i]}, expected {expect[i]}");
            }
        }
        finally
        {
            Gemm.Force = Gemm.Backend.Auto;
            Gemm.DisableAvx512 = false;
        }
    }

    [Fact]
    public void OpenBlasLoadsOnThisMachineWhenInstalled()
    {
        // The CI image installs libopenblas0; if the file is there the binding must load it.
        if (File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0")) Assert.True(OpenBlas.IsAvailable, OpenBlas.Status);
    }

    [Fact]
    public void ShortOperandIsRejected()
    {
        Assert.Throws<AtlasArgumentException>(() => Gemm.Sgemm(false, false, 4, 4, 4, 1, new float[15], 4, new float[16], 4, 0, new float[16], 4));
    }
}
