using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

public class MinibatchCkaTests
{
    [Fact]
    public void ShardsMergeToTheSameValueAsOneStream()
    {
        var rng = new Rng(40);
        var (x, y) = TestData.RelatedPair(rng, n: 200);
        var whole = new MinibatchCkaAccumulator();
        var a = new MinibatchCkaAccumulator();
        var b = new MinibatchCkaAccumulator();
        for (int s = 0; s < 200; s += 25)
        {
            var xb = ReferenceTests.Rows(x, s, s + 25);
            var yb = ReferenceTests.Rows(y, s, s + 25);
            whole.Add(xb, yb);
            (s < 100 ? a : b).Add(xb, yb);
        }
        a.Merge(b);
        Assert.Equal(whole.Value, a.Value, 14);
        Assert.Equal(8, a.Batches);
        Assert.Equal(200, a.Samples);
        Assert.Equal(new MinibatchCka(25).Compute(x, y), whole.Value, 14);
    }

    [Fact]
    public void OneBatchIsDebiasedCka()
    {
        var (x, y) = TestData.RelatedPair(new Rng(41), n: 50);
        Assert.Equal(new DebiasedCka().Compute(x, y), new MinibatchCka(1000).Compute(x, y), 12);
    }

    [Fact]
    public void FeatureAndGramFormsOfUnbiasedHsicAgree()
    {
        // Narrow inputs take the feature-space form, wide ones the Gram form; both equal Song et al.'s formula on Gram matrices.
        var rng = new Rng(42);
        foreach (var (n, d1, d2) in new[] { (40, 3, 5), (12, 30, 25) })
        {
            var x = TestData.Gaussian(rng, n, d1);
            var y = TestData.Gaussian(rng, n, d2);
            var (xy, xx, yy) = Hsic.UnbiasedLinear(x, y);
            Assert.Equal(Hsic.Unbiased(Blas.AAt(x), Blas.AAt(y)), xy, 9);
            Assert.Equal(Hsic.Unbiased(Blas.AAt(x), Blas.AAt(x)), xx, 9);
            Assert.Equal(Hsic.Unbiased(Blas.AAt(y), Blas.AAt(y)), yy, 9);
        }
    }

    [Fact]
    public void RemainderBelowFourJoinsThePreviousBatch()
    {
        var (x, y) = TestData.RelatedPair(new Rng(43), n: 42);
        var acc = new MinibatchCkaAccumulator();
        acc.Add(ReferenceTests.Rows(x, 0, 20), ReferenceTests.Rows(y, 0, 20));
        acc.Add(ReferenceTests.Rows(x, 20, 42), ReferenceTests.Rows(y, 20, 42));
        Assert.Equal(acc.Value, new MinibatchCka(20).Compute(x, y), 14);
    }

    [Fact]
    public void EmptyAccumulatorAndTinyBatchesAreErrors()
    {
        Assert.Throws<AtlasArgumentException>(() => new MinibatchCkaAccumulator().Value);
        var rng = new Rng(44);
        Assert.Throws<AtlasArgumentException>(() => new MinibatchCkaAccumulator().Add(TestData.Gaussian(rng, 3, 2), TestData.Gaussian(rng, 3, 2)));
        Assert.Throws<ShapeMismatchException>(() => new MinibatchCkaAccumulator().Add(TestData.Gaussian(rng, 5, 2), TestData.Gaussian(rng, 6, 2)));
    }
}
