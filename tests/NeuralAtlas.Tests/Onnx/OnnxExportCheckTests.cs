using System.Text.Json;
using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

/// <summary>
/// The exported zoo models against independent readers (tools/fixtures/onnx_export_check.py): onnx 1.12's full
/// checker and strict shape inference accepted export_*.onnx, whose initializers equal a PyTorch state dict; PyTorch
/// computed the outputs and input gradients of that state dict in the same architecture.
/// </summary>
public class OnnxExportCheckTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    [InlineData("resnet20")]
    [InlineData("transformer")]
    public void ExportOfPyTorchWeightsIsTheCheckedFileAndReproducesPyTorch(string name)
    {
        string file = Fixtures.Path("onnx", $"export_{name}.onnx");
        using (var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("onnx", "export_check.json"))))
        {
            var r = doc.RootElement.GetProperty(name);
            Assert.Equal("ok", r.GetProperty("checker").GetString());
            Assert.Equal(OnnxExport.Opset, r.GetProperty("opset").GetInt32());
        }
        var onnx = OnnxModel.Load(file);
        var net = ModelZoo.Create(name, 1, 28, 10, new Rng(3));
        net.LoadStateDict(onnx.Initializers.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.ToTensor())));

        // What the exporter writes today for these weights is, byte for byte, the file the checker accepted.
        Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(OnnxExport.Build(net, new[] { 1, 28, 28 })),
            $"export_{name}.onnx is not what OnnxExport writes now: rerun tools/fixtures/onnx_export_check.py (see its header)");

        var io = Npz.Read(Fixtures.Path("onnx", $"export_{name}.io.npz"));
        var x = new Var(io["input"].ToTensor());
        var torch = io["output"].ToTensor();
        var back = new OnnxModule(onnx);
        net.Eval();
        back.Eval();
        Tensor ours, imported;
        using (GradMode.NoGrad())
        {
            ours = net.Forward(x).Value;
            imported = back.Forward(x).Value;
        }
        OnnxHookParityTests.Close(torch, ours, $"{name}: zoo model with PyTorch's weights");
        OnnxHookParityTests.Close(torch, imported, $"{name}: exported and re-imported");
        double scale = ours.Data.Max(v => Math.Abs((double)v));
        double err = ours.Data.Zip(imported.Data, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(err <= OnnxExport.Tolerance * scale, $"{name}: re-import differs from the model by {err:E2} (scale {scale:E2})");
        if (name != "transformer") Assert.Equal(0, err);

        // Input gradients of sum(output·w) through the re-imported export equal PyTorch's.
        var xg = new Var(io["input"].ToTensor(), requiresGrad: true);
        F.Sum(F.Mul(back.Forward(xg), F.Const(io["weight"].ToTensor()))).Backward();
        OnnxHookParityTests.Close(io["input_grad"].ToTensor(), xg.Grad!, $"{name}: input gradient through the re-imported export");
    }
}
