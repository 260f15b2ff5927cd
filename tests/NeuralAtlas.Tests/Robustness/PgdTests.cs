using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Robustness.Attacks;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Robustness;

public class PgdTests
{
    /// <summary>Two logits [0, wᵀx + b]: the margin of class 1 is linear in the input.</summary>
    private static (Module Model, double[] W) LinearModel(int d, int seed)
    {
        var rng = new Rng(seed);
        var lin = new Linear(d, 2, rng);
        var w = new double[d];
        for (int j = 0; j < d; j++)
        {
            lin.Weight.Value.Data[j] = 0;
            w[j] = rng.Normal();
            lin.Weight.Value.Data[d + j] = (float)w[j];
        }
        lin.Bias!.Value.Data[0] = 0;
        lin.Bias.Value.Data[1] = 0;
        return (new Sequential(new Flatten(), lin), w);
    }

    private static double Gain(double[] w, Tensor adv, Tensor x) => w.Select((wj, j) => wj * (adv.Data[j] - x.Data[j])).Sum();

    [Theory]
    [InlineData(LpNorm.Inf, "full")]
    [InlineData(LpNorm.Inf, "random-pixels:0.25")]
    [InlineData(LpNorm.L2, "full")]
    [InlineData(LpNorm.L2, "patch:3")]
    [InlineData(LpNorm.L2, "dct:2")]
    [InlineData(LpNorm.L2, "random:5")]
    [InlineData(LpNorm.L1, "full")]
    [InlineData(LpNorm.L1, "random-pixels:0.5")]
    public void PgdOnALinearModelReachesTheClosedFormOptimum(LpNorm p, string spec)
    {
        var (model, w) = LinearModel(64, 1);
        var x = Tensor.Full(new[] { 1, 1, 8, 8 }, 0.5f); // ε ≤ 0.4 keeps the box [0, 1] inactive
        var v = Subspace.Parse(spec, 1, 8, 8, seed: 3);
        double eps = 0.3;
        // Label 0: the attack raises logit 1, i.e. maximises wᵀδ.
        var res = Pgd.Attack(model, x, new[] { 0 }, v, new PgdOptions { Norm = p, Epsilon = eps, Steps = 60, StepSize = eps / 4, RandomStart = false, L1Sparsity = 1.0 / 64 });
        double expected = LinearToyModel.MaxGain(w, v, p, eps);
        Assert.Equal(expected, Gain(w, res.Adversarial, x), expected * 2e-3);
    }

    [Theory]
    [InlineData(LpNorm.Inf, "patch:4")]
    [InlineData(LpNorm.L2, "dct:3")]
    [InlineData(LpNorm.L1, "channels:1")]
    [InlineData(LpNorm.Inf, "random:10")]
    [InlineData(LpNorm.L1, "random:7")]
    public void AdversarialExamplesLieInTheBallTheSubspaceAndTheBox(LpNorm p, string spec)
    {
        var rng = new Rng(5);
        var model = new Sequential(new Flatten(), new Linear(2 * 6 * 6, 16, rng), new ReLU(), new Linear(16, 4, rng));
        var x = Tensor.Rand(rng, 20, 2, 6, 6);
        var labels = Enumerable.Range(0, 20).Select(i => i % 4).ToArray();
        var v = Subspace.Parse(spec, 2, 6, 6, seed: 2);
        double eps = p == LpNorm.Inf ? 0.1 : p == LpNorm.L2 ? 0.8 : 2.0;
        var res = Pgd.Attack(model, x, labels, v, new PgdOptions { Norm = p, Epsilon = eps, Steps = 8, Restarts = 2, Seed = 1 });
        int d = 72;
        for (int i = 0; i < 20; i++)
        {
            var delta = new float[d];
            for (int j = 0; j < d; j++)
            {
                float a = res.Adversarial.Data[i * d + j];
                Assert.InRange(a, 0f, 1f);
                delta[j] = a - x.Data[i * d + j];
            }
            Assert.True(LpNorms.Norm(delta, p) <= eps * (1 + 1e-6), $"norm {LpNorms.Norm(delta, p)} > {eps}");
            Assert.True(v.Distance(delta) <= 1e-6 * Math.Max(1, LpNorms.Norm(delta, LpNorm.L2)), $"distance to V {v.Distance(delta)}");
        }
    }

    [Fact]
    public void SuccessRisesWithEpsilonAndWithTheSubspaceDimension()
    {
        var (model, _) = LinearModel(64, 2);
        var rng = new Rng(8);
        var x = Tensor.Rand(rng, 200, 1, 8, 8);
        var labels = Pgd.Predict(model, x);
        double prev = -1;
        foreach (double eps in new[] { 0.01, 0.03, 0.1, 0.3 })
        {
            double rate = Pgd.Attack(model, x, labels, Subspace.Parse("full", 1, 8, 8, 0), new PgdOptions { Norm = LpNorm.L2, Epsilon = eps, Steps = 10 }).SuccessRate;
            Assert.True(rate >= prev, $"ε={eps}: {rate} < {prev}");
            prev = rate;
        }
        Assert.True(prev > 0.5);
        // Nested patches: a larger subspace can only help a linear model.
        prev = -1;
        foreach (int k in new[] { 2, 4, 6, 8 })
        {
            var mask = new bool[64];
            for (int y = 0; y < k; y++) for (int xx = 0; xx < k; xx++) mask[y * 8 + xx] = true;
            double rate = Pgd.Attack(model, x, labels, new MaskSubspace(mask, $"{k}x{k}"), new PgdOptions { Norm = LpNorm.L2, Epsilon = 0.1, Steps = 10 }).SuccessRate;
            Assert.True(rate >= prev, $"k={k}: {rate} < {prev}");
            prev = rate;
        }
    }

    [Theory]
    [InlineData("inf", 0.02, "0.02")]
    [InlineData("inf", 0.05, "0.05")]
    [InlineData("inf", 0.1, "0.1")]
    [InlineData("2", 0.2, "0.2")]
    [InlineData("2", 0.5, "0.5")]
    [InlineData("2", 1.0, "1.0")]
    public void SuccessRatesMatchPyTorchPgd(string norm, double eps, string epsKey)
    {
        var f = Npz.Read(Fixtures.Path("robustness", "pgd_mlp.npz"));
        var rng = new Rng(0);
        var model = new Sequential(new Flatten(), new Linear(64, 32, rng), new ReLU(), new Linear(32, 10, rng));
        model.LoadStateDict(f.Where(kv => kv.Key.EndsWith(".weight") || kv.Key.EndsWith(".bias")).Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.ToTensor())));
        var x = f["x"].ToTensor();
        var y = f["y"].ToInt64s().Select(v => (int)v).ToArray();
        var maskValues = f["mask"].ToTensor().Data;
        foreach (var (name, v) in new (string, Subspace)[] { ("full", Subspace.Parse("full", 1, 8, 8, 0)), ("mask", new MaskSubspace(maskValues.Select(m => m > 0).ToArray(), "fixture mask")) })
        {
            var expected = f[$"success_{norm}_{epsKey}_{name}"].ToInt64s();
            var res = Pgd.Attack(model, x, y, v, new PgdOptions { Norm = LpNorms.Parse(norm), Epsilon = eps, Steps = 10, RandomStart = false });
            double theirs = expected.Average(s => (double)s), ours = res.SuccessRate;
            Assert.True(Math.Abs(theirs - ours) <= 0.01, $"{norm} ε={eps} {name}: ours {ours:F4}, PyTorch {theirs:F4}");
        }
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        var (model, _) = LinearModel(64, 1);
        var x = Tensor.Full(new[] { 2, 1, 8, 8 }, 0.5f);
        var full = Subspace.Parse("full", 1, 8, 8, 0);
        Assert.Throws<AtlasArgumentException>(() => Pgd.Attack(model, x, new[] { 0, 1 }, full, new PgdOptions { Epsilon = -1 }));
        Assert.Throws<ShapeMismatchException>(() => Pgd.Attack(model, x, new[] { 0 }, full, new PgdOptions()));
        Assert.Throws<ShapeMismatchException>(() => Pgd.Attack(model, x, new[] { 0, 1 }, Subspace.Parse("full", 1, 4, 4, 0), new PgdOptions()));
        Assert.Throws<AtlasArgumentException>(() => Subspace.Parse("patch:9", 1, 8, 8, 0));
        Assert.Throws<AtlasArgumentException>(() => Subspace.Parse("random-pixels:0", 1, 8, 8, 0));
        Assert.Throws<AtlasArgumentException>(() => Subspace.Parse("warp:3", 1, 8, 8, 0));
        Assert.Throws<AtlasArgumentException>(() => new MaskSubspace(new bool[64], "empty"));
        var notOrthonormal = NeuralAtlas.LinearAlgebra.DMatrix.FromRows(new[] { new double[] { 1, 1, 0, 0 } });
        Assert.Contains("orthonormal", Assert.Throws<AtlasArgumentException>(() => new BasisSubspace(notOrthonormal, "x")).Message);
        var big = x.Clone();
        big.Data[0] = 1.5f;
        Assert.Throws<AtlasArgumentException>(() => Pgd.Attack(model, big, new[] { 0, 1 }, full, new PgdOptions()));
    }
}
