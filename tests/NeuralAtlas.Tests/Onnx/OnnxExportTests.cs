using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxExportTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    public void ExportedZooModelReimportsToIdenticalOutputs(string name)
    {
        using var dir = new TempDir();
        var spec = new ModelSpec(name, 1, 28, 10);
        var net = ModelZoo.Create(name, 1, 28, 10, new Rng(5));
        ModelFile.Save(dir.File("w.safetensors"), net, spec);
        var r = CliRunner.Run("export-onnx", "--weights", dir.File("w.safetensors"), "--out", dir.File("m.onnx"));
        Assert.True(r.ExitCode == 0, r.Err);

        var m = OnnxModel.Load(dir.File("m.onnx"));
        Assert.Equal(net.StateDict().Keys.Order(), m.Initializers.Keys.Order());
        Assert.Equal(name == "cnn" ? new[] { "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm" }
            : new[] { "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm" }, m.Nodes.Select(n => n.OpType));
        Assert.Equal("input: float32 [batch, 1, 28, 28]", m.Inputs[0].ToString());
        var back = new OnnxModule(m);
        var x = new Tensor(new[] { 3, 1, 28, 28 }, Enumerable.Range(0, 3 * 784).Select(i => (float)Math.Cos(0.11 * i)).ToArray());
        net.Eval();
        back.Eval();
        using var _ = GradMode.NoGrad();
        Assert.Equal(net.Forward(new Var(x)).Value.Data, back.Forward(new Var(x)).Value.Data);
    }

    [Fact]
    public void ModelsWithLayersOutsideTheExportSetAreRefused()
    {
        using var dir = new TempDir();
        var net = ModelZoo.Create("resnet20", 1, 28, 10, new Rng(1));
        ModelFile.Save(dir.File("w.safetensors"), net, new ModelSpec("resnet20", 1, 28, 10));
        var r = CliRunner.Run("export-onnx", "--weights", dir.File("w.safetensors"), "--out", dir.File("m.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("layers ONNX export writes", r.Err);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }
}
