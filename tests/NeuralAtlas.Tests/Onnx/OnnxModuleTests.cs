using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxModuleTests
{
    private static void Close(float[] want, float[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        double scale = want.Max(v => Math.Abs((double)v));
        double err = want.Zip(got, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(err <= 1e-4 * Math.Max(scale, 1e-3), $"{what}: max abs error {err:E2} against scale {scale:E2}");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp_gelu")]
    [InlineData("resnet20")]
    [InlineData("transformer")]
    [InlineData("ops_convtranspose")]
    [InlineData("ops_shape")]
    [InlineData("ops_groupnorm")]
    [InlineData("ops_resize_linear")]
    [InlineData("ops_resize_half_pixel")]
    [InlineData("ops_resize_pytorch_half_pixel")]
    [InlineData("ops_resize_asymmetric")]
    [InlineData("ops_pad_modes")]
    public void OutputsAndInputGradientsMatchPyTorch(string name)
    {
        var io = Npz.Read(Fixtures.Path("onnx", name + ".io.npz"));
        var model = new OnnxModule(OnnxModel.Load(Fixtures.Path("onnx", name + ".onnx")));
        model.Eval();
        var x = new Var(io["input"].ToTensor(), requiresGrad: true);
        var y = model.Forward(x);
        Close(io["output"].ToTensor().Data, y.Value.Data, name + " output");
        var loss = F.Sum(F.Mul(y, F.Const(io["weight"].ToTensor())));
        loss.Backward();
        Close(io["input_grad"].ToTensor().Data, x.Grad!.Data, name + " input gradient");
        // Parameters are trainable and received gradients too.
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void ParametersKeepTheInitializerNamesAndEveryNodeOutputCanBeCaptured()
    {
        var m = OnnxModel.Load(Fixtures.Path("onnx", "cnn.onnx"));
        var model = new OnnxModule(m);
        Assert.Equal(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }.Order(),
            model.StateDict().Keys.Order());
        var io = Npz.Read(Fixtures.Path("onnx", "cnn.io.npz"));
        var values = model.Run(io["input"].ToTensor());
        // fc1's ReLU output then fc2 gives the logits: check the captured value is the real intermediate.
        var relu = values["/Relu_2_output_0"];
        Assert.Equal(new[] { 2, 128 }, relu.Shape);
        Assert.All(relu.Value.Data, v => Assert.True(v >= 0));
        var logits = F.Add(F.MatMul(relu, model.StateDict()["fc2.weight"], transB: true), model.StateDict()["fc2.bias"]);
        Close(values["logits"].Value.Data, logits.Value.Data, "logits from captured fc1 activation");
    }

    [Fact]
    public void ShapeArithmeticIsReEvaluatedForEachInputShape()
    {
        // ops_shape.onnx computes its mask, divisor and expansion from the input's batch and width at run time:
        // where(arange(w) == 2, 3x, tanh x) / n, then x[:, :1] expanded to 3 channels, concatenated on channels.
        var model = new OnnxModule(OnnxModel.Load(Fixtures.Path("onnx", "ops_shape.onnx")));
        int n = 3, w = 7;
        var x = new NeuralAtlas.Tensors.Tensor(new[] { n, 1, w }, Enumerable.Range(0, n * w).Select(i => (float)Math.Sin(i)).ToArray());
        var y = model.Forward(new Var(x)).Value;
        Assert.Equal(new[] { n, 4, w }, y.Shape);
        for (int b = 0; b < n; b++)
            for (int j = 0; j < w; j++)
            {
                float v = x.Data[b * w + j];
                Assert.Equal((j == 2 ? 3 * v : MathF.Tanh(v)) / n, y.Data[(b * 4) * w + j], 5);
                for (int c = 1; c < 4; c++) Assert.Equal(v, y.Data[(b * 4 + c) * w + j]);
            }
    }

    [Fact]
    public void UnsupportedOperatorsAreNamedBeforeAnythingRuns()
    {
        var e = Assert.Throws<AtlasFormatException>(() => new OnnxModule(OnnxModel.Load(Fixtures.Path("onnx", "typed_fields.onnx"))));
        Assert.Contains("node 'weird0' is Einsum", e.Message);
        Assert.Equal(2, e.Offset);
    }
}
