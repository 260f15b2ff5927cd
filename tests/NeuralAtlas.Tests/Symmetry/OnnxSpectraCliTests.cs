using System.Text.Json;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class OnnxSpectraCliTests
{
    /// <summary>A zoo model with seeded weights, saved, and its 'atlas export-onnx' graph beside it.</summary>
    internal static (string Weights, string Onnx) ZooAndOnnx(TempDir dir, string name, int seed)
    {
        var net = ModelZoo.Create(name, 1, 28, 10, new Rng((ulong)seed));
        string w = dir.File(name + ".safetensors"), m = dir.File(name + ".onnx");
        ModelFile.Save(w, net, new ModelSpec(name, 1, 28, 10));
        var r = CliRunner.Run("export-onnx", "--weights", w, "--out", m);
        Assert.True(r.ExitCode == 0, r.Err);
        return (w, m);
    }

    [Fact]
    public void ExportedCnnGivesTheZooSpectraWithGeometryReadFromTheGraph()
    {
        using var dir = new TempDir();
        var (w, m) = ZooAndOnnx(dir, "cnn", 3);
        var a = CliRunner.Run("conv-svd", "--onnx", m, "--out", dir.File("a.json"));
        Assert.True(a.ExitCode == 0, a.Err);
        // The reference CNN: conv1 sees 28×28; valid 3×3 conv → 26, 2×2 max-pool → 13 for conv2; both stride 1.
        var b = CliRunner.Run("conv-svd", "--weights", w, "--input-size", "28", "--layer", "conv2.weight=13", "--out", dir.File("b.json"));
        Assert.True(b.ExitCode == 0, b.Err);
        Assert.Equal(File.ReadAllText(dir.File("b.json")), File.ReadAllText(dir.File("a.json")));
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("a.json")));
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(new[] { "conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight" }, layers.Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(28, layers[0].GetProperty("operator").GetProperty("input_size").GetInt32());
        Assert.Equal(13, layers[1].GetProperty("operator").GetProperty("input_size").GetInt32());
    }

    [Fact]
    public void ExportedResNetGetsStridesAndStageSizesFromItsNodes()
    {
        using var dir = new TempDir();
        var (w, m) = ZooAndOnnx(dir, "resnet20", 4);
        var a = CliRunner.Run("conv-svd", "--onnx", m, "--out", dir.File("a.json"));
        Assert.True(a.ExitCode == 0, a.Err);
        // The zoo path knows ResNet-20's layout (stages at n, n/2, n/4; stride-2 first convs and shortcuts).
        var b = CliRunner.Run("conv-svd", "--weights", w, "--model", "resnet20", "--input-size", "28", "--out", dir.File("b.json"));
        Assert.True(b.ExitCode == 0, b.Err);
        Assert.Equal(File.ReadAllText(dir.File("b.json")), File.ReadAllText(dir.File("a.json")));
    }

    [Fact]
    public void OnnxExcludesWeightsAndModel()
    {
        using var dir = new TempDir();
        string m = Fixtures.Path("onnx", "export_cnn.onnx");
        var r = CliRunner.Run("conv-svd", "--onnx", m, "--weights", m, "--out", dir.File("a.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("exactly one", r.Err);
        r = CliRunner.Run("conv-svd", "--onnx", m, "--model", "resnet20", "--out", dir.File("a.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--model", r.Err);
        Assert.False(File.Exists(dir.File("a.json")));
    }

    [Fact]
    public void SvdInfluenceTakesTheWeightFromAGraphByInitializerOrNodeName()
    {
        using var dir = new TempDir();
        var (w, m) = ZooAndOnnx(dir, "cnn", 6);
        // conv2 outputs 64 channels; activations with a planted class structure on a few channels.
        int n = 24;
        var rng = new Rng(9);
        var acts = new Tensor(n, 64, 2, 2);
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (int c = 0; c < 64; c++)
                for (int p = 0; p < 4; p++) acts.Data[((i * 64) + c) * 4 + p] = (float)((c % 3 == i % 3 ? 2.0 : 0.2) + 0.1 * rng.Normal());
        }
        NeuralAtlas.IO.Npy.Write(dir.File("a.npy"), acts);
        NeuralAtlas.IO.Npy.Write(dir.File("y.npy"), NeuralAtlas.IO.NdArray.FromInt64s(labels, n));
        string[] tail = { "--activations", dir.File("a.npy"), "--labels", dir.File("y.npy") };
        var z = CliRunner.Run(new[] { "svd-influence", "--weights", w, "--layer", "conv2.weight", "--out", dir.File("z.json") }.Concat(tail).ToArray());
        var byInit = CliRunner.Run(new[] { "svd-influence", "--onnx", m, "--layer", "conv2.weight", "--out", dir.File("i.json") }.Concat(tail).ToArray());
        var byNode = CliRunner.Run(new[] { "svd-influence", "--onnx", m, "--layer", "/conv2/Conv", "--out", dir.File("n.json") }.Concat(tail).ToArray());
        Assert.True(z.ExitCode == 0, z.Err);
        Assert.True(byInit.ExitCode == 0, byInit.Err);
        Assert.True(byNode.ExitCode == 0, byNode.Err);
        Assert.Equal(File.ReadAllText(dir.File("z.json")), File.ReadAllText(dir.File("i.json")));
        Assert.Equal(File.ReadAllText(dir.File("z.json")), File.ReadAllText(dir.File("n.json")));
        Assert.Equal(2, CliRunner.Run(new[] { "svd-influence", "--onnx", m, "--weights", w, "--layer", "conv2.weight", "--out", dir.File("x.json") }.Concat(tail).ToArray()).ExitCode);
    }

    [Fact]
    public void AttentionProjectionsSlicedFromAPackedInitializerAreAnalysedAndActivationProductsAreNot()
    {
        // The exported transformer slices q, k, v out of in_proj_weight [192, 64] inside the graph (Slice → Gemm, transB = 1).
        using var dir = new TempDir();
        string m = Fixtures.Path("onnx", "export_transformer.onnx");
        var r = CliRunner.Run("conv-svd", "--onnx", m, "--out", dir.File("a.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("'/layers/0/self_attn/Transpose_2_output_0' depends on the input", r.Out);
        var packed = NeuralAtlas.Onnx.OnnxModel.Load(m).Initializers["layers.0.self_attn.in_proj_weight"].ToTensor();
        var slices = new List<KeyValuePair<string, Tensor>>();
        for (int k = 0; k < 3; k++)
            slices.Add(new($"s{k}.weight", new Tensor(new[] { 64, 64 }, packed.Data.AsSpan(k * 64 * 64, 64 * 64).ToArray())));
        NeuralAtlas.IO.Npz.Write(dir.File("s.npz"), slices);
        Assert.Equal(0, CliRunner.Run("conv-svd", "--weights", dir.File("s.npz"), "--out", dir.File("b.json")).ExitCode);
        using var a = JsonDocument.Parse(File.ReadAllText(dir.File("a.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(dir.File("b.json")));
        string SingularValues(JsonDocument d, string name) =>
            d.RootElement.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name).GetProperty("singular_values").GetRawText();
        var names = new[] { "/layers/0/self_attn/Slice_output_0", "/layers/0/self_attn/Slice_2_output_0", "/layers/0/self_attn/Slice_4_output_0" };
        for (int k = 0; k < 3; k++) Assert.Equal(SingularValues(b, $"s{k}.weight"), SingularValues(a, names[k]));
    }
}
