using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Autograd;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Nn;

/// <summary>State dict names and loading, hooks, modes, and the reference CNN with PyTorch's weights.</summary>
public class ModuleTests
{
    [Fact]
    public void ReferenceCnnStateDictHasPyTorchNames()
    {
        var m = new ReferenceCnn(new Rng(0));
        var sd = m.StateDict();
        Assert.Equal(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, sd.Keys);
        Assert.Equal(new[] { 32, 1, 3, 3 }, sd["conv1.weight"].Shape);
        Assert.Equal(new[] { 128, 1600 }, sd["fc1.weight"].Shape);
    }

    [Fact]
    public void PyTorchWeightsGiveTheSameLogits()
    {
        var model = ModelFile.Load(Fixtures.Path("nn", "cnn.safetensors"), new ModelSpec("cnn", 1, 28, 10)).Model;
        var io = Reference.Load("cnn_io.npz");
        Tensor logits;
        using (GradMode.NoGrad()) logits = model.Forward(new Var(io["x"])).Value;
        Reference.Close(io["logits"], logits, 1e-5, "cnn logits");
    }

    [Fact]
    public void ResNet20NamesFollowTorchvisionStyle()
    {
        var sd = new ResNet20(new Rng(0), inChannels: 1).StateDict();
        Assert.Contains("layer1.0.conv1.weight", sd.Keys);
        Assert.Contains("layer2.0.shortcut.0.weight", sd.Keys);
        Assert.Contains("layer2.0.shortcut.1.running_var", sd.Keys);
        Assert.Contains("bn1.num_batches_tracked", sd.Keys);
        Assert.Equal(new[] { 10, 64 }, sd["fc.weight"].Shape);
        // 0.27M parameters as in He et al. (2016), Table 6 (with option-B shortcuts a little more).
        long count = new ResNet20(new Rng(0)).ParameterCount();
        Assert.InRange(count, 269_000, 280_000);
    }

    [Fact]
    public void StrictLoadNamesMissingUnexpectedAndMisShaped()
    {
        var m = new ReferenceCnn(new Rng(0));
        var sd = new ReferenceCnn(new Rng(1)).StateDict();
        sd.Remove("fc2.bias");
        sd.Add("fc3.weight", new Tensor(2, 2));
        sd["conv1.bias"] = new Tensor(31);
        var before = m.Conv1.Weight.Value.Data[0];
        var e = Assert.Throws<AtlasArgumentException>(() => m.LoadStateDict(sd));
        Assert.Contains("missing: fc2.bias", e.Message);
        Assert.Contains("unexpected: fc3.weight", e.Message);
        Assert.Contains("conv1.bias (expected [32], got [31])", e.Message);
        Assert.Equal(before, m.Conv1.Weight.Value.Data[0]); // nothing loaded
        var r = m.LoadStateDict(sd, strict: false);
        Assert.Equal(new[] { "fc2.bias" }, r.Missing);
        Assert.NotEqual(before, m.Conv1.Weight.Value.Data[0]);
    }

    [Fact]
    public void StateDictRoundTripsThroughSafetensors()
    {
        using var dir = new TempDir();
        var m = new TransformerClassifier(new Rng(3));
        ModelFile.Save(dir.File("t.safetensors"), m, new ModelSpec("transformer", 1, 28, 10));
        var (loaded, spec) = ModelFile.Load(dir.File("t.safetensors"));
        Assert.Equal("transformer", spec.Name);
        var x = new Var(new Tensor(2, 1, 28, 28));
        m.Eval();
        using (GradMode.NoGrad())
            Assert.Equal(m.Forward(x).Value.Data, loaded.Forward(x).Value.Data);
        Assert.Contains("layers.0.self_attn.in_proj_weight", m.StateDict().Keys);
    }

    [Fact]
    public void HooksCaptureNamedSubmodulesAndCanBeRemoved()
    {
        var m = new ReferenceCnn(new Rng(0));
        var x = new Var(new Tensor(3, 1, 28, 28));
        using (var cap = new ActivationCapture(m, new[] { "relu1", "pool2", "fc1" }))
        {
            using (GradMode.NoGrad()) { m.Forward(x); m.Forward(x); }
            Assert.Equal(new[] { 6, 32, 26, 26 }, cap.Concatenated("relu1").Shape);
            Assert.Equal(new[] { 6, 64, 5, 5 }, cap.Concatenated("pool2").Shape);
            Assert.Equal(new[] { 6, 128 }, cap.Concatenated("fc1").Shape);
        }
        int calls = 0;
        var h = m.GetSubmodule("fc2").RegisterForwardHook((_, _, _) => calls++);
        m.Forward(x);
        h.Dispose();
        m.Forward(x);
        Assert.Equal(1, calls);
        Assert.Throws<AtlasArgumentException>(() => m.GetSubmodule("conv9"));
    }

    [Fact]
    public void DropoutOnlyInTrainingAndKeepsTheMean()
    {
        var d = new Dropout(0.5f, new Rng(0));
        var x = new Var(Tensor.Full(new[] { 10000 }, 1f));
        var y = d.Forward(x).Value;
        Assert.Contains(0f, y.Data);
        Assert.InRange(y.Data.Average(), 0.95, 1.05);
        d.Eval();
        Assert.Equal(x.Value.Data, d.Forward(x).Value.Data);
    }

    [Fact]
    public void DefaultInitialisationHasPyTorchBounds()
    {
        // kaiming_uniform(a=√5) on [out, in] gives U(±1/√in); bias U(±1/√in).
        var l = new Linear(400, 50, new Rng(0));
        float bound = 1 / MathF.Sqrt(400);
        Assert.All(l.Weight.Value.Data, w => Assert.InRange(w, -bound, bound));
        Assert.InRange(l.Weight.Value.Data.Max(), 0.95f * bound, bound);
        Assert.All(l.Bias!.Value.Data, b => Assert.InRange(b, -bound, bound));
        double var = l.Weight.Value.Data.Select(w => (double)w * w).Average();
        Assert.InRange(var, 0.9 * bound * bound / 3, 1.1 * bound * bound / 3); // variance of U(±b) is b²/3
    }
}
