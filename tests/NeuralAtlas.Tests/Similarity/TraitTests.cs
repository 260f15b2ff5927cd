using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

/// <summary>
/// Each measure's declared traits hold (to 1e-10 relative), and each undeclared invariance or symmetry is shown to
/// fail on a counterexample.
/// </summary>
public class TraitTests
{
    public static readonly string[] Specs =
    {
        "linear-cka", "rbf-cka", "rbf-cka:threshold=0.5", "debiased-cka", "minibatch-cka:batch=20", "cca", "svcca", "svcca:keep=0.9",
        "pwcca", "procrustes", "shape-metric", "shape-metric:alpha=0.5", "shape-metric:alpha=0", "shape-metric:score=euclidean",
        "rsa", "rsa:rdm=euclidean", "rsa:rdm=euclidean:compare=pearson", "grelu-procrustes", "grelu-cka", "ortho-procrustes", "ortho-cka",
    };

    public static IEnumerable<object[]> SpecsAndInvariances() =>
        from s in Specs
        from inv in new[] { Invariances.Orthogonal, Invariances.IsotropicScaling, Invariances.Permutation, Invariances.InvertibleLinear, Invariances.Translation, Invariances.PositiveScaledPermutation }
        from side in new[] { "X", "Y" }
        select new object[] { s, inv, side };

    public static IEnumerable<object[]> AllSpecs() => Specs.Select(s => new object[] { s });

    [Fact]
    public void EveryRegisteredMeasureIsCovered()
    {
        foreach (string name in SimilarityMeasures.Names) Assert.Contains(Specs, s => s.Split(':')[0] == name);
    }

    private static DMatrix Transform(DMatrix x, Invariances inv, Rng rng) => inv switch
    {
        Invariances.Orthogonal => Blas.Gemm(x, TestData.RandomOrthogonal(rng, x.Cols)),
        Invariances.IsotropicScaling => TestData.Scale(x, 3.7),
        Invariances.Permutation => Blas.Gemm(x, TestData.RandomPermutation(rng, x.Cols)),
        Invariances.InvertibleLinear => Blas.Gemm(x, TestData.RandomInvertible(rng, x.Cols)),
        Invariances.Translation => TestData.Translate(x, rng),
        Invariances.PositiveScaledPermutation => Blas.Gemm(x, TestData.RandomPermutation(rng, x.Cols, positiveScaling: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(inv)),
    };

    [Theory]
    [MemberData(nameof(SpecsAndInvariances))]
    public void DeclaredInvariancesHoldAndOthersFail(string spec, Invariances inv, string side)
    {
        var m = SimilarityMeasures.Create(spec);
        var rng = new Rng(11);
        var (x, y) = TestData.RelatedPair(rng);
        double before = m.Compute(x, y);
        double after = side == "X" ? m.Compute(Transform(x, inv, rng), y) : m.Compute(x, Transform(y, inv, rng));
        double diff = Math.Abs(after - before);
        if (side == "X" ? m.Traits.IsInvariantTo(inv) : m.Traits.IsInvariantInY(inv))
            Assert.True(diff <= 1e-10 * Math.Max(1, Math.Abs(before)), $"{spec} declares {inv} invariance but changed by {diff:E2} ({before} → {after}) on {side}");
        else
            Assert.True(diff > 1e-6, $"{spec} does not declare {inv} invariance, yet the counterexample on {side} changed it by only {diff:E2}");
    }

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void DeclaredGroupsAreConsistent(string spec)
    {
        var t = SimilarityMeasures.Create(spec).Traits;
        if (t.IsInvariantTo(Invariances.InvertibleLinear))
            Assert.True(t.IsInvariantTo(Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.PositiveScaledPermutation));
        if (t.IsInvariantTo(Invariances.Orthogonal) || t.IsInvariantTo(Invariances.PositiveScaledPermutation))
            Assert.True(t.IsInvariantTo(Invariances.Permutation));
    }

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void SymmetryIsAsDeclared(string spec)
    {
        var m = SimilarityMeasures.Create(spec);
        var (x, y) = TestData.RelatedPair(new Rng(3));
        double a = m.Compute(x, y), b = m.Compute(y, x);
        if (m.Traits.IsSymmetric) Assert.True(Math.Abs(a - b) <= 1e-10 * Math.Max(1, Math.Abs(a)), $"{spec}: {a} vs {b}");
        else Assert.True(Math.Abs(a - b) > 1e-6, $"{spec} declares no symmetry but m(X,Y) = m(Y,X) = {a}");
    }

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void DirectionIsAsDeclared(string spec)
    {
        var m = SimilarityMeasures.Create(spec);
        var rng = new Rng(4);
        var (x, y) = TestData.RelatedPair(rng);
        var unrelated = TestData.Gaussian(rng, x.Rows, 6);
        double self = m.Compute(x, Blas.Gemm(x, TestData.RandomPermutation(rng, x.Cols))), other = m.Compute(x, unrelated);
        if (m.Traits.LargerIsMoreSimilar) Assert.True(self > other, $"{spec}: self {self} should exceed unrelated {other}");
        else Assert.True(self < other, $"{spec}: self {self} should be below unrelated {other}");
    }

    [Theory]
    [InlineData("procrustes")]
    [InlineData("shape-metric")]
    [InlineData("shape-metric:alpha=0.5")]
    [InlineData("shape-metric:alpha=0")]
    [InlineData("shape-metric:score=euclidean")]
    public void MetricsSatisfyTheTriangleInequality(string spec)
    {
        var m = SimilarityMeasures.Create(spec);
        Assert.True(m.Traits.IsMetric);
        var rng = new Rng(21);
        int checks = 0;
        for (int t = 0; t < 30; t++)
        {
            // Chains X → Y → Z of growing perturbations keep the triples near equality, where a violation would show.
            var x = TestData.Gaussian(rng, 30, 5);
            var y = x.Clone();
            var z = TestData.Gaussian(rng, 30, 5);
            double a = rng.Uniform(0, 1);
            for (int i = 0; i < y.Data.Length; i++) y.Data[i] = (1 - a) * x.Data[i] + a * z.Data[i] + 0.05 * rng.Normal();
            double xy = m.Compute(x, y), yz = m.Compute(y, z), xz = m.Compute(x, z);
            Assert.True(xz <= xy + yz + 1e-12, $"{spec}: d(X,Z) = {xz} > d(X,Y) + d(Y,Z) = {xy} + {yz}");
            Assert.True(xy <= xz + yz + 1e-12 && yz <= xy + xz + 1e-12);
            checks++;
        }
        Assert.Equal(30, checks);
        var w = TestData.Gaussian(rng, 30, 5);
        Assert.True(m.Compute(w, w) <= 1e-6, $"{spec}: d(X, X) = {m.Compute(w, w)}");
    }

    [Fact]
    public void DebiasedCkaIsNearZeroForIndependentData()
    {
        // Kornblith et al. 2019 / Nguyen et al. 2021: the biased estimator has a positive bias of order d/n.
        var rng = new Rng(256);
        double biased = 0, unbiased = 0;
        const int trials = 20;
        for (int t = 0; t < trials; t++)
        {
            var x = TestData.Gaussian(rng, 256, 8);
            var y = TestData.Gaussian(rng, 256, 8);
            biased += new LinearCka().Compute(x, y) / trials;
            unbiased += new DebiasedCka().Compute(x, y) / trials;
        }
        Assert.InRange(biased, 0.02, 0.045);
        Assert.InRange(unbiased, -0.003, 0.003);
    }

    [Fact]
    public void IdenticalInputsScoreTheirBestValue()
    {
        var (x, _) = TestData.RelatedPair(new Rng(8));
        foreach (var spec in new[] { "linear-cka", "rbf-cka", "debiased-cka", "minibatch-cka:batch=20", "cca", "svcca", "pwcca", "rsa", "grelu-procrustes", "grelu-cka", "ortho-procrustes", "ortho-cka" })
            Assert.Equal(1.0, SimilarityMeasures.Create(spec).Compute(x, x), 10);
        Assert.Equal(0.0, new ProcrustesDistance().Compute(x, x), 7);
    }

    [Fact]
    public void GReluMeasuresSeeThroughReluIntertwinersButOrthogonalOnesDoNot()
    {
        // A hidden ReLU layer and the same layer after a positive-scaled permutation of its units: G_ReLU measures
        // say identical; rotate instead and only the O(n) versions do.
        var rng = new Rng(31);
        var (x, _) = TestData.RelatedPair(rng);
        var psp = Blas.Gemm(x, TestData.RandomPermutation(rng, x.Cols, positiveScaling: true));
        var rot = Blas.Gemm(x, TestData.RandomOrthogonal(rng, x.Cols));
        // Procrustes-type values are 1 − √(rounding) at equality, so they are exact to ~1e-8, not 1e-10.
        Assert.Equal(1.0, new GReluProcrustes().Compute(x, psp), 7);
        Assert.Equal(1.0, new GReluCka().Compute(x, psp), 10);
        Assert.True(new GReluProcrustes().Compute(x, rot) < 0.99);
        Assert.Equal(1.0, new OrthogonalProcrustes().Compute(x, rot), 7);
        Assert.True(new OrthogonalProcrustes().Compute(x, psp) < 0.99);
    }
}
