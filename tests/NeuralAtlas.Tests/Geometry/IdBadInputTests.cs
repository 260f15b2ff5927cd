using NeuralAtlas.Geometry;
using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Tests.Geometry;

public class IdBadInputTests
{
    private static DMatrix Cloud(int n, int d = 3, ulong seed = 1) => ManifoldSamples.LinearSubspace(n, d, d, seed);

    [Fact]
    public void FewerPointsThanNeighbours()
    {
        var e = Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(Cloud(15), IdEstimator.Mle, new IdOptions { K = 20 }));
        Assert.Contains("at least 21", e.Message);
    }

    [Fact]
    public void AllPointsIdentical()
    {
        var x = new DMatrix(50, 4);
        foreach (var est in Enum.GetValues<IdEstimator>())
        {
            var e = Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, est, new IdOptions { Duplicates = DuplicatePolicy.Remove }));
            Assert.Contains("identical", e.Message);
        }
    }

    [Fact]
    public void NaNIsNamed()
    {
        var x = Cloud(100);
        x[17, 2] = double.NaN;
        var e = Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.TwoNN));
        Assert.Contains("(17, 2)", e.Message);
    }

    [Fact]
    public void DuplicatesAreReportedOrRemovedNeverLogged()
    {
        var x = Cloud(200, 2);
        var dup = new DMatrix(203, 2);
        x.Data.CopyTo(dup.Data, 0);
        x.Row(5).CopyTo(dup.Row(200));
        x.Row(5).CopyTo(dup.Row(201));
        x.Row(9).CopyTo(dup.Row(202));
        var err = Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(dup, IdEstimator.Mle));
        Assert.Contains("row 200 equals row 5", err.Message);

        foreach (var est in Enum.GetValues<IdEstimator>())
        {
            var removed = IntrinsicDimension.Estimate(dup, est, new IdOptions { Duplicates = DuplicatePolicy.Remove });
            var clean = IntrinsicDimension.Estimate(x, est);
            Assert.Equal(3, removed.DuplicatesRemoved);
            Assert.Equal(clean.Value, removed.Value);
            if (removed.Pointwise is { } pw)
            {
                Assert.Equal(203, pw.Length);
                Assert.Equal(pw[5], pw[200]);
                Assert.Equal(pw[9], pw[202]);
                Assert.All(pw, v => Assert.True(double.IsFinite(v)));
            }
        }
    }

    [Fact]
    public void LatticeNeighbourhoodsAreAClearErrorNotInfinity()
    {
        // A regular grid: every interior point's 4 nearest neighbours are equidistant.
        var x = new DMatrix(100, 2);
        for (int i = 0; i < 100; i++) { x[i, 0] = i % 10; x[i, 1] = i / 10; }
        var e = Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.Mle, new IdOptions { K = 4 }));
        Assert.Contains("equidistant", e.Message);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        var x = Cloud(100);
        Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.TwoNN, new IdOptions { DiscardFraction = 1 }));
        Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.Gride, new IdOptions { GrideN1 = 3, GrideN2 = 2 }));
        Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.Mle, new IdOptions { K = 1 }));
        Assert.Throws<AtlasArgumentException>(() => IntrinsicDimension.Estimate(x, IdEstimator.Mle, new IdOptions { Confidence = 1.5, Bootstrap = 10 }));
    }

    [Fact]
    public void BootstrapIsSeededAndBracketsTheEstimate()
    {
        var x = ManifoldSamples.Sphere(1000, 4, 8, 2);
        var a = IntrinsicDimension.Estimate(x, IdEstimator.TwoNN, new IdOptions { Bootstrap = 200, Seed = 5 });
        var b = IntrinsicDimension.Estimate(x, IdEstimator.TwoNN, new IdOptions { Bootstrap = 200, Seed = 5 });
        var c = IntrinsicDimension.Estimate(x, IdEstimator.TwoNN, new IdOptions { Bootstrap = 200, Seed = 6 });
        Assert.Equal(a.Lower, b.Lower);
        Assert.Equal(a.Upper, b.Upper);
        Assert.NotEqual(a.Lower, c.Lower);
        Assert.True(a.Lower < a.Value && a.Value < a.Upper, $"{a.Lower} < {a.Value} < {a.Upper}");
        // The TwoNN estimate's standard error is ≈ d/√N: the 95% interval is a few tenths wide here, not tiny, not huge.
        Assert.InRange(a.Upper - a.Lower, 0.1, 1.5);
        Assert.False(IntrinsicDimension.Estimate(x, IdEstimator.TwoNN).HasInterval);
    }
}
