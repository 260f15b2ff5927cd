using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class OnnxIntertwineCliTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    public void ExportedZooModelIsIntertwinedExactlyLikeTheZooWeights(string name)
    {
        using var dir = new TempDir();
        var (w, m) = OnnxSpectraCliTests.ZooAndOnnx(dir, name, 11);
        var z = CliRunner.Run("intertwine", "--weights", w, "--seed", "5", "--samples", "16", "--out", dir.File("z.safetensors"));
        Assert.True(z.ExitCode == 0, z.Err);
        var r = CliRunner.Run("intertwine", "--onnx", m, "--seed", "5", "--samples", "16", "--out", dir.File("o.onnx"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains(name == "cnn" ? "3 intertwiner sites" : "2 intertwiner sites", r.Out);

        // The same sites in the same order draw the same intertwiners: every tensor equals the zoo path's.
        var zoo = Safetensors.Read(dir.File("z.safetensors")).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToTensor().Data);
        var before = OnnxModel.Load(m);
        var after = OnnxModel.Load(dir.File("o.onnx"));
        Assert.Equal(zoo.Keys.Order(), after.Initializers.Keys.Order());
        foreach (var (k, a) in after.Initializers) Assert.Equal(zoo[k], a.ToTensor().Data);
        Assert.NotEqual(before.Initializers["fc1.weight"].ToTensor().Data, after.Initializers["fc1.weight"].ToTensor().Data);

        // And the function is unchanged (A is absorbed by the next layer): the graphs agree on other inputs.
        var x = new Tensor(new[] { 4, 1, 28, 28 }, Enumerable.Range(0, 4 * 784).Select(i => (float)(0.5 + 0.5 * Math.Sin(0.37 * i))).ToArray());
        using var _ = GradMode.NoGrad();
        var y0 = new OnnxModule(before).Forward(new Var(x)).Value.Data;
        var y1 = new OnnxModule(after).Forward(new Var(x)).Value.Data;
        double scale = y0.Max(v => Math.Abs((double)v)), err = y0.Zip(y1, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(err <= 1e-4 * scale, $"output moved by {err:E2} (scale {scale:E2})");
    }

    [Fact]
    public void ResidualAndNonReluGraphsAreRefusedByNodeName()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("intertwine", "--onnx", Fixtures.Path("onnx", "export_resnet20.onnx"), "--out", dir.File("o.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'/layer1/0/Add' Add", r.Err);
        r = CliRunner.Run("intertwine", "--onnx", Fixtures.Path("onnx", "mlp_gelu.onnx"), "--out", dir.File("o.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no Relu or LeakyRelu node", r.Err);
        r = CliRunner.Run("intertwine", "--onnx", Fixtures.Path("onnx", "export_cnn.onnx"), "--activation", "tanh", "--out", dir.File("o.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--activation", r.Err);
        r = CliRunner.Run("intertwine", "--onnx", Fixtures.Path("onnx", "export_cnn.onnx"), "--out", dir.File("o.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(".onnx", r.Err);
        Assert.False(File.Exists(dir.File("o.onnx")));
    }
}
