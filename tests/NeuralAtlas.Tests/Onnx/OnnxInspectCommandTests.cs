using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxInspectCommandTests
{
    [Fact]
    public void ListsInputsOutputsNodesOpsetsAndUnsupportedOperators()
    {
        var r = CliRunner.Run("onnx", "inspect", Fixtures.Path("onnx", "cnn.onnx"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("opsets: ai.onnx 13", r.Out);
        Assert.Contains("  input: float32 [batch, 1, 28, 28]", r.Out);
        Assert.Contains("  logits: float32 [batch, 10]", r.Out);
        Assert.Contains("\t/conv1/Conv\tConv\tinput,conv1.weight,conv1.bias\t/conv1/Conv_output_0", r.Out);
        Assert.Contains("unsupported operators: none", r.Out);
        // conv1 32·1·3·3+32, conv2 64·32·3·3+64, fc1 1600·128+128, fc2 128·10+10
        Assert.Contains($"initializers: 8 ({320 + 18496 + 204928 + 1290} floating-point values)", r.Out);

        r = CliRunner.Run("onnx", "inspect", "--no-nodes", Fixtures.Path("onnx", "typed_fields.onnx"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("unsupported operators: Einsum", r.Out);
        Assert.Contains("node 2 'weird0': Einsum", r.Out);
        Assert.DoesNotContain("matmul0", r.Out);
    }

    [Fact]
    public void BadFilesExitTwoWithOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("cut.onnx"), File.ReadAllBytes(Fixtures.Path("onnx", "cnn.onnx")).AsSpan(0, 999).ToArray());
        var r = CliRunner.Run("onnx", "inspect", dir.File("cut.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("atlas: error: " + dir.File("cut.onnx") + ": at byte offset", r.Err);
        Assert.Equal(2, CliRunner.Run("onnx", "inspect", dir.File("missing.onnx")).ExitCode);
    }
}
