using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

/// <summary>Bad or degenerate input: a typed error naming the argument, or a documented finite result; never NaN.</summary>
public class BadInputTests
{
    public static IEnumerable<object[]> Names() => SimilarityMeasures.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Names))]
    public void DifferingRowCountsAreAShapeError(string name)
    {
        var rng = new Rng(1);
        var e = Assert.Throws<ShapeMismatchException>(() => SimilarityMeasures.Create(name).Compute(TestData.Gaussian(rng, 20, 3), TestData.Gaussian(rng, 21, 3)));
        Assert.Contains("[20, 3]", e.Message);
        Assert.Contains("[21, 3]", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void NonFiniteValuesAreRejected(string name)
    {
        var rng = new Rng(2);
        var x = TestData.Gaussian(rng, 20, 3);
        var y = TestData.Gaussian(rng, 20, 3);
        x[4, 1] = double.NaN;
        var e = Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create(name).Compute(x, y));
        Assert.Equal("X", e.Argument);
        Assert.Contains("(4, 1)", e.Message);
        x[4, 1] = 0;
        y[0, 2] = double.PositiveInfinity;
        Assert.Equal("Y", Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create(name).Compute(x, y)).Argument);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TooFewSamplesAreRejected(string name)
    {
        var m = SimilarityMeasures.Create(name);
        var rng = new Rng(3);
        int n = m.Traits.MinSamples - 1;
        var e = Assert.Throws<AtlasArgumentException>(() => m.Compute(TestData.Gaussian(rng, n, 3), TestData.Gaussian(rng, n, 3)));
        Assert.Contains($"at least {m.Traits.MinSamples} samples", e.Message);
        // and exactly the minimum works (or names a degenerate input), never NaN
        n = m.Traits.MinSamples;
        try { Assert.True(double.IsFinite(m.Compute(TestData.Gaussian(rng, n, 3), TestData.Gaussian(rng, n, 3)))); }
        catch (AtlasArgumentException) { }
    }

    [Fact]
    public void DebiasedCkaNeedsFourSamples() =>
        Assert.Contains("at least 4 samples", Assert.Throws<AtlasArgumentException>(() => new DebiasedCka().Compute(new DMatrix(3, 2, new double[] { 1, 2, 3, 4, 5, 7 }), new DMatrix(3, 1, new double[] { 1, 2, 4 }))).Message);

    [Theory]
    [MemberData(nameof(Names))]
    public void AllZeroInputIsAnErrorNamingIt(string name)
    {
        var rng = new Rng(4);
        var e = Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create(name).Compute(new DMatrix(20, 3), TestData.Gaussian(rng, 20, 3)));
        Assert.Equal("X", e.Argument);
        e = Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create(name).Compute(TestData.Gaussian(rng, 20, 3), new DMatrix(20, 3)));
        Assert.Equal("Y", e.Argument);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ZeroVarianceInputIsAnErrorOrFinite(string name)
    {
        // Every sample identical (but not zero): measures that center have nothing left and say so; the G_ReLU and
        // O(n) Procrustes similarities do not center (as in Godfrey et al.) and give a finite value.
        var rng = new Rng(5);
        var x = new DMatrix(20, 3);
        for (int i = 0; i < 20; i++) { x[i, 0] = 1; x[i, 1] = 2; x[i, 2] = -1; }
        var m = SimilarityMeasures.Create(name);
        if (name is "grelu-procrustes" or "ortho-procrustes")
            Assert.True(double.IsFinite(m.Compute(x, TestData.Gaussian(rng, 20, 3))));
        else
            Assert.Equal("X", Assert.Throws<AtlasArgumentException>(() => m.Compute(x, TestData.Gaussian(rng, 20, 3))).Argument);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ConstantColumnsGiveAFiniteValue(string name)
    {
        var rng = new Rng(6);
        var (x, y) = TestData.RelatedPair(rng);
        var xc = AddConstantColumn(x, 4.0);
        double v = SimilarityMeasures.Create(name).Compute(xc, y);
        Assert.True(double.IsFinite(v));
    }

    [Theory]
    [InlineData("linear-cka")]
    [InlineData("rbf-cka")]
    [InlineData("debiased-cka")]
    [InlineData("minibatch-cka:batch=20")]
    [InlineData("cca")]
    [InlineData("svcca")]
    [InlineData("pwcca")]
    [InlineData("procrustes")]
    [InlineData("shape-metric")]
    [InlineData("rsa:rdm=euclidean")]
    [InlineData("ortho-cka")]
    public void ConstantColumnsAreIgnoredByCenteringMeasures(string spec)
    {
        // A constant unit carries no information; measures that center (or drop rank-deficient directions) ignore it.
        var rng = new Rng(7);
        var (x, y) = TestData.RelatedPair(rng);
        var m = SimilarityMeasures.Create(spec);
        Assert.Equal(m.Compute(x, y), m.Compute(AddConstantColumn(x, -2.5), y), 10);
    }

    [Fact]
    public void DuplicatedColumnsAreRankDeficiencyForCca()
    {
        var (x, y) = TestData.RelatedPair(new Rng(8));
        var dup = new DMatrix(x.Rows, x.Cols + 1);
        for (int i = 0; i < x.Rows; i++) { x.Row(i).CopyTo(dup.Row(i)); dup[i, x.Cols] = 2 * x[i, 0] - x[i, 3]; }
        Assert.Equal(new MeanCca().Compute(x, y), new MeanCca().Compute(dup, y), 10);
    }

    [Fact]
    public void CcaWithMoreUnitsThanSamplesIsOne()
    {
        // Documented degenerate case: with rank n − 1 every direction of Y is in X's span.
        var rng = new Rng(9);
        Assert.Equal(1.0, new MeanCca().Compute(TestData.Gaussian(rng, 10, 20), TestData.Gaussian(rng, 10, 15)), 8);
    }

    [Fact]
    public void RsaCorrelationDistanceNeedsVaryingSamples()
    {
        var rng = new Rng(10);
        var x = TestData.Gaussian(rng, 10, 4);
        for (int j = 0; j < 4; j++) x[3, j] = 0.5;
        var e = Assert.Throws<AtlasArgumentException>(() => new Rsa().Compute(x, TestData.Gaussian(rng, 10, 4)));
        Assert.Contains("sample 3", e.Message);
        Assert.True(double.IsFinite(new Rsa(RdmKind.Euclidean).Compute(x, TestData.Gaussian(rng, 10, 4))));
    }

    [Fact]
    public void RegistryRejectsUnknownNamesAndParameters()
    {
        Assert.Contains("linear-cka", Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("cka-linear")).Message);
        Assert.Contains("no parameter 'alpha'", Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("svcca:alpha=1")).Message);
        Assert.Contains("not a number", Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("svcca:keep=lots")).Message);
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("svcca:keep=1.5"));
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("shape-metric:alpha=-0.1"));
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("shape-metric:score=manhattan"));
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("rbf-cka:threshold=0"));
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("minibatch-cka:batch=3"));
        Assert.Throws<AtlasArgumentException>(() => SimilarityMeasures.Create("rsa:rdm"));
        Assert.Equal(0.5, ((ShapeMetric)SimilarityMeasures.Create("shape-metric:alpha=0.5")).Alpha);
    }

    [Fact]
    public void ShapeMetricScoreChecksWidths()
    {
        var rng = new Rng(11);
        var fit = new ShapeMetric().Fit(TestData.Gaussian(rng, 20, 3), TestData.Gaussian(rng, 20, 4));
        Assert.Throws<ShapeMismatchException>(() => fit.Score(TestData.Gaussian(rng, 10, 4), TestData.Gaussian(rng, 10, 4)));
        Assert.True(double.IsFinite(fit.Score(TestData.Gaussian(rng, 10, 3), TestData.Gaussian(rng, 10, 4))));
    }

    [Fact]
    public void ChannelAwareMeasuresNeedMatchingPositions()
    {
        var rng = new Rng(12);
        var e = Assert.Throws<AtlasArgumentException>(() => new GReluProcrustes().Compute(TestData.Gaussian(rng, 10, 12), 4, TestData.Gaussian(rng, 10, 18), 9));
        Assert.Contains("positions", e.Message);
        Assert.Throws<AtlasArgumentException>(() => new GReluCka().Compute(TestData.Gaussian(rng, 10, 10), 4, TestData.Gaussian(rng, 10, 8), 4));
    }

    private static DMatrix AddConstantColumn(DMatrix x, double value)
    {
        var r = new DMatrix(x.Rows, x.Cols + 1);
        for (int i = 0; i < x.Rows; i++) { x.Row(i).CopyTo(r.Row(i)); r[i, x.Cols] = value; }
        return r;
    }
}
