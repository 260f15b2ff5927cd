using System.Text.Json;
using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

/// <summary>
/// Activations captured at ONNX nodes of the four torch.onnx-exported fixture models equal the outputs PyTorch's
/// forward hooks recorded on the corresponding modules (tools/fixtures/onnx_hooks.py, which also chose the node of
/// each module from torch's node-name scopes).
/// </summary>
public class OnnxHookParityTests
{
    private sealed record Hook(string Module, string Node, string Value, string Key);

    private static List<Hook> Hooks(string model)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("onnx", "hooks.json")));
        return doc.RootElement.GetProperty(model).GetProperty("hooks").EnumerateArray()
            .Select(h => new Hook(h.GetProperty("module").GetString()!, h.GetProperty("node").GetString()!, h.GetProperty("value").GetString()!, h.GetProperty("key").GetString()!))
            .ToList();
    }

    /// <summary>Max abs error within 1e-4 of the reference's largest magnitude (the relative tolerance of the issue).</summary>
    internal static void Close(Tensor want, Tensor got, string what)
    {
        Assert.Equal(want.Shape, got.Shape);
        double scale = want.Data.Max(v => Math.Abs((double)v));
        double err = want.Data.Zip(got.Data, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(err <= 1e-4 * Math.Max(scale, 1e-3), $"{what}: max abs error {err:E2} against scale {scale:E2}");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp_gelu")]
    [InlineData("resnet20")]
    [InlineData("transformer")]
    public void ActivationCaptureAtNodesEqualsPyTorchForwardHooks(string name)
    {
        var hooks = Hooks(name);
        var npz = Npz.Read(Fixtures.Path("onnx", $"hooks_{name}.npz"));
        var model = new OnnxModule(OnnxModel.Load(Fixtures.Path("onnx", name + ".onnx")));
        model.Eval();
        using (var cap = new ActivationCapture(model, hooks.Select(h => h.Node)))
        {
            using (GradMode.NoGrad()) model.Forward(new Var(npz["input"].ToTensor()));
            foreach (var h in hooks)
                Close(npz[h.Key].ToTensor(), cap.Concatenated(h.Node), $"{name}: module {h.Module} at node {h.Node}");
        }
        // The same values by value name through LayerTaps, with gradients on (the tap sees the live Var).
        var outs = LayerTaps.Outputs(model, new Var(npz["input"].ToTensor(), requiresGrad: true), hooks.Select(h => h.Value).ToList());
        for (int i = 0; i < hooks.Count; i++)
            Close(npz[hooks[i].Key].ToTensor(), outs[i].Value, $"{name}: value {hooks[i].Value}");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("resnet20")]
    public void ActivationsCommandWritesPyTorchsHookValues(string name)
    {
        var hooks = Hooks(name);
        var npz = Npz.Read(Fixtures.Path("onnx", $"hooks_{name}.npz"));
        using var dir = new TempDir();
        var r = CliRunner.Run("activations", "--onnx", Fixtures.Path("onnx", name + ".onnx"), "--data", Fixtures.Path("onnx", "hook_images"),
            "--layers", string.Join(",", hooks.Select(h => h.Node)), "--count", "3", "--with-inputs", "--out", dir.File("a.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var acts = Npz.Read(dir.File("a.npz"));
        // The data loader's pixel/255 is the fixture's input, exactly.
        Assert.Equal(npz["input"].ToTensor().Data, acts["inputs"].ToTensor().Data);
        foreach (var h in hooks) Close(npz[h.Key].ToTensor(), acts[h.Node].ToTensor(), $"{name}: atlas activations at {h.Node} ({h.Module})");
    }
}
