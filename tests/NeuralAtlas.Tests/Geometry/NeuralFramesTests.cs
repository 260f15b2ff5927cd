using NeuralAtlas.Autograd;
using NeuralAtlas.Geometry;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Geometry;

public class NeuralFramesTests
{
    private static Tensor Image(ulong seed)
    {
        // A smooth blob plus texture, so every generator is non-zero.
        var rng = new Rng(seed);
        var d = new float[28 * 28];
        for (int v = 0; v < 28; v++)
            for (int u = 0; u < 28; u++)
                d[v * 28 + u] = (float)(Math.Exp(-((u - 12) * (u - 12) + (v - 15) * (v - 15)) / 40.0) + 0.05 * rng.Normal());
        return new Tensor(new[] { 1, 28, 28 }, d);
    }

    [Fact]
    public void JvpFramesMatchReverseModeAndFiniteDifferences()
    {
        var model = ModelZoo.Create("cnn", 1, 28, 10, new Rng(1));
        var x = Image(2);
        var dirs = FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, 3, new Rng(3))).ToList();
        dirs.Add(FrameDirections.Adversarial(model, x, 4));
        var layers = ActivationCapture.AllLayers(model);
        var r = NeuralFrames.Compute(model, x, dirs, layers, finiteDifferenceStep: 3e-4);
        Assert.Equal(layers.Count, r.Layers.Count);
        // Finite differences of a float32 network carry ≈ ε₃₂|y|/(h|Jv|) rounding plus ReLU/max-pool kink crossings,
        // so the whole network agrees only to a few percent (measured ≤ 4.8e-2 at h = 3e-4); conv1 is linear in the
        // input, where a large step has no truncation error and the agreement is 1e-4.
        string all = string.Join(", ", layers.Select((l, i) => $"{l} {r.FiniteDifferenceError![i]:E2}"));
        for (int l = 0; l < layers.Count; l++) Assert.True(r.FiniteDifferenceError![l] < 8e-2, all);
        var linear = NeuralFrames.Compute(model, x, dirs, new[] { "conv1" }, finiteDifferenceStep: 0.5);
        Assert.True(linear.FiniteDifferenceError![0] < 1e-4, $"conv1 {linear.FiniteDifferenceError[0]:E2}");

        // Exact identity with reverse mode: ⟨u, J v⟩ = ⟨Jᵀu, v⟩ for the logits.
        var last = r.Layers[^1];
        var f = (Func<Var, Var>)(xv => model.Forward(xv));
        var rng = new Rng(9);
        var u = new Tensor(new[] { 1, 10 }, Enumerable.Range(0, 10).Select(_ => (float)rng.Normal()).ToArray());
        var (_, vjp) = Functional.Vjp(f, x.Reshape(1, 1, 28, 28), u);
        for (int k = 0; k < dirs.Count; k++)
        {
            var (_, jv) = Functional.Jvp(f, x.Reshape(1, 1, 28, 28), dirs[k].Direction.Reshape(1, 1, 28, 28));
            double lhs = 0, rhs = 0;
            for (int i = 0; i < 10; i++) lhs += (double)u.Data[i] * jv.Data[i];
            for (int i = 0; i < vjp.Numel; i++) rhs += (double)vjp.Data[i] * dirs[k].Direction.Data[i];
            Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * Math.Max(1, Math.Abs(rhs)), $"{dirs[k].Name}: {lhs} vs {rhs}");
            Assert.Equal(Math.Sqrt(Enumerable.Range(0, 10).Sum(i => (double)jv.Data[i] * jv.Data[i])), last.RelativeNorms[k], 4);
        }
    }

    [Fact]
    public void LinearLayerPushesDirectionsThroughItsWeights()
    {
        var lin = new Linear(12, 5, new Rng(4));
        var model = new Sequential(new[] { new KeyValuePair<string, Module>("flatten", new Flatten()), new KeyValuePair<string, Module>("fc", lin) });
        var x = new Tensor(new[] { 1, 3, 4 }, Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i)).ToArray());
        var dirs = FrameDirections.Noise(x, 4, new Rng(5));
        var r = NeuralFrames.Compute(model, x, dirs, new[] { "fc" });
        var wt = lin.Weight.Value;
        for (int k = 0; k < dirs.Count; k++)
        {
            double s = 0;
            for (int o = 0; o < 5; o++)
            {
                double y = 0;
                for (int i = 0; i < 12; i++) y += wt.Data[o * 12 + i] * (double)dirs[k].Direction.Data[i];
                s += y * y;
            }
            Assert.Equal(Math.Sqrt(s), r.Layers[0].RelativeNorms[k], 5);
        }
    }

    [Fact]
    public void SpectralSummariesFollowTheirDefinitions()
    {
        Assert.Equal(3, NeuralFrames.EffectiveRank(new[] { 2.0, 2.0, 2.0 }), 12);
        Assert.Equal(1, NeuralFrames.EffectiveRank(new[] { 5.0, 0, 0 }), 12);
        // Rows 0,1 (augmentation) span e1,e2; rows 2 (noise) is e1 + e3: angle 45°.
        var frame = DMatrix.FromRows(new[] { new[] { 1.0, 0, 0 }, new[] { 0, 1.0, 0 }, new[] { 1.0, 0, 1.0 } });
        var z = new Tensor(1, 1, 1);
        var dirs = new[] { new FrameDirection("a", "augmentation", z), new FrameDirection("b", "augmentation", z), new FrameDirection("n", "noise", z) };
        var angles = NeuralFrames.PrincipalAngles(frame, dirs, "augmentation", "noise");
        Assert.Single(angles);
        Assert.Equal(Math.PI / 4, angles[0], 10);
    }

    [Fact]
    public void BadInputs()
    {
        var model = ModelZoo.Create("cnn", 1, 28, 10, new Rng(1));
        var flat = new Tensor(new[] { 1, 28, 28 }, Enumerable.Repeat(0.5f, 784).ToArray());
        var e = Assert.Throws<AtlasArgumentException>(() => FrameDirections.Augmentations(flat));
        Assert.Contains("zero", e.Message);
        Assert.Throws<ShapeMismatchException>(() => FrameDirections.User("u", Image(1), new Tensor(10)));
        Assert.ThrowsAny<AtlasException>(() => NeuralFrames.Compute(model, Image(1), FrameDirections.Noise(Image(1), 2, new Rng(1)), new[] { "no-such-layer" }));
    }
}

public class FramesCliTests
{
    [Fact]
    public void WritesPerLayerJsonAndATable()
    {
        using var dir = new NeuralAtlas.Tests.Support.TempDir();
        var r = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "--count", "2", "--noise", "4", "--layers", "conv1,fc2", "--out", dir.File("f.json"));
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("conv1\t", lines[1]);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("f.json")));
        var layers = doc.RootElement.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        Assert.Equal(11, layers[0].GetProperty("relative_norms").GetArrayLength()); // 7 generators + 4 noise
        var checkedRun = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "--count", "1", "--noise", "2", "--check-reverse", "32", "--out", dir.File("c.json"));
        Assert.Equal(0, checkedRun.ExitCode);
        Assert.EndsWith("reverse_error", checkedRun.Out.Split('\n')[0].Trim());
        using (var cdoc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("c.json"))))
            foreach (var layer in cdoc.RootElement.GetProperty("layers").EnumerateArray())
                Assert.InRange(layer.GetProperty("reverse_mode_error").GetDouble(), 0, 1e-4);
        var negative = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "--count", "1", "--check-reverse", "-1", "--out", dir.File("n.json"));
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--check-reverse", negative.Err);
        Assert.False(File.Exists(dir.File("n.json")));
        var bad = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "--count", "1", "--layers", "nope", "--out", dir.File("g.json"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("nope", bad.Err);
    }
}
