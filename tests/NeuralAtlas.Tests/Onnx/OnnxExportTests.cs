using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
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
    [InlineData("resnet20")]
    [InlineData("transformer")]
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
        if (name is "cnn" or "mlp")
            Assert.Equal(name == "cnn" ? new[] { "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm" }
                : new[] { "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm" }, m.Nodes.Select(n => n.OpType));
        Assert.Equal("input: float32 [batch, 1, 28, 28]", m.Inputs[0].ToString());
        var back = new OnnxModule(m);
        var x = new Tensor(new[] { 3, 1, 28, 28 }, Enumerable.Range(0, 3 * 784).Select(i => (float)Math.Cos(0.11 * i)).ToArray());
        net.Eval();
        back.Eval();
        using var _ = GradMode.NoGrad();
        var want = net.Forward(new Var(x)).Value;
        var got = back.Forward(new Var(x)).Value;
        Assert.Equal(want.Shape, got.Shape);
        double err = want.Data.Zip(got.Data, (a, b) => Math.Abs((double)a - b)).Max(), scale = want.Data.Max(v => Math.Abs((double)v));
        // Exact for the convolution and linear models; the transformer's GELU is written as erf (opset 17 has no Gelu).
        if (name == "transformer") Assert.True(err <= 1e-6 * scale, $"re-import error {err:E2} against scale {scale:E2}");
        else Assert.Equal(want.Data, got.Data);
    }

    [Fact]
    public void ExportedNodeNamesFollowTheModulePathsAndCaptureTheSameActivations()
    {
        var net = ModelZoo.Create("resnet20", 1, 28, 10, new Rng(8));
        net.Eval();
        var back = new OnnxModule(OnnxModel.Parse(OnnxExport.Build(net, new[] { 1, 28, 28 }), "r20.onnx"));
        back.Eval();
        var pairs = new (string Module, string Node)[]
        {
            ("bn1", "/bn1/BatchNormalization"), ("layer1.0.relu2", "/layer1/0/relu2/Relu"),
            ("layer2.0.shortcut", "/layer2/0/shortcut/1/BatchNormalization"), ("avgpool", "/avgpool/GlobalAveragePool"), ("fc", "/fc/Gemm"),
        };
        var x = new Tensor(new[] { 2, 1, 28, 28 }, Enumerable.Range(0, 2 * 784).Select(i => (float)Math.Sin(0.05 * i)).ToArray());
        using var a = new ActivationCapture(net, pairs.Select(p => p.Module));
        using var b = new ActivationCapture(back, pairs.Select(p => p.Node));
        using (GradMode.NoGrad())
        {
            net.Forward(new Var(x));
            back.Forward(new Var(x));
        }
        foreach (var (m, n) in pairs) Assert.Equal(a.Concatenated(m).Data, b.Concatenated(n).Data);
    }

    [Fact]
    public void PostNormEncoderLayersAndSequenceFirstAttentionExportToo()
    {
        // The zoo transformer is pre-norm with GELU and batch-first attention; the other branches of the emitters:
        // a post-norm ReLU layer (PyTorch's default), and a MultiheadAttention taking [L, N, E].
        var rng = new Rng(4);
        var net = new Sequential(
            new TransformerEncoderLayer(16, 4, 32, rng, dropout: 0.1f, activation: "relu"),
            new TransformerEncoderLayer(16, 2, 24, rng, dropout: 0f, activation: "gelu", normFirst: true),
            new MultiheadAttention(16, 4, rng, batchFirst: false));
        using var dir = new TempDir();
        double err = OnnxExport.Save(net, new[] { 5, 16 }, dir.File("t.onnx"));
        Assert.True(err <= OnnxExport.Tolerance);
        var back = new OnnxModule(OnnxModel.Load(dir.File("t.onnx")));
        net.Eval();
        back.Eval();
        var x = new Tensor(new[] { 3, 5, 16 }, Enumerable.Range(0, 240).Select(i => (float)Math.Sin(0.3 * i)).ToArray());
        var xa = new Var(x, requiresGrad: true);
        var xb = new Var(x.Clone(), requiresGrad: true);
        var ya = net.Forward(xa);
        var yb = back.Forward(xb);
        double scale = ya.Value.Data.Max(v => Math.Abs((double)v));
        Assert.True(ya.Value.Data.Zip(yb.Value.Data, (a, b) => Math.Abs((double)a - b)).Max() <= 1e-6 * scale);
        // Gradients through the re-imported graph equal the model's (the exported graph is differentiable, parameters included).
        F.Sum(F.Mul(ya, ya)).Backward();
        F.Sum(F.Mul(yb, yb)).Backward();
        double gs = xa.Grad!.Data.Max(v => Math.Abs((double)v));
        Assert.True(xa.Grad!.Data.Zip(xb.Grad!.Data, (a, b) => Math.Abs((double)a - b)).Max() <= 1e-5 * gs);
        Assert.Equal(net.StateDict().Keys.Order(), back.StateDict().Keys.Order());
        Assert.All(back.Parameters(), p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void OverlappingAndPaddedPoolsExportWithTheirGeometry()
    {
        var rng = new Rng(8);
        var net = new Sequential(new Conv2d(1, 4, 3, rng), new MaxPool2d(3, 2, 1), new AvgPool2d(3, 2, 1), new AvgPool2d(2));
        using var dir = new TempDir();
        Assert.True(OnnxExport.Save(net, new[] { 1, 15, 15 }, dir.File("p.onnx")) <= OnnxExport.Tolerance);
        var m = OnnxModel.Load(dir.File("p.onnx"));
        Assert.Equal(new[] { "Conv", "MaxPool", "AveragePool", "AveragePool" }, m.Nodes.Select(n => n.OpType));
        var back = new OnnxModule(m);
        net.Eval();
        back.Eval();
        var x = new Tensor(new[] { 2, 1, 15, 15 }, Enumerable.Range(0, 450).Select(i => (float)Math.Sin(0.37 * i)).ToArray());
        using var _ = GradMode.NoGrad();
        var want = net.Forward(new Var(x)).Value;
        Assert.Equal(new[] { 2, 4, 2, 2 }, want.Shape); // 15 → conv 13 → max(3,2,1) 7 → avg(3,2,1) 4 → avg(2) 2
        Assert.Equal(want.Data, back.Forward(new Var(x)).Value.Data);
    }

    [Fact]
    public void ModelsWithLayersOutsideTheExportSetAreRefused()
    {
        // Every zoo model exports now; a Softplus (no ONNX emitter) inside a Sequential is refused by name and type.
        using var dir = new TempDir();
        var rng = new Rng(1);
        var net = new Sequential(new Flatten(), new Linear(784, 16, rng), new Softplus(), new Linear(16, 10, rng));
        var e = Assert.Throws<AtlasArgumentException>(() => OnnxExport.Save(net, new[] { 1, 28, 28 }, dir.File("m.onnx")));
        Assert.Contains("layers ONNX export writes", e.Message);
        Assert.Contains("'2' is Softplus", e.Message);
        Assert.False(File.Exists(dir.File("m.onnx")));

        // A module with its own parameters and forward is not taken for a chain of its children.
        var custom = new ScaledLinear(rng);
        e = Assert.Throws<AtlasArgumentException>(() => OnnxExport.Save(custom, new[] { 4 }, dir.File("c.onnx")));
        Assert.Contains("is ScaledLinear", e.Message);
        Assert.False(File.Exists(dir.File("c.onnx")));
    }

    private sealed class ScaledLinear : Module
    {
        private readonly Linear _fc;
        private readonly Var _scale;
        public ScaledLinear(Rng rng)
        {
            _fc = RegisterModule("fc", new Linear(4, 3, rng));
            _scale = RegisterParameter("scale", Tensor.Full(new[] { 3 }, 2f));
        }
        protected override Var OnForward(Var x) => F.Mul(_fc.Forward(x), _scale);
    }
}
