using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Science.Haldane;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Science;

public class HaldaneTests
{
    private static readonly HaldaneOptions Small = new() { Grid = 16 };

    [Fact]
    public void LatticeNumberMatchesNumpyReferenceExactly()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("science", "haldane_lattice.json")));
        int compared = 0;
        foreach (var p in doc.RootElement.GetProperty("pairs").EnumerateArray())
        {
            double[] Arr(string k) => p.GetProperty(k).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var pair = new HaldanePair(Arr("f_real"), Arr("f_imag"), Arr("g"));
            foreach (var g in p.GetProperty("lattice").EnumerateObject())
            {
                int n = int.Parse(g.Name);
                Assert.True(ChernNumber.TryLattice(HaldaneField.Sample(pair, n), 1, out double v));
                Assert.Equal(g.Value.GetInt32(), (int)Math.Round(v));
                Assert.True(Math.Abs(v - Math.Round(v)) < 1e-9);
                compared++;
            }
        }
        Assert.True(compared >= 60);
    }

    [Fact]
    public void KeptSamplesAgreeUnderBothMethodsAndGridRefinement()
    {
        var ds = HaldaneGenerator.Generate(25, Small, 7);
        Assert.Equal(25, ds.Count);
        Assert.All(ds.ClassCounts().Values, c => Assert.Equal(5, c));
        for (int i = 0; i < ds.Count; i++)
        {
            foreach (int grid in new[] { 64, 128, 256 })
            {
                var (cw, lat) = ChernNumber.Compute(ds.Pairs[i], grid);
                Assert.True(Math.Abs(lat - ds.Chern[i]) < 1e-6, $"sample {i}: lattice {lat} at {grid}, label {ds.Chern[i]}");
                Assert.True(Math.Abs(cw - ds.Chern[i]) < 0.2, $"sample {i}: Chern–Weil {cw} at {grid}, label {ds.Chern[i]}");
            }
        }
    }

    [Fact]
    public void ChernWeilGaugesAgreeAndCurvatureIntegratesToLabelForQwz()
    {
        // Refining the base grid only changes the quadrature, never the integral's limit.
        foreach (double m in new[] { 0.3, -1.2 })
        {
            var a = ChernNumber.Compute(HaldanePair.Qwz(m), 32).ChernWeil;
            var b = ChernNumber.Compute(HaldanePair.Qwz(m), 256).ChernWeil;
            Assert.Equal(Math.Sign(m), (int)Math.Round(b));
            Assert.True(Math.Abs(a - b) < 0.02, $"m = {m}: {a} at 32, {b} at 256");
        }
    }

    [Fact]
    public void SameSeedSameDataRegardlessOfThreads()
    {
        int saved = NeuralAtlas.Tensors.Parallelism.MaxThreads;
        try
        {
            NeuralAtlas.Tensors.Parallelism.MaxThreads = 1;
            var a = HaldaneGenerator.Generate(10, Small, 3);
            NeuralAtlas.Tensors.Parallelism.MaxThreads = 2;
            var b = HaldaneGenerator.Generate(10, Small, 3);
            Assert.Equal(a.Chern, b.Chern);
            for (int i = 0; i < a.Count; i++) Assert.Equal(a.Pairs[i].G, b.Pairs[i].G);
            Assert.Equal(a.Sections, b.Sections);
        }
        finally { NeuralAtlas.Tensors.Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void FieldMatchesPointEvaluationAndCosSinConventions()
    {
        var pair = new HaldanePair.Builder().F(2, -1, 3, -2).F(-4, 3, -1).Cos(1, 2, 5).Sin(-3, 1, -2).Cos(0, 0, 0.5).Build();
        var f = HaldaneField.Sample(pair, 16);
        Span<double> v = stackalloc double[9];
        for (int i = 0; i < 16; i += 5)
            for (int j = 0; j < 16; j += 3)
            {
                double x = 2 * Math.PI * i / 16, y = 2 * Math.PI * j / 16;
                HaldaneField.EvaluateAt(pair.FTerms(), pair.GTerms(), x, y, v);
                int p = i * 16 + j;
                double g = 5 * Math.Cos(x + 2 * y) - 2 * Math.Sin(-3 * x + y) + 0.5;
                double gx = -5 * Math.Sin(x + 2 * y) + 6 * Math.Cos(-3 * x + y);
                Assert.Equal(g, f.G[p], 1e-12);
                Assert.Equal(g, v[2], 1e-12);
                Assert.Equal(gx, f.Gx[p], 1e-12);
                Assert.Equal(f.FRe[p], v[0], 1e-12);
                Assert.Equal(f.FyIm[p], v[6], 1e-12);
                // F = (3 − 2i) e^{i(2x − y)} − e^{i(−4x + 3y)}
                double ph1 = 2 * x - y, ph2 = -4 * x + 3 * y;
                Assert.Equal(3 * Math.Cos(ph1) + 2 * Math.Sin(ph1) - Math.Cos(ph2), f.FRe[p], 1e-12);
            }
    }

    [Fact]
    public void FixedFormVariantsProduceVerifiedLabels()
    {
        foreach (var variant in new[] { HaldaneVariant.Simple, HaldaneVariant.Intermediate })
        {
            var ds = HaldaneGenerator.Generate(6, Small with { Variant = variant }, 11);
            Assert.Equal(6, ds.Count);
            var again = HaldaneGenerator.VerifyAll(ds.Pairs, [64, 128]);
            for (int i = 0; i < ds.Count; i++) Assert.Equal(ds.Chern[i], again[i]);
            if (variant == HaldaneVariant.Simple) Assert.All(ds.Form, f => Assert.Equal(0, f));
        }
    }

    [Fact]
    public void TooSmallGridIsAClearError()
    {
        var e = Assert.Throws<AtlasArgumentException>(() => ChernNumber.Compute(HaldanePair.Qwz(1), 8));
        Assert.Contains("too small", e.Message);
        Assert.Throws<AtlasArgumentException>(() => HaldaneGenerator.Generate(5, new HaldaneOptions { CheckGrids = [12] }, 1));
        Assert.Throws<AtlasArgumentException>(() => new HaldanePair(new double[80], new double[81], new double[81]));
    }

    [Fact]
    public void UnreachableClassGivesUpWithAnError()
    {
        var e = Assert.Throws<AtlasArgumentException>(() =>
            HaldaneGenerator.Generate(4, Small with { Variant = HaldaneVariant.Simple, Classes = [7], MaxCandidates = 300 }, 1));
        Assert.Contains("7: 0/4", e.Message);
    }

    [Fact]
    public void CliGeneratesAndRechecksNpz()
    {
        using var dir = new TempDir();
        string path = dir.File("b.npz");
        var r = CliRunner.Run("haldane", "generate", "--count", "10", "--grid", "16", "--seed", "5", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.EndsWith("samples\t10", r.Out.Trim());
        var arrays = Npz.Read(path);
        Assert.Equal([10, 3, 16, 16], arrays["sections"].Shape);
        Assert.Equal([10, 9, 9], arrays["f_coeffs_real"].Shape);
        Assert.Equal([10, 9, 9], arrays["g_coeffs"].Shape);
        Assert.Equal(NdType.Int64, arrays["chern"].DType);
        var ok = CliRunner.Run("haldane", "chern", path);
        Assert.True(ok.ExitCode == 0, ok.Out + ok.Err);
        Assert.Contains("agree\t10", ok.Out);

        // A wrong label is caught.
        long[] labels = arrays["chern"].ToInt64s();
        labels[3] += 1;
        arrays["chern"] = NdArray.From(labels, 10);
        string bad = dir.File("bad.npz");
        Npz.Write(bad, arrays);
        var fail = CliRunner.Run("haldane", "chern", bad);
        Assert.Equal(3, fail.ExitCode);
        Assert.Contains("mismatch\t1", fail.Out);

        // Coefficients of the wrong shape are a format error naming the array.
        arrays["g_coeffs"] = NdArray.From(new double[10 * 8 * 8], 10, 8, 8);
        string shape = dir.File("shape.npz");
        Npz.Write(shape, arrays);
        var err = CliRunner.Run("haldane", "chern", shape);
        Assert.Equal(2, err.ExitCode);
        Assert.Contains("g_coeffs", err.Err);
    }

    [Fact]
    public void SectionIsEigenvectorOfTheHaldaneMatrix()
    {
        var pair = HaldanePair.Qwz(0.7);
        var f = HaldaneField.Sample(pair, 16);
        var r = new float[256]; var a = new float[256]; var b = new float[256];
        f.Section(r, a, b);
        for (int p = 0; p < 256; p++)
        {
            // [[G, F̄], [F, −G]] (R, F) = E (R, F)
            double g = f.G[p], e = Math.Sqrt(g * g + f.FRe[p] * f.FRe[p] + f.FIm[p] * f.FIm[p]);
            double top = g * r[p] + (f.FRe[p] * a[p] + f.FIm[p] * b[p]);
            Assert.Equal(e * r[p], top, 1e-4);
        }
    }
}

public class HaldaneBaselineTests
{
    [Fact]
    public void LatticeFluxOfStoredSectionsSumsToTheLatticeChernNumber()
    {
        var ds = HaldaneGenerator.Generate(10, new HaldaneOptions { Grid = 32 }, 2);
        var flux = HaldaneBaselines.LatticeFlux(ds.Sections, ds.Count, 32);
        for (int s = 0; s < ds.Count; s++)
        {
            double total = 0;
            for (int p = 0; p < 32 * 32; p++) total += flux[s * 1024 + p];
            // Same lattice number as the exact computation on the same 32-grid (float32 sections change nothing).
            Assert.True(ChernNumber.TryLattice(HaldaneField.Sample(ds.Pairs[s], 32), 1, out double lat));
            Assert.Equal((int)Math.Round(lat), (int)Math.Round(total));
        }
    }

    [Fact]
    public void TopologicalPriorLearnsAndReportsPerClassAccuracy()
    {
        var ds = HaldaneGenerator.Generate(300, new HaldaneOptions { Grid = 32 }, 3);
        var r = HaldaneBaselines.TrainAndEvaluate(ds, HaldaneModel.Topological, 40, 1, lr: 1e-2);
        Assert.Equal(60, r.Test);
        Assert.Equal(60, r.PerClass.Values.Sum(v => v.Total));
        Assert.True(r.Accuracy > 0.7, $"accuracy {r.Accuracy}");
        var mlp = HaldaneBaselines.TrainAndEvaluate(ds, HaldaneModel.Mlp, 1, 1);
        Assert.True(double.IsFinite(mlp.FinalLoss));
    }
}
