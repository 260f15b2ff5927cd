using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Geometry;

public class FrameComparisonTests
{
    private static List<Tensor> Images() => Enumerable.Range(0, 3)
        .Select(s => new Tensor(new[] { 1, 28, 28 }, Enumerable.Range(0, 784).Select(i => (float)(0.5 + 0.4 * Math.Sin(0.03 * (s + 1) * i + s))).ToArray())).ToList();

    private static IReadOnlyList<FrameDirection> Directions(Tensor x, int i) =>
        FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, 3, new Rng((ulong)i + 1))).ToList();

    private static readonly string[] Layers = { "fc1", "act1", "fc2", "act2", "fc3" };

    [Fact]
    public void AModelComparedWithItselfDiffersByNothing()
    {
        var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        var c = FrameComparison.Compare(net, net, Images(), Directions, Layers, Layers);
        Assert.Equal(Layers, c.Select(l => l.A.Layer));
        Assert.All(c, l =>
        {
            Assert.Equal(0.0, l.AugmentationNormDifference);
            Assert.Equal(0.0, l.NoiseNormDifference);
            Assert.Null(l.AdversarialNormDifference); // no adversarial direction was given
            Assert.Equal(0.0, l.EffectiveRankDifference);
            Assert.Equal(0.0, l.MeanAngleDifference);
        });
    }

    [Fact]
    public void AnIntertwinedCopyDiffersOnlyWhereTheIntertwinerActs()
    {
        // B = A with fc1's units permuted and positively rescaled (a ReLU intertwiner), undone in fc2's columns: the same
        // function, so every layer from fc2 on carries the same frame; fc1 and act1 carry a rescaled one.
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        var sd = b.StateDict();
        var w1 = sd["fc1.weight"];
        var b1 = sd["fc1.bias"];
        var w2 = sd["fc2.weight"];
        int h = w1.Shape[0], d = w1.Shape[1], o = w2.Shape[0];
        var rng = new Rng(5);
        var perm = Enumerable.Range(0, h).OrderBy(_ => rng.NextDouble()).ToArray();
        var scale = Enumerable.Range(0, h).Select(_ => 0.2 + 3 * rng.NextDouble()).ToArray();
        var (nw1, nb1, nw2) = (new Tensor(w1.Shape), new Tensor(b1.Shape), new Tensor(w2.Shape));
        for (int j = 0; j < h; j++)
        {
            for (int i = 0; i < d; i++) nw1.Data[j * d + i] = (float)(scale[j] * w1.Data[perm[j] * d + i]);
            nb1.Data[j] = (float)(scale[j] * b1.Data[perm[j]]);
            for (int r = 0; r < o; r++) nw2.Data[r * h + j] = (float)(w2.Data[r * h + perm[j]] / scale[j]);
        }
        sd["fc1.weight"] = nw1;
        sd["fc1.bias"] = nb1;
        sd["fc2.weight"] = nw2;
        b.LoadStateDict(sd);
        var c = FrameComparison.Compare(a, b, Images(), Directions, Layers, Layers);
        Assert.True(Math.Abs(c[0].AugmentationNormDifference!.Value) > 1e-2 * c[0].A.AugmentationNorm!.Value);
        foreach (var l in c.Skip(2))
        {
            Assert.Equal(l.A.AugmentationNorm!.Value, l.B.AugmentationNorm!.Value, 1e-4 * l.A.AugmentationNorm.Value);
            Assert.Equal(l.A.NoiseNorm!.Value, l.B.NoiseNorm!.Value, 1e-4 * l.A.NoiseNorm.Value);
            Assert.Equal(l.A.EffectiveRank, l.B.EffectiveRank, 1e-4);
            Assert.Equal(l.A.MeanAngle!.Value, l.B.MeanAngle!.Value, 1e-3);
        }
    }

    [Fact]
    public void LayerListsOfDifferentLengthsAreRefused()
    {
        var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        Assert.Throws<AtlasArgumentException>(() => FrameComparison.Compare(net, net, Images(), Directions, Layers, Layers.Take(2).ToList()));
    }
}

public class FramesCompareCliTests
{
    [Fact]
    public void ComparingAModelWithItselfWritesZeroDifferences()
    {
        using var dir = new NeuralAtlas.Tests.Support.TempDir();
        var net = ModelZoo.Create("cnn", 1, 28, 10, new Rng(4));
        ModelFile.Save(dir.File("w.safetensors"), net, new ModelSpec("cnn", 1, 28, 10));
        NeuralAtlas.Onnx.OnnxExport.Save(net, new[] { 1, 28, 28 }, dir.File("w.onnx"));
        var relus = new NeuralAtlas.Onnx.OnnxModule(NeuralAtlas.Onnx.OnnxModel.Load(dir.File("w.onnx"))).Model.Nodes.Where(n => n.OpType == "Relu").Select(n => n.Name);
        var r = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "compare", "-a", dir.File("w.safetensors"), "--onnx-b", dir.File("w.onnx"),
            "--layers", "relu1,relu2,relu3", "--layers-b", string.Join(',', relus), "--count", "2", "--noise", "3", "--adversarial", "--out", dir.File("c.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("c.json")));
        var layers = doc.RootElement.GetProperty("layers");
        Assert.Equal(3, layers.GetArrayLength());
        foreach (var l in layers.EnumerateArray())
        {
            var d = l.GetProperty("difference");
            foreach (var key in new[] { "augmentation_norm", "noise_norm", "adversarial_norm" })
                Assert.True(Math.Abs(d.GetProperty(key).GetDouble()) <= 1e-4 * l.GetProperty("a").GetProperty(key).GetDouble(), key);
        }
        var bad = NeuralAtlas.Tests.Support.CliRunner.Run("frames", "compare", "-a", dir.File("w.safetensors"), "-b", dir.File("w.safetensors"), "--layers", "relu1", "--layers-b", "relu1,relu2", "--out", dir.File("d.json"));
        Assert.Equal(2, bad.ExitCode);
        Assert.False(File.Exists(dir.File("d.json")));
    }
}
