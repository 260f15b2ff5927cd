using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

/// <summary>Pooling and interpolation forward and backward against PyTorch (outputs, indices, autograd gradients).</summary>
public class PoolTests
{
    private static readonly TensorFixture F = TensorFixture.Load("pool");

    [Theory]
    [InlineData("maxpool_k2", 2, 2, 0, 1, false)]
    [InlineData("maxpool_k3s2p1", 3, 2, 1, 1, false)]
    [InlineData("maxpool_ceil_dil", 3, 2, 1, 2, true)]
    public void MaxPoolMatchesTorch(string c, int k, int s, int p, int d, bool ceil)
    {
        var x = F[c, "x"];
        var y = Ops.MaxPool2d(x, k, s, p, out var idx, d, ceil);
        TensorAssert.Close(F[c, "out"], y, 0, 0, c);
        Assert.Equal(F[c, "idx"].Data, idx.Select(i => (float)i).ToArray());
        TensorAssert.Close(F[c, "gx"], Ops.MaxPool2dBackward(F[c, "gy"], idx, x.Shape), 1e-6, 1e-6, c + " grad");
    }

    [Theory]
    [InlineData("avgpool_k2")]
    [InlineData("avgpool_k3s2p1")]
    [InlineData("avgpool_excl_ceil")]
    [InlineData("avgpool_div")]
    public void AvgPoolMatchesTorch(string c)
    {
        var (k, s, p, ceil, incl, div) = c switch
        {
            "avgpool_k2" => ((2, 2), (2, 2), (0, 0), false, true, (int?)null),
            "avgpool_k3s2p1" => ((3, 3), (2, 2), (1, 1), false, true, null),
            "avgpool_excl_ceil" => ((3, 3), (2, 2), (1, 1), true, false, null),
            _ => ((3, 2), (2, 2), (1, 1), false, true, 5),
        };
        var x = F[c, "x"];
        TensorAssert.Close(F[c, "out"], Ops.AvgPool2d(x, k, s, p, ceil, incl, div), 1e-5, 1e-6, c);
        TensorAssert.Close(F[c, "gx"], Ops.AvgPool2dBackward(F[c, "gy"], x.Shape, k, s, p, ceil, incl, div), 1e-5, 1e-6, c + " grad");
    }

    [Theory]
    [InlineData("adaptive_4x3", 4, 3)]
    [InlineData("adaptive_1x1", 1, 1)]
    [InlineData("adaptive_up", 13, 9)]
    public void AdaptiveAvgPoolMatchesTorch(string c, int oh, int ow)
    {
        var x = F[c, "x"];
        TensorAssert.Close(F[c, "out"], Ops.AdaptiveAvgPool2d(x, oh, ow), 1e-5, 1e-6, c);
        TensorAssert.Close(F[c, "gx"], Ops.AdaptiveAvgPool2dBackward(F[c, "gy"], x.Shape), 1e-5, 1e-6, c + " grad");
    }

    [Theory]
    [InlineData("interp_nearest_up", InterpolateMode.Nearest, false)]
    [InlineData("interp_nearest_down", InterpolateMode.Nearest, false)]
    [InlineData("interp_bilinear_hp_up", InterpolateMode.Bilinear, false)]
    [InlineData("interp_bilinear_hp_down", InterpolateMode.Bilinear, false)]
    [InlineData("interp_bilinear_ac_up", InterpolateMode.Bilinear, true)]
    [InlineData("interp_bilinear_ac_down", InterpolateMode.Bilinear, true)]
    public void InterpolateMatchesTorch(string c, InterpolateMode mode, bool ac)
    {
        var x = F[c, "x"];
        var expect = F[c, "out"];
        TensorAssert.Close(expect, Ops.Interpolate(x, expect.Shape[2], expect.Shape[3], mode, ac), 1e-5, 1e-6, c);
        TensorAssert.Close(F[c, "gx"], Ops.InterpolateBackward(F[c, "gy"], x.Shape, mode, ac), 1e-5, 1e-5, c + " grad");
    }
}

public class ParallelErrorTests
{
    [Fact]
    public void TypedErrorsThrownInsideParallelKernelsSurfaceUnwrapped()
    {
        // Many planes so the backward kernel runs on several threads; one bad index must still give AtlasArgumentException.
        var grad = Tensor.Ones(64, 64, 4, 4);
        var idx = new int[grad.Numel];
        idx[^1] = 1000;
        Assert.Throws<AtlasArgumentException>(() => Ops.MaxPool2dBackward(grad, idx, new[] { 64, 64, 8, 8 }));
    }
}
