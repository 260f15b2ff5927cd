using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Native;

namespace NeuralAtlas.Tests.LinearAlgebra;

[Collection("OpenBlasSwitch")]
public class BlasTests
{
    private static DMatrix Random(int r, int c, int seed)
    {
        var rng = new Random(seed);
        var m = new DMatrix(r, c);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = rng.NextDouble() * 2 - 1;
        return m;
    }

    private static DMatrix Naive(DMatrix a, DMatrix b)
    {
        var c = new DMatrix(a.Rows, b.Cols);
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < b.Cols; j++)
            {
                double s = 0;
                for (int p = 0; p < a.Cols; p++) s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
        return c;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GemmMatchesNaiveProductOnBothPaths(bool native)
    {
        bool was = OpenBlas.Enabled;
        OpenBlas.Enabled = native;
        try
        {
            var a = Random(37, 53, 1);
            var b = Random(53, 29, 2);
            var expected = Naive(a, b);
            var c1 = Blas.Gemm(a, b);
            var c2 = Blas.Gemm(a.Transpose(), b, transA: true);
            var c3 = Blas.Gemm(a, b.Transpose(), transB: true);
            foreach (var c in new[] { c1, c2, c3 })
                for (int i = 0; i < c.Data.Length; i++) Assert.Equal(expected.Data[i], c.Data[i], 1e-12);
        }
        finally { OpenBlas.Enabled = was; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SvdReconstructsAndIsOrthonormal(bool native)
    {
        bool was = OpenBlas.Enabled;
        OpenBlas.Enabled = native;
        try
        {
            var a = Random(20, 7, 3);
            var svd = Decompositions.ThinSvd(a);
            for (int i = 0; i + 1 < svd.S.Length; i++) Assert.True(svd.S[i] >= svd.S[i + 1]);
            var us = svd.U.Clone();
            for (int i = 0; i < us.Rows; i++)
                for (int j = 0; j < us.Cols; j++) us[i, j] *= svd.S[j];
            var rec = Blas.Gemm(us, svd.V, transB: true);
            for (int i = 0; i < a.Data.Length; i++) Assert.Equal(a.Data[i], rec.Data[i], 1e-10);
            var utu = Blas.AtA(svd.U);
            for (int i = 0; i < utu.Rows; i++)
                for (int j = 0; j < utu.Cols; j++) Assert.Equal(i == j ? 1.0 : 0.0, utu[i, j], 1e-10);
        }
        finally { OpenBlas.Enabled = was; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SymmetricEigenSatisfiesDefinition(bool native)
    {
        bool was = OpenBlas.Enabled;
        OpenBlas.Enabled = native;
        try
        {
            var x = Random(30, 6, 4);
            var a = Blas.AtA(x);
            var e = Decompositions.EigSymmetric(a);
            for (int i = 0; i + 1 < e.Values.Length; i++) Assert.True(e.Values[i] <= e.Values[i + 1]);
            var av = Blas.Gemm(a, e.Vectors);
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++) Assert.Equal(e.Values[j] * e.Vectors[i, j], av[i, j], 1e-9);
        }
        finally { OpenBlas.Enabled = was; }
    }
}
