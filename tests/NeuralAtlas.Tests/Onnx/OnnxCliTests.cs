using System.Globalization;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxCliTests
{
    [Fact]
    public void EvalAndActivationsRunAnOnnxModelWithNodeNamesAsLayers()
    {
        using var dir = new TempDir();
        string cnn = Fixtures.Path("onnx", "cnn.onnx"), acts = dir.File("a.npz");
        var e = CliRunner.Run("eval", "--onnx", cnn);
        Assert.True(e.ExitCode == 0, e.Err);
        double acc = double.Parse(e.Out.Split('\t')[1], CultureInfo.InvariantCulture);

        // 2000 images cross the 256-image batches; node names (/Relu_2) and value names (logits) both work.
        var a = CliRunner.Run("activations", "--onnx", cnn, "--layers", "/fc1/Gemm,/Relu_2,logits", "--count", "2000", "--out", acts);
        Assert.True(a.ExitCode == 0, a.Err);
        var npz = Npz.Read(acts);
        var fc1 = npz["/fc1/Gemm"].ToTensor();
        var relu = npz["/Relu_2"].ToTensor();
        var logits = npz["logits"].ToTensor();
        var labels = npz["labels"].ToInt64s();
        Assert.Equal(new[] { 2000, 128 }, relu.Shape);
        Assert.Equal(new[] { 2000, 10 }, logits.Shape);
        Assert.Equal(fc1.Data.Select(v => Math.Max(v, 0f)), relu.Data);
        // eval's accuracy is the argmax accuracy of the captured logits.
        int correct = 0;
        for (int i = 0; i < 2000; i++)
        {
            var row = logits.Data.AsSpan(i * 10, 10).ToArray();
            if (Array.IndexOf(row, row.Max()) == labels[i]) correct++;
        }
        Assert.Equal(Math.Round(correct / 2000.0, 4), acc, 4);
    }

    [Fact]
    public void OnnxAndWeightsTogetherOrAnUnknownLayerAreOneLineErrors()
    {
        string cnn = Fixtures.Path("onnx", "cnn.onnx");
        var r = CliRunner.Run("eval", "--onnx", cnn, "--weights", "w.safetensors");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("exactly one", r.Err);
        r = CliRunner.Run("activations", "--onnx", cnn, "--layers", "/nope/Conv", "--count", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'/nope/Conv' is neither a node name nor a value", r.Err);
        Assert.Equal(2, CliRunner.Run("eval").ExitCode);
    }
}
