using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

public class NeuronAlignmentTests
{
    private static ImageDataset Data() => Datasets.Load("synthetic", null, 3).Test.Take(64);

    private static int[] RandomPermutation(int n, Rng rng)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(rng.NextDouble() * (i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    // B's hidden unit j is A's unit sigma[j]: rows of the layer (weight, bias) and the next layer's input columns
    // (blocks of `block` columns after a flatten; input channels of a convolution) move together, written here
    // element by element, independently of the library's permutation code.
    private static void PermuteUnits(Dictionary<string, Tensor> sd, string layer, string next, int[] sigma)
    {
        var w = sd[layer + ".weight"];
        int per = w.Numel / w.Shape[0];
        var nw = new Tensor(w.Shape);
        for (int j = 0; j < sigma.Length; j++)
            for (int k = 0; k < per; k++) nw.Data[j * per + k] = w.Data[sigma[j] * per + k];
        sd[layer + ".weight"] = nw;
        var b = sd[layer + ".bias"];
        sd[layer + ".bias"] = new Tensor(b.Shape, sigma.Select(s => b.Data[s]).ToArray());
        var v = sd[next + ".weight"];
        int rows = v.Shape[0], cols = v.Numel / rows, blockSize = cols / sigma.Length;
        var nv = new Tensor(v.Shape);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < sigma.Length; j++)
                for (int q = 0; q < blockSize; q++) nv.Data[r * cols + j * blockSize + q] = v.Data[r * cols + sigma[j] * blockSize + q];
        sd[next + ".weight"] = nv;
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public void APermutedCopyIsAlignedBackExactlyAndItsPathIsFlat(string arch)
    {
        var data = Data();
        var a = ModelZoo.Create(arch, 1, 28, 10, new Rng(4));
        // A trained A (low loss), so that averaging it with a permuted copy of itself visibly costs loss.
        Trainer.Train(a, Datasets.Load("synthetic", null, 3).Train.Take(1024), new TrainOptions { Epochs = 3, Seed = 1 });
        var sd = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var rng = new Rng(17);
        var chain = arch == "mlp" ? new[] { ("fc1", "fc2"), ("fc2", "fc3") } : new[] { ("conv1", "conv2"), ("conv2", "fc1"), ("fc1", "fc2") };
        var sigmas = new Dictionary<string, int[]>();
        foreach (var (layer, next) in chain)
        {
            sigmas[layer] = RandomPermutation(sd[layer + ".weight"].Shape[0], rng);
            PermuteUnits(sd, layer, next, sigmas[layer]);
        }
        var b = ModelZoo.Create(arch, 1, 28, 10, new Rng(99));
        b.LoadStateDict(new OrderedDictionary<string, Tensor>(sd));
        a.Eval();
        b.Eval();
        // A permutation of hidden units is a symmetry: the function is unchanged.
        var la = Trainer.Predict(a, data);
        var lb = Trainer.Predict(b, data);
        for (int i = 0; i < la.Numel; i++) Assert.Equal(la.Data[i], lb.Data[i], 1e-5f);

        var al = NeuronAlignment.ByActivations(a, b, data);
        Assert.Equal(chain.Select(c => c.Item1), al.Layers.Select(l => l.Layer));
        foreach (var l in al.Layers)
        {
            // A's unit i is B's unit j with sigma[j] = i.
            var sigma = sigmas[l.Layer];
            for (int i = 0; i < sigma.Length; i++) Assert.Equal(i, sigma[l.Permutation[i]]);
        }
        foreach (var (k, v) in a.StateDict()) Assert.Equal(v.Data, al.AlignedB[k].Data);

        var net = ModelZoo.Create(arch, 1, 28, 10, new Rng(5));
        var aligned = ModeConnectivity.Interpolate(net, a.StateDict(), al.AlignedB, data, steps: 5);
        Assert.Equal(0, aligned.LossBarrier, 6);
        Assert.Equal(0, aligned.AccuracyBarrier, 12);
        // Without alignment the midpoint averages unrelated units: the path is not flat.
        var raw = ModeConnectivity.Interpolate(net, a.StateDict(), b.StateDict(), data, steps: 5);
        Assert.True(raw.LossBarrier > 1e-3, $"unaligned barrier {raw.LossBarrier}");
    }

    // Regression: evaluating the unaligned path used to leave A's module holding θ_B, so B was then "aligned" to
    // itself (identity permutations) and the aligned path repeated the unaligned one.
    [Fact]
    public void ConnectAlignsAPermutedCopyBackInTheLibraryAndTheCli()
    {
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(4));
        Trainer.Train(a, Datasets.Load("synthetic", null, 3).Train.Take(1024), new TrainOptions { Epochs = 3, Seed = 1 });
        var sd = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var rng = new Rng(23);
        var sigmas = new Dictionary<string, int[]>();
        foreach (var (layer, next) in new[] { ("fc1", "fc2"), ("fc2", "fc3") })
        {
            sigmas[layer] = RandomPermutation(sd[layer + ".weight"].Shape[0], rng);
            PermuteUnits(sd, layer, next, sigmas[layer]);
        }
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(99));
        b.LoadStateDict(new OrderedDictionary<string, Tensor>(sd));
        var before = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());

        var r = ModeConnectivity.Connect(a, b, Data(), ConnectivityAlignment.Both, steps: 5);
        Assert.True(r.Unaligned!.LossBarrier > 1e-3, $"unaligned barrier {r.Unaligned.LossBarrier}");
        Assert.Equal(0, r.Aligned!.LossBarrier, 6);
        foreach (var (k, v) in a.StateDict()) Assert.Equal(before[k].Data, v.Data);
        foreach (var l in r.Alignment!.Layers)
            for (int i = 0; i < l.Permutation.Length; i++) Assert.Equal(i, sigmas[l.Layer][l.Permutation[i]]);

        using var dir = new NeuralAtlas.Tests.Support.TempDir();
        var spec = new ModelSpec("mlp", 1, 28, 10);
        ModelFile.Save(dir.File("a.safetensors"), a, spec);
        ModelFile.Save(dir.File("b.safetensors"), b, spec);
        var run = NeuralAtlas.Tests.Support.CliRunner.Run("connect", "-a", dir.File("a.safetensors"), "-b", dir.File("b.safetensors"),
            "--seed", "3", "--count", "64", "--align-count", "64", "--steps", "5", "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.True(doc.RootElement.GetProperty("unaligned").GetProperty("loss_barrier").GetDouble() > 1e-3);
        var aligned = doc.RootElement.GetProperty("aligned");
        Assert.Equal(0, aligned.GetProperty("loss_barrier").GetDouble(), 6);
        foreach (var l in aligned.GetProperty("layers").EnumerateArray())
        {
            var perm = l.GetProperty("permutation").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var sigma = sigmas[l.GetProperty("layer").GetString()!];
            for (int i = 0; i < perm.Length; i++) Assert.Equal(i, sigma[perm[i]]);
        }
    }

    [Fact]
    public void ConnectTakesOnnxGraphsAndGivesTheSamePathAsTheirWeights()
    {
        using var dir = new NeuralAtlas.Tests.Support.TempDir();
        var spec = new ModelSpec("mlp", 1, 28, 10);
        foreach (var (name, seed) in new[] { ("a", 1), ("b", 2) })
        {
            var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng((ulong)seed));
            ModelFile.Save(dir.File(name + ".safetensors"), net, spec);
            NeuralAtlas.Onnx.OnnxExport.Save(net, new[] { 1, 28, 28 }, dir.File(name + ".onnx"));
        }
        var w = NeuralAtlas.Tests.Support.CliRunner.Run("connect", "-a", dir.File("a.safetensors"), "-b", dir.File("b.safetensors"), "--count", "50", "--steps", "3", "--align", "none", "--json");
        var o = NeuralAtlas.Tests.Support.CliRunner.Run("connect", "--onnx-a", dir.File("a.onnx"), "--onnx-b", dir.File("b.onnx"), "--count", "50", "--steps", "3", "--align", "none", "--json");
        Assert.True(w.ExitCode == 0 && o.ExitCode == 0, w.Err + o.Err);
        using var jw = System.Text.Json.JsonDocument.Parse(w.Out);
        using var jo = System.Text.Json.JsonDocument.Parse(o.Out);
        var pw = jw.RootElement.GetProperty("unaligned").GetProperty("path");
        var po = jo.RootElement.GetProperty("unaligned").GetProperty("path");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(pw[i].GetProperty("accuracy").GetDouble(), po[i].GetProperty("accuracy").GetDouble());
            Assert.Equal(pw[i].GetProperty("loss").GetDouble(), po[i].GetProperty("loss").GetDouble(), 5);
        }
        var bad = NeuralAtlas.Tests.Support.CliRunner.Run("connect", "--onnx-a", dir.File("a.onnx"), "--onnx-b", dir.File("b.onnx"), "--align", "activations");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--align", bad.Err);
    }

    [Fact]
    public void ModelsWithNormalisationAreRefusedByName()
    {
        var a = ModelZoo.Create("resnet20", 1, 28, 10, new Rng(1));
        var e = Assert.Throws<AtlasArgumentException>(() => NeuronAlignment.ByActivations(a, a, Data()));
        Assert.Contains("'bn1' is BatchNorm", e.Message);
    }
}
