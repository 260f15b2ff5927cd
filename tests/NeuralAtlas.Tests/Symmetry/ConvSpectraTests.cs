using System.Text.Json;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.ConvSpectra;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class ConvSpectraTests
{
    private static ConvKernel RandomKernel(Rng rng, int co, int ci, int kh, int kw) =>
        new(co, ci, kh, kw, Enumerable.Range(0, co * ci * kh * kw).Select(_ => rng.Normal()).ToArray());

    /// <summary>The operator matrix of a circularly padded, strided cross-correlation, entry by entry.</summary>
    private static DMatrix DenseOperator(ConvKernel k, int n, int stride, int pad)
    {
        int m = n / stride;
        var a = new DMatrix(k.OutChannels * m * m, k.InChannels * n * n);
        for (int o = 0; o < k.OutChannels; o++)
            for (int y = 0; y < m; y++)
                for (int x = 0; x < m; x++)
                    for (int i = 0; i < k.InChannels; i++)
                        for (int p = 0; p < k.KernelHeight; p++)
                            for (int q = 0; q < k.KernelWidth; q++)
                            {
                                int r = ((stride * y + p - pad) % n + n) % n, c = ((stride * x + q - pad) % n + n) % n;
                                a[(o * m + y) * m + x, (i * n + r) * n + c] += k[o, i, p, q];
                            }
        return a;
    }

    [Theory]
    [InlineData(3, 2, 3, 3, 5, 1, 1)]
    [InlineData(2, 4, 3, 3, 6, 1, 0)]
    [InlineData(4, 3, 3, 3, 8, 2, 1)]
    [InlineData(5, 2, 1, 1, 6, 2, 0)]
    [InlineData(2, 3, 3, 2, 6, 3, 2)]
    [InlineData(3, 3, 7, 7, 4, 1, 3)] // kernel larger than the input wraps around
    public void OperatorSingularValuesEqualDenseMatrix(int co, int ci, int kh, int kw, int n, int stride, int pad)
    {
        var rng = new Rng(co * 100 + ci * 10 + n + stride);
        var k = RandomKernel(rng, co, ci, kh, kw);
        var expected = Decompositions.SingularValues(DenseOperator(k, n, stride, pad));
        var got = ConvOperatorSpectrum.SingularValues(k, n, stride);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            // Through the Gram matrices σ² is accurate to ~1e-15·σ₀², so compare squares (zeros come out ~1e-8·σ₀).
            Assert.True(Math.Abs(got[i] * got[i] - expected[i] * expected[i]) < 1e-12 * expected[0] * expected[0], $"σ{i}: {got[i]} vs {expected[i]}");
    }

    [Fact]
    public void OperatorSingularValuesMatchNumpyFixture()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("symmetry", "conv_svd.json")));
        int checkedCases = 0;
        foreach (var c in doc.RootElement.GetProperty("conv").EnumerateArray())
        {
            var shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var kernel = c.GetProperty("kernel").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var expected = c.GetProperty("singular_values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var k = new ConvKernel(shape[0], shape[1], shape[2], shape[3], kernel);
            var got = ConvOperatorSpectrum.SingularValues(k, c.GetProperty("n").GetInt32(), c.GetProperty("stride").GetInt32());
            Assert.Equal(expected.Length, got.Length);
            for (int i = 0; i < got.Length; i++)
                Assert.True(Math.Abs(got[i] * got[i] - expected[i] * expected[i]) < 1e-12 * expected[0] * expected[0], $"{c.GetProperty("name")} σ{i}: {got[i]} vs {expected[i]}");
            checkedCases++;
        }
        Assert.Equal(6, checkedCases);
    }

    [Fact]
    public void HermitianEigenvaluesMatchLapackOnRealEmbedding()
    {
        var rng = new Rng(11);
        foreach (int m in new[] { 1, 2, 3, 7, 20 })
        {
            var re = new double[m * m];
            var im = new double[m * m];
            for (int i = 0; i < m; i++)
                for (int j = i; j < m; j++)
                {
                    double a = rng.Normal(), b = i == j ? 0 : rng.Normal();
                    re[i * m + j] = re[j * m + i] = a;
                    im[i * m + j] = b;
                    im[j * m + i] = -b;
                }
            var emb = new DMatrix(2 * m, 2 * m);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    emb[i, j] = emb[m + i, m + j] = re[i * m + j];
                    emb[i, m + j] = -im[i * m + j];
                    emb[m + i, j] = im[i * m + j];
                }
            var reference = Decompositions.EigSymmetric(emb).Values; // each eigenvalue twice, ascending
            var got = HermitianEigenvalues.Compute((double[])re.Clone(), (double[])im.Clone(), m);
            for (int i = 0; i < m; i++) Assert.True(Math.Abs(got[i] - reference[2 * i]) < 1e-10 * (1 + Math.Abs(reference[^1])), $"m={m} λ{i}");
        }
    }

    [Fact]
    public void ReshapedSvdIsTheSvdOfTheFlattenedWeight()
    {
        var rng = new Rng(2);
        var k = RandomKernel(rng, 6, 3, 3, 3);
        var svd = ReshapedSvd.Compute(k);
        Assert.Equal(6, svd.S.Length);
        var m = ReshapedSvd.Matrix(k);
        // U diag(S) Vᵀ reconstructs the C_out × C_in·k·k matrix.
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 27; j++)
            {
                double s = 0;
                for (int r = 0; r < 6; r++) s += svd.U[i, r] * svd.S[r] * svd.V[j, r];
                Assert.True(Math.Abs(s - m[i, j]) < 1e-10);
            }
    }

    [Fact]
    public void PowerLawMatchesNumpyClausetFit()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("symmetry", "conv_svd.json")));
        foreach (var c in doc.RootElement.GetProperty("power_law").EnumerateArray())
        {
            var values = c.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var fit = PowerLawFit.Fit(values, c.GetProperty("min_tail").GetInt32());
            Assert.Equal(c.GetProperty("xmin").GetDouble(), fit.XMin, 12);
            Assert.True(Math.Abs(fit.Alpha - c.GetProperty("alpha").GetDouble()) < 1e-9);
            Assert.True(Math.Abs(fit.KsDistance - c.GetProperty("ks").GetDouble()) < 1e-9);
            Assert.Equal(c.GetProperty("tail").GetInt32(), fit.TailCount);
        }
    }

    [Theory]
    [InlineData(2.5, 1)]
    [InlineData(3.0, 2)]
    [InlineData(4.0, 3)]
    public void PowerLawRecoversParetoExponent(double alpha, int seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, 5000).Select(_ => 2.0 * Math.Pow(1 - rng.NextDouble(), -1 / (alpha - 1))).ToArray();
        var fit = PowerLawFit.Fit(x);
        Assert.True(Math.Abs(fit.Alpha - alpha) < Math.Max(0.1, 4 * fit.StandardError), $"alpha {fit.Alpha} vs {alpha} (se {fit.StandardError})");
        Assert.True(fit.XMin >= 2.0);
        Assert.Throws<AtlasArgumentException>(() => PowerLawFit.Fit(new double[] { 1, 2, 3 }));
    }

    [Fact]
    public void MarchenkoPasturFitsGaussianBulkAndCountsSpikes()
    {
        var rng = new Rng(9);
        int rows = 400, cols = 200;
        double sd = 0.7;
        var w = new DMatrix(rows, cols);
        for (int i = 0; i < w.Data.Length; i++) w.Data[i] = sd * rng.Normal();
        var fit = MarchenkoPasturFit.Fit(Decompositions.SingularValues(w), rows, cols);
        Assert.True(Math.Abs(fit.Variance - sd * sd) < 0.03 * sd * sd, $"variance {fit.Variance}");
        Assert.Equal(0, fit.Outliers);
        Assert.Equal(2.0, fit.Q);
        // Three rank-one spikes with σ ≈ (4..6)·20 sit far beyond the bulk edge 0.7·(√400 + √200) ≈ 24.
        for (int s = 0; s < 3; s++)
        {
            var u = Enumerable.Range(0, rows).Select(_ => rng.Normal()).ToArray();
            var v = Enumerable.Range(0, cols).Select(_ => rng.Normal()).ToArray();
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) w[i, j] += (4.0 + s) * u[i] * v[j] / Math.Sqrt(cols);
        }
        var spiked = MarchenkoPasturFit.Fit(Decompositions.SingularValues(w), rows, cols);
        Assert.Equal(3, spiked.Outliers);
        // The density integrates to about 1 over the bulk.
        double integral = 0, h = (fit.LambdaPlus - fit.LambdaMinus) / 20000;
        for (double l = fit.LambdaMinus + h / 2; l < fit.LambdaPlus; l += h) integral += fit.Density(l) * h;
        Assert.True(Math.Abs(integral - 1) < 1e-3, $"∫ρ = {integral}");
    }

    [Fact]
    public void SpectralDensityIntegratesToOne()
    {
        var rng = new Rng(4);
        var x = Enumerable.Range(0, 1000).Select(_ => Math.Exp(rng.Normal())).ToArray();
        foreach (bool log in new[] { false, true })
        {
            var esd = SpectralDensity.Estimate(x, 30, log);
            double s = 0;
            for (int b = 0; b < 30; b++) s += esd.Density[b] * (esd.Edges[b + 1] - esd.Edges[b]);
            Assert.True(Math.Abs(s - 1) < 1e-12);
        }
    }

    [Fact]
    public void BadShapesAreRefused()
    {
        var k = RandomKernel(new Rng(1), 2, 2, 3, 3);
        Assert.Throws<AtlasArgumentException>(() => ConvOperatorSpectrum.SingularValues(k, 7, 2));
        Assert.Throws<AtlasArgumentException>(() => ConvOperatorSpectrum.SingularValues(k, 0));
        Assert.Throws<ShapeMismatchException>(() => new ConvKernel(2, 2, 3, 3, new double[17]));
        Assert.Throws<AtlasArgumentException>(() => ConvKernel.FromTensor(new Tensor(2, 3, 4)));
    }
}

public class TridiagonalEigenvalueTests
{
    [Fact]
    public void ImplicitQlAgreesWithBisectionAndClosedForm()
    {
        // The m×m tridiagonal with 2 on the diagonal and −1 beside it has eigenvalues 2 − 2cos(kπ/(m+1)).
        foreach (int m in new[] { 1, 2, 5, 40 })
        {
            var d = Enumerable.Repeat(2.0, m).ToArray();
            var e = Enumerable.Repeat(-1.0, Math.Max(m - 1, 0)).ToArray();
            var expected = Enumerable.Range(1, m).Select(k => 2 - 2 * Math.Cos(k * Math.PI / (m + 1))).OrderBy(x => x).ToArray();
            var ql = HermitianEigenvalues.ImplicitQl(d, e)!;
            var bis = HermitianEigenvalues.TridiagonalEigenvalues(d, e);
            for (int i = 0; i < m; i++)
            {
                Assert.True(Math.Abs(ql[i] - expected[i]) < 1e-12, $"QL m={m} λ{i}");
                Assert.True(Math.Abs(bis[i] - expected[i]) < 1e-12, $"bisection m={m} λ{i}");
            }
        }
        var rng = new NeuralAtlas.Tensors.Rng(8);
        var rd = Enumerable.Range(0, 30).Select(_ => rng.Normal()).ToArray();
        var re = Enumerable.Range(0, 29).Select(i => i % 7 == 3 ? 0 : rng.Normal()).ToArray(); // split blocks too
        var a = HermitianEigenvalues.ImplicitQl(rd, re)!;
        var b = HermitianEigenvalues.TridiagonalEigenvalues(rd, re);
        for (int i = 0; i < 30; i++) Assert.True(Math.Abs(a[i] - b[i]) < 1e-12);
    }
}
