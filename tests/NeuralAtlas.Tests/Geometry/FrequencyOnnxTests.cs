using System.Text.Json.Nodes;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

public class FrequencyOnnxTests
{
    [Fact]
    public void FrequencyOnAnOnnxGraphEqualsTheSameWeightsNatively()
    {
        // cnn.onnx (PyTorch's export of the reference CNN) names its initializers like the zoo CNN's state dict, so
        // the sensitivity maps from the imported graph and from the native model with those weights must agree.
        string onnx = Fixtures.Path("onnx", "cnn.onnx");
        using var dir = new TempDir();
        var module = new NeuralAtlas.Onnx.OnnxModule(NeuralAtlas.Onnx.OnnxModel.Load(onnx));
        var spec = new NeuralAtlas.Nn.Zoo.ModelSpec("cnn", 1, 28, 10);
        var native = spec.Create(new Rng(0));
        native.LoadStateDict(module.StateDict());
        NeuralAtlas.Nn.Zoo.ModelFile.Save(dir.File("cnn.safetensors"), native, spec);
        var a = CliRunner.Run("frequency", "--onnx", onnx, "--count", "6", "--out", dir.File("a.json"));
        var b = CliRunner.Run("frequency", "--weights", dir.File("cnn.safetensors"), "--count", "6", "--out", dir.File("b.json"));
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.True(b.ExitCode == 0, b.Err);
        double ca = JsonNode.Parse(File.ReadAllText(dir.File("a.json")))!["correlation"]!.GetValue<double>();
        double cb = JsonNode.Parse(File.ReadAllText(dir.File("b.json")))!["correlation"]!.GetValue<double>();
        Assert.Equal(cb, ca, 1e-4);
        Assert.Equal(2, CliRunner.Run("frequency", "--onnx", onnx, "--weights", dir.File("cnn.safetensors"), "--count", "2", "--out", dir.File("c.json")).ExitCode);
    }
}
