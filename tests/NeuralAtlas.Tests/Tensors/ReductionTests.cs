using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

public class ReductionTests
{
    private static readonly TensorFixture F = TensorFixture.Load("reductions");

    private static readonly Dictionary<string, int[]?> Axes = new()
    {
        ["all"] = null, ["a1"] = new[] { 1 }, ["a02"] = new[] { 0, 2 }, ["a12"] = new[] { 1, 2 }, ["a3"] = new[] { 3 }, ["am10"] = new[] { -1, 0 },
    };

    private static readonly Dictionary<string, Func<Tensor, int[]?, bool, Tensor>> Reducers = new()
    {
        ["sum"] = (t, a, k) => Ops.Sum(t, a, k), ["mean"] = (t, a, k) => Ops.Mean(t, a, k),
        ["var"] = (t, a, k) => Ops.Var(t, a, true, k), ["varb"] = (t, a, k) => Ops.Var(t, a, false, k),
        ["logsumexp"] = (t, a, k) => Ops.LogSumExp(t, a, k), ["amax"] = (t, a, k) => Ops.Max(t, a, k), ["amin"] = (t, a, k) => Ops.Min(t, a, k),
    };

    public static IEnumerable<object[]> AxisCases() =>
        from r in Reducers.Keys from a in Axes.Keys from k in new[] { false, true } select new object[] { r, a, k };

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void ReductionOverAxesMatchesTorch(string op, string axes, bool keep)
    {
        string c = $"{op}_{axes}_{(keep ? "k" : "n")}";
        var res = Reducers[op](F[c, "in0"], Axes[axes], keep);
        TensorAssert.Close(F[c, "out"], res, 1e-5, 1e-5, c);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void MaxMinArgmaxSoftmaxAlongAxis(int ax)
    {
        var x = F[$"maxdim_{ax}", "in0"];
        var v = Ops.Max(x, ax, false, out var idx);
        TensorAssert.Close(F[$"maxdim_{ax}", "out"], v);
        Assert.Equal(F[$"maxdim_{ax}", "idx"].Data, idx.Select(i => (float)i).ToArray());
        var mn = Ops.Min(x, ax, true, out var midx);
        TensorAssert.Close(F[$"mindim_{ax}", "out"], mn);
        Assert.Equal(F[$"mindim_{ax}", "idx"].Data, midx.Select(i => (float)i).ToArray());
        TensorAssert.Close(F[$"argmax_{ax}", "out"], Ops.Argmax(x, ax), 0, 0);
        TensorAssert.Close(F[$"softmax_{ax}", "out"], Ops.Softmax(F[$"softmax_{ax}", "in0"], ax), 1e-5, 1e-7);
        TensorAssert.Close(F[$"log_softmax_{ax}", "out"], Ops.LogSoftmax(F[$"log_softmax_{ax}", "in0"], ax), 1e-5, 1e-6);
    }

    [Fact]
    public void ArgmaxFlatAndLongReductions()
    {
        TensorAssert.Close(F["argmax_flat", "out"], Ops.Argmax(F["argmax_flat", "in0"]), 0, 0);
        TensorAssert.Close(F["sum_long", "out"], Ops.Sum(F["sum_long", "in0"]), 1e-4, 0);
        TensorAssert.Close(F["var_long", "out"], Ops.Var(F["var_long", "in0"]), 1e-4, 0);
    }

    [Theory]
    [InlineData("s315", new[] { 3, 1, 5 })]
    [InlineData("s141", new[] { 1, 4, 1 })]
    [InlineData("s5", new[] { 5 })]
    [InlineData("s2345", new[] { 2, 3, 4, 5 })]
    [InlineData("s1", new[] { 1 })]
    public void SumToShapeMatchesTorchAutograd(string name, int[] shape)
    {
        string c = $"sumtoshape_{name}";
        TensorAssert.Close(F[c, "out"], Ops.SumToShape(F[c, "in0"], shape), 1e-5, 1e-6, c);
    }

    [Fact]
    public void SoftmaxOfMinusInfinityRowsIsFinite()
    {
        var t = Tensor.FromArray(new[] { float.NegativeInfinity, 0f, 1f, float.NegativeInfinity }, 2, 2);
        var s = Ops.Softmax(t, 1);
        Assert.Equal(0f, s[0, 0]);
        Assert.Equal(1f, s[0, 1]);
        Assert.Equal(1f, s[1, 0]);
        Assert.Equal(0f, s[1, 1]);
    }

    [Fact]
    public void EmptyReductionThrowsTyped()
    {
        Assert.Throws<ShapeMismatchException>(() => Ops.Mean(new Tensor(3, 0), new[] { 1 }));
        Assert.Throws<AtlasArgumentException>(() => Ops.Sum(new Tensor(3, 2), new[] { 2 }));
    }
}
