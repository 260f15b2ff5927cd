using System.Globalization;
using System.Text.Json;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

public class MatchingAndConnectivityTests
{
    [Fact]
    public void NeuronMatchingRecoversAPermutation()
    {
        var rng = new Rng(50);
        var (x, _) = TestData.RelatedPair(rng, n: 80, d1: 12);
        var p = TestData.RandomPermutation(rng, 12, positiveScaling: true);
        var y = Blas.Gemm(x, p); // unit i of X is unit perm(i) of Y, positively rescaled
        var m = NeuronMatching.Match(x, y);
        for (int i = 0; i < 12; i++) Assert.True(p[i, m.Assignment[i]] > 0, $"unit {i} matched to {m.Assignment[i]}");
        Assert.Equal(1.0, m.MeanMatchedCorrelation, 12);
        Assert.True(m.MeanIdentityCorrelation < 0.9);
    }

    [Fact]
    public void MatchedCorrelationIsTheBestOneToOneTotal()
    {
        // Brute force over all matchings of a 5-unit layer.
        var rng = new Rng(51);
        var x = TestData.Gaussian(rng, 30, 5);
        var y = Blas.Gemm(x, TestData.Gaussian(rng, 5, 5));
        var m = NeuronMatching.Match(x, y);
        var zx = Standardized(x);
        var zy = Standardized(y);
        double best = double.NegativeInfinity;
        foreach (var perm in Perms(new[] { 0, 1, 2, 3, 4 }, 0))
            best = Math.Max(best, Enumerable.Range(0, 5).Average(i => Corr(zx, i, zy, perm[i])));
        Assert.Equal(best, m.MeanMatchedCorrelation, 12);
    }

    [Fact]
    public void DeadUnitsCountAsZeroNotNaN()
    {
        var rng = new Rng(52);
        var x = TestData.Gaussian(rng, 20, 4);
        for (int i = 0; i < 20; i++) x[i, 2] = 0;
        var m = NeuronMatching.Match(x, x);
        Assert.Equal(1, m.DeadUnitsX);
        Assert.Equal(0.75, m.MeanMatchedCorrelation, 12);
        Assert.All(m.MatchedCorrelations, v => Assert.True(double.IsFinite(v)));
    }

    private static DMatrix Standardized(DMatrix m)
    {
        var r = m.Clone();
        for (int j = 0; j < m.Cols; j++)
        {
            double mean = 0, ss = 0;
            for (int i = 0; i < m.Rows; i++) mean += m[i, j] / m.Rows;
            for (int i = 0; i < m.Rows; i++) ss += (m[i, j] - mean) * (m[i, j] - mean);
            for (int i = 0; i < m.Rows; i++) r[i, j] = (m[i, j] - mean) / Math.Sqrt(ss);
        }
        return r;
    }

    private static double Corr(DMatrix a, int i, DMatrix b, int j) => Enumerable.Range(0, a.Rows).Sum(r => a[r, i] * b[r, j]);

    private static IEnumerable<int[]> Perms(int[] a, int k)
    {
        if (k == a.Length) { yield return (int[])a.Clone(); yield break; }
        for (int i = k; i < a.Length; i++)
        {
            (a[k], a[i]) = (a[i], a[k]);
            foreach (var p in Perms(a, k + 1)) yield return p;
            (a[k], a[i]) = (a[i], a[k]);
        }
    }

    private static ImageDataset SmallData() => SyntheticImages.Generate(120, seed: 3);

    [Fact]
    public void PathEndpointsAreTheTwoNetworksAndASelfPathIsFlat()
    {
        var data = SmallData();
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1));
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        double accA = Trainer.Evaluate(a, data), accB = Trainer.Evaluate(b, data);
        var (lossB, _) = ModeConnectivity.LossAndAccuracy(Trainer.Predict(b, data), data.Labels);
        var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng(9));
        var path = ModeConnectivity.Interpolate(net, a.StateDict(), b.StateDict(), data, steps: 5);
        Assert.Equal(5, path.Points.Count);
        Assert.Equal(accA, path.Points[0].Accuracy, 12);
        Assert.Equal(accB, path.Points[^1].Accuracy, 12);
        Assert.Equal(lossB, path.Points[^1].Loss, 9);
        Assert.Equal(0.5, path.Points[2].T, 15);
        var self = ModeConnectivity.Interpolate(net, a.StateDict(), a.StateDict(), data, steps: 3);
        Assert.Equal(0, self.LossBarrier, 5);
        Assert.Equal(0, self.AccuracyBarrier, 12);
    }

    [Fact]
    public void ALinearClassifierHasNoLossBarrier()
    {
        // Cross-entropy is convex in a linear model's weights, so the path never rises above the chord.
        var data = SmallData();
        Module Make(int seed) => new Sequential(new Flatten(), new Linear(28 * 28, 10, new Rng(seed)));
        var a = Make(1);
        var b = Make(2);
        foreach (var p in b.Parameters()) for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] *= 20; // far apart
        var path = ModeConnectivity.Interpolate(Make(3), a.StateDict(), b.StateDict(), data, steps: 9);
        Assert.True(path.LossBarrier <= 1e-5, $"barrier {path.LossBarrier}");
        Assert.True(path.Points.Skip(1).SkipLast(1).All(p => p.Loss < (1 - p.T) * path.Points[0].Loss + p.T * path.Points[^1].Loss + 1e-5));
    }

    [Fact]
    public void MismatchedArchitecturesAreRejected()
    {
        var data = SmallData();
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1)).StateDict();
        var b = new OrderedDictionary<string, Tensor>(a.Where(kv => kv.Key != a.Keys.First()));
        Assert.Throws<AtlasArgumentException>(() => ModeConnectivity.Interpolate(ModelZoo.Create("mlp", 1, 28, 10, new Rng(1)), a, b, data));
        Assert.Throws<AtlasArgumentException>(() => ModeConnectivity.Interpolate(ModelZoo.Create("mlp", 1, 28, 10, new Rng(1)), a, a, data, steps: 1));
    }

    [Fact]
    public void ConnectAndMatchCommands()
    {
        using var dir = new TempDir();
        var spec = new ModelSpec("mlp", 1, 28, 10);
        ModelFile.Save(dir.File("a.safetensors"), ModelZoo.Create("mlp", 1, 28, 10, new Rng(1)), spec);
        ModelFile.Save(dir.File("b.safetensors"), ModelZoo.Create("mlp", 1, 28, 10, new Rng(2)), spec);
        var r = CliRunner.Run("connect", "-a", dir.File("a.safetensors"), "-b", dir.File("b.safetensors"), "--count", "100", "--steps", "3", "--out", dir.File("c.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("loss barrier", r.Out);
        using (var doc = JsonDocument.Parse(File.ReadAllText(dir.File("c.json"))))
        {
            Assert.Equal(3, doc.RootElement.GetProperty("unaligned").GetProperty("path").GetArrayLength());
            Assert.Equal(3, doc.RootElement.GetProperty("aligned").GetProperty("path").GetArrayLength());
            Assert.Equal(new[] { "fc1", "fc2" }, doc.RootElement.GetProperty("aligned").GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer").GetString()));
            var eval = CliRunner.Run("eval", "-w", dir.File("a.safetensors"));
            Assert.Equal(0, eval.ExitCode);
            var set = SyntheticImages.Load(0).Test.Take(100);
            var (netA, _) = ModelFile.Load(dir.File("a.safetensors"));
            Assert.Equal(Trainer.Evaluate(netA, set), doc.RootElement.GetProperty("unaligned").GetProperty("path")[0].GetProperty("accuracy").GetDouble(), 12);
        }

        var rng = new Rng(60);
        var (x, _) = TestData.RelatedPair(rng, n: 50, d1: 6);
        var y = Blas.Gemm(x, TestData.RandomPermutation(rng, 6));
        Npz.Write(dir.File("ra.npz"), new[] { new KeyValuePair<string, NdArray>("fc1", NdArray.FromDoubles(x.Data, 50, 6)) });
        Npz.Write(dir.File("rb.npz"), new[] { new KeyValuePair<string, NdArray>("fc1", NdArray.FromDoubles(y.Data, 50, 6)) });
        r = CliRunner.Run("match", dir.File("ra.npz"), dir.File("rb.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var fields = r.Out.Trim().Split('\n')[1].Split('\t');
        Assert.Equal("fc1", fields[0]);
        Assert.Equal(1.0, double.Parse(fields[1], CultureInfo.InvariantCulture), 6);
        r = CliRunner.Run("match", dir.File("ra.npz"), dir.File("rb.npz"), "--layers", "fc2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no layer 'fc2'", r.Err);
    }

    [Fact]
    public void SymmetricGramMatchesGemmOnBothPaths()
    {
        var rng = new Rng(61);
        var a = TestData.Gaussian(rng, 37, 11);
        foreach (bool blas in new[] { true, false })
        {
            bool was = Native.OpenBlas.Enabled;
            Native.OpenBlas.Enabled = blas;
            try
            {
                var g1 = SymmetricGram.AtA(a);
                var g2 = SymmetricGram.AAt(a);
                Native.OpenBlas.Enabled = false;
                var r1 = Blas.AtA(a);
                var r2 = Blas.AAt(a);
                for (int i = 0; i < g1.Data.Length; i++) Assert.Equal(r1.Data[i], g1.Data[i], 11);
                for (int i = 0; i < g2.Data.Length; i++) Assert.Equal(r2.Data[i], g2.Data[i], 11);
            }
            finally { Native.OpenBlas.Enabled = was; }
        }
    }
}
