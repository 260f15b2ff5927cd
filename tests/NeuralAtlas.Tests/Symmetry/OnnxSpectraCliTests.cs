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
}
