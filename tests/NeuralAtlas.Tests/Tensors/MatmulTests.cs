using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

public class MatmulTests
{
    private static readonly TensorFixture F = TensorFixture.Load("matmul");

    [Theory]
    [InlineData("dot", false, false)]
    [InlineData("mv", false, false)]
    [InlineData("vm", false, false)]
    [InlineData("mm", false, false)]
    [InlineData("bmm_shared", false, false)]
    [InlineData("bcast", false, false)]
    [InlineData("vbatch", false, false)]
    [InlineData("odd", false, false)]
    [InlineData("big", false, false)]
    [InlineData("tA", true, false)]
    [InlineData("tB", false, true)]
    [InlineData("tAB", true, true)]
    [InlineData("bvec", false, false)]
    public void MatmulMatchesTorch(string name, bool ta, bool tb)
    {
        string c = $"matmul_{name}";
        var res = Ops.Matmul(F[c, "in0"], F[c, "in1"], ta, tb);
        TensorAssert.Close(F[c, "out"], res, 1e-4, 1e-5, c);
    }

    [Fact]
    public void InnerDimensionMismatchNamesShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Ops.Matmul(new Tensor(2, 3), new Tensor(4, 5)));
        Assert.Contains("matmul", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }
}
