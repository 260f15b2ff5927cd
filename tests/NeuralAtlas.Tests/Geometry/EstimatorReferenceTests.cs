using NeuralAtlas.Geometry;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>Each estimator on scikit-learn's neighbour lists against numpy written from the paper (1e-10).</summary>
public class EstimatorReferenceTests
{
    public static TheoryData<string> Sets => new(IdReference.Sets);

    [Theory, MemberData(nameof(Sets))]
    public void TwoNNMatchesNumpy(string set)
    {
        var mu = TwoNN.Ratios(IdReference.SklearnKnn(set));
        IdReference.Close(IdReference.Scalar(set + "_twonn"), TwoNN.Fit(mu, 0.1), what: "twonn");
        IdReference.Close(IdReference.Scalar(set + "_twonn0"), TwoNN.Fit(mu, 0.0), what: "twonn without discard");
    }

    [Theory, MemberData(nameof(Sets))]
    public void MleMatchesNumpy(string set)
    {
        var knn = IdReference.SklearnKnn(set);
        var pw = LevinaBickel.Pointwise(knn, 20);
        IdReference.Close(IdReference.Get(set + "_mle"), pw, what: "mle pointwise");
        IdReference.Close(IdReference.Get(set + "_mle10"), LevinaBickel.Pointwise(knn, 10), what: "mle k=10");
        var expect = IdReference.Get(set + "_mle");
        IdReference.Close(expect.Length / expect.Sum(v => 1 / v), LevinaBickel.Combine(pw), what: "mle pooled");
    }

    [Theory, MemberData(nameof(Sets))]
    public void MomAndMadaMatchNumpy(string set)
    {
        var knn = IdReference.SklearnKnn(set);
        IdReference.Close(IdReference.Get(set + "_mom"), MethodOfMoments.Pointwise(knn, 20), what: "mom");
        IdReference.Close(IdReference.Get(set + "_mada"), Mada.Pointwise(knn, 20), what: "mada");
    }

    [Theory, MemberData(nameof(Sets))]
    public void TleMatchesNumpy(string set)
    {
        var pw = TightLocality.Pointwise(IdReference.Points(set), IdReference.SklearnKnn(set), 20);
        IdReference.Close(IdReference.Get(set + "_tle"), pw, what: "tle");
    }

    [Theory, MemberData(nameof(Sets))]
    public void CorrelationDimensionMatchesNumpy(string set)
    {
        var c = CorrelationDimension.Count(IdReference.Points(set), IdReference.SklearnKnn(set), 10, 20);
        IdReference.Close(IdReference.Scalar(set + "_corrint"), CorrelationDimension.Estimate(c), what: "corrint");
    }

    [Theory, MemberData(nameof(Sets))]
    public void LocalPcaMatchesNumpyForEveryCriterion(string set)
    {
        var x = IdReference.Points(set);
        var knn = IdReference.SklearnKnn(set);
        foreach (var c in Enum.GetValues<PcaCriterion>())
            IdReference.Close(IdReference.Get($"{set}_lpca_{c.Name()}"), LocalPca.Pointwise(x, knn, 20, c), what: "lpca " + c.Name());
    }

    [Theory, MemberData(nameof(Sets))]
    public void GrideMatchesNumpy(string set)
    {
        var knn = IdReference.SklearnKnn(set);
        IdReference.Close(IdReference.Scalar(set + "_gride12"), Gride.Fit(Gride.Ratios(knn, 1, 2), 1, 2), what: "gride 1,2");
        IdReference.Close(IdReference.Scalar(set + "_gride24"), Gride.Fit(Gride.Ratios(knn, 2, 4), 2, 4), what: "gride 2,4");
        var scales = Gride.Multiscale(knn, 16);
        IdReference.Close(IdReference.Get(set + "_gride_scales"), scales.Select(s => s.Dimension).ToArray(), what: "gride scales");
        Assert.Equal(new[] { 1, 2, 4, 8 }, scales.Select(s => s.N1).ToArray());
    }

    [Theory, MemberData(nameof(Sets))]
    public void FrontDoorUsesItsOwnExactNeighboursAndGetsTheSameValues(string set)
    {
        // Our kNN equals scikit-learn's lists (see NearestNeighborsTests), so the full pipeline reproduces numpy.
        var x = IdReference.Points(set);
        var o = new IdOptions { K = 20 };
        IdReference.Close(IdReference.Scalar(set + "_twonn"), IntrinsicDimension.Estimate(x, IdEstimator.TwoNN, o).Value, 1e-9, "twonn");
        var mle = IntrinsicDimension.Estimate(x, IdEstimator.Mle, o);
        IdReference.Close(IdReference.Get(set + "_mle"), mle.Pointwise!, 1e-9, "mle");
        IdReference.Close(IdReference.Get(set + "_tle").Average(), IntrinsicDimension.Estimate(x, IdEstimator.Tle, o).Value, 1e-9, "tle");
        IdReference.Close(IdReference.Scalar(set + "_corrint"), IntrinsicDimension.Estimate(x, IdEstimator.CorrInt, o).Value, 1e-9, "corrint");
    }
}
