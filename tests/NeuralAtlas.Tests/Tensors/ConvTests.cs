using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

/// <summary>conv2d / conv_transpose2d forward and backward kernels against PyTorch's outputs and autograd gradients.</summary>
public class ConvTests
{
    private static readonly TensorFixture F = TensorFixture.Load("conv");

    private static readonly Dictionary<string, ((int, int) s, (int, int) p, (int, int) d, int g)> Conv = new()
    {
        ["basic"] = ((1, 1), (0, 0), (1, 1), 1),
        ["stride_pad"] = ((2, 3), (1, 2), (1, 1), 1),
        ["dilated"] = ((1, 1), (2, 2), (2, 1), 1),
        ["groups"] = ((2, 2), (1, 1), (1, 1), 3),
        ["depthwise"] = ((1, 1), (2, 2), (1, 1), 4),
        ["pointwise"] = ((1, 1), (0, 0), (1, 1), 1),
        ["ref1"] = ((1, 1), (0, 0), (1, 1), 1),
        ["ref2"] = ((1, 1), (0, 0), (1, 1), 1),
    };

    public static IEnumerable<object[]> ConvNames() => Conv.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(ConvNames))]
    public void Conv2dForwardAndBackwardMatchTorch(string name)
    {
        string c = $"conv_{name}";
        var (s, p, d, g) = Conv[name];
        var x = F[c, "x"];
        var w = F[c, "w"];
        var b = F.Has(c, "b") ? F[c, "b"] : null;
        var gy = F[c, "gy"];
        TensorAssert.Close(F[c, "out"], Ops.Conv2d(x, w, b, s, p, d, g), 1e-4, 1e-5, c + " forward");
        TensorAssert.Close(F[c, "gx"], Ops.Conv2dBackwardInput(gy, w, x.Shape, s, p, d, g), 1e-4, 1e-5, c + " grad input");
        TensorAssert.Close(F[c, "gw"], Ops.Conv2dBackwardWeight(x, gy, w.Shape, s, p, d, g), 1e-4, 1e-4, c + " grad weight");
        if (b is not null) TensorAssert.Close(F[c, "gb"], Ops.Conv2dBackwardBias(gy), 1e-4, 1e-4, c + " grad bias");
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("groups_dil")]
    public void ConvTranspose2dForwardAndBackwardMatchTorch(string name)
    {
        string c = $"convt_{name}";
        var (s, p, op, g, d) = name == "basic"
            ? ((2, 2), (1, 1), (1, 1), 1, (1, 1))
            : ((2, 1), (1, 0), (1, 0), 2, (1, 2));
        var x = F[c, "x"];
        var w = F[c, "w"];
        var gy = F[c, "gy"];
        TensorAssert.Close(F[c, "out"], Ops.ConvTranspose2d(x, w, F[c, "b"], s, p, op, g, d), 1e-4, 1e-5, c + " forward");
        TensorAssert.Close(F[c, "gx"], Ops.ConvTranspose2dBackwardInput(gy, w, s, p, g, d), 1e-4, 1e-5, c + " grad input");
        TensorAssert.Close(F[c, "gw"], Ops.ConvTranspose2dBackwardWeight(x, gy, w.Shape, s, p, g, d), 1e-4, 1e-4, c + " grad weight");
        TensorAssert.Close(F[c, "gb"], Ops.Conv2dBackwardBias(gy), 1e-4, 1e-4, c + " grad bias");
    }

    [Fact]
    public void SerialAndParallelAgree()
    {
        var rng = new Rng(5);
        var x = Tensor.Randn(rng, 5, 4, 9, 9);
        var w = Tensor.Randn(rng, 6, 2, 3, 3);
        var par = Ops.Conv2d(x, w, null, 1, 1, 1, 2);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            TensorAssert.Close(par, Ops.Conv2d(x, w, null, 1, 1, 1, 2), 1e-6, 1e-6);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void BadShapesAreNamed()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(new Tensor(1, 3, 8, 8), new Tensor(4, 2, 3, 3)));
        Assert.Contains("conv2d", e.Message);
        Assert.Contains("[1, 3, 8, 8]", e.Message);
        Assert.Contains("[4, 2, 3, 3]", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Ops.Conv2d(new Tensor(1, 3, 2, 2), new Tensor(4, 3, 3, 3)));
        Assert.Throws<AtlasArgumentException>(() => Ops.Conv2d(new Tensor(1, 3, 8, 8), new Tensor(4, 3, 3, 3), stride: 0));
    }
}
