using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

public class ElementwiseTests
{
    private static readonly TensorFixture F = TensorFixture.Load("elementwise");

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> Binary = new()
    {
        ["add"] = Ops.Add, ["sub"] = Ops.Sub, ["mul"] = Ops.Mul, ["div"] = Ops.Div, ["pow"] = Ops.Pow,
        ["maximum"] = Ops.Maximum, ["minimum"] = Ops.Minimum, ["eq"] = Ops.Eq, ["ne"] = Ops.Ne,
        ["lt"] = Ops.Lt, ["le"] = Ops.Le, ["gt"] = Ops.Gt, ["ge"] = Ops.Ge,
    };

    public static IEnumerable<object[]> BinaryCases() =>
        from op in Binary.Keys from p in new[] { "same", "row", "outer", "scalar", "left", "mixed" } select new object[] { op, p };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryMatchesTorch(string op, string pairing)
    {
        string c = $"{op}_{pairing}";
        var res = Binary[op](F[c, "in0"], F[c, "in1"]);
        TensorAssert.Close(F[c, "out"], res, what: c);
    }

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Unary = new()
    {
        ["neg"] = Ops.Neg, ["abs"] = Ops.Abs, ["exp"] = Ops.Exp, ["log"] = Ops.Log, ["sqrt"] = Ops.Sqrt, ["rsqrt"] = Ops.Rsqrt,
        ["square"] = Ops.Square, ["tanh"] = Ops.Tanh, ["sigmoid"] = Ops.Sigmoid, ["relu"] = Ops.Relu,
        ["leaky_relu"] = t => Ops.LeakyRelu(t, 0.1f), ["gelu"] = t => Ops.Gelu(t), ["gelu_tanh"] = t => Ops.Gelu(t, tanhApproximation: true),
        ["silu"] = Ops.Silu, ["softplus"] = t => Ops.Softplus(t), ["softplus_b2t3"] = t => Ops.Softplus(t, 2, 3),
        ["erf"] = Ops.Erf, ["clamp"] = t => Ops.Clamp(t, -0.5f, 0.7f), ["clamp_min"] = t => Ops.Clamp(t, min: 0),
        ["sign"] = Ops.Sign, ["reciprocal"] = Ops.Reciprocal,
        ["add_s"] = t => t + 1.5f, ["rsub_s"] = t => 2 - t, ["div_s"] = t => t / 3, ["rdiv_s"] = t => 3 / t,
        ["pow_s"] = t => Ops.Pow(t, 3), ["pow_rs"] = t => Ops.Pow(2, t), ["pow_half"] = t => Ops.Pow(t, 0.5f),
    };

    public static IEnumerable<object[]> UnaryCases() => Unary.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryMatchesTorch(string op)
    {
        var res = Unary[op](F[op, "in0"]);
        TensorAssert.Close(F[op, "out"], res, what: op);
    }

    [Fact]
    public void IncompatibleShapesNameOpAndShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Ops.Add(new Tensor(2, 3), new Tensor(4)));
        Assert.Contains("add", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4]", e.Message);
    }

    [Fact]
    public void LargeBroadcastRunsInParallelChunksCorrectly()
    {
        var rng = new Rng(3);
        var a = Tensor.Randn(rng, 64, 32, 26, 26);
        var b = Tensor.Randn(rng, 32, 1, 1);
        var r = a + b;
        for (int i = 0; i < r.Numel; i += 997)
        {
            int c = i / (26 * 26) % 32;
            Assert.Equal(a.Data[i] + b.Data[c], r.Data[i]);
        }
    }

    [Fact]
    public void ErfMatchesKnownValues()
    {
        // Abramowitz & Stegun table 7.1 values.
        Assert.Equal(0.5204998778130465, SpecialFunctions.Erf(0.5), 14);
        Assert.Equal(0.9953222650189527, SpecialFunctions.Erf(2.0), 14);
        Assert.Equal(0.9999779095030014, SpecialFunctions.Erf(3.0), 14);
        Assert.Equal(1.5374597944280349e-12, SpecialFunctions.Erfc(5.0), 1.5374597944280349e-12 * 1e-12);
        Assert.Equal(-SpecialFunctions.Erf(1.3), SpecialFunctions.Erf(-1.3), 15);
    }
}
