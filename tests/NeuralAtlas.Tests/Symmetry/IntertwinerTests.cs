using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Symmetry;

public class IntertwinerTests
{
    public static IEnumerable<object[]> AllActivations() => Activation.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void SampledElementsIntertwine(string name)
    {
        var g = IntertwinerGroup.For(name);
        var rng = new Rng(name.Length * 31);
        for (int t = 0; t < 5; t++)
        {
            var a = g.Sample(7, rng);
            Assert.True(g.IsMember(a), g.WhyNotMember(a));
            var b = g.MatchingB(a);
            Assert.True(IntertwinerCheck.MaxResidual(g.Activation, a, b, 200, rng) < 1e-12 * (1 + Norm(a)), name);
            Assert.True(IntertwinerCheck.BestLinearResidual(g.Activation, a, 200, rng) < 1e-8, name);
        }
    }

    private static double Norm(DMatrix a) => a.Data.Max(Math.Abs);

    /// <summary>Non-members named per activation, each of which must change the function for every linear B.</summary>
    public static IEnumerable<object[]> OutsideTheGroup()
    {
        foreach (string n in new[] { "relu", "leaky_relu" })
        {
            yield return new object[] { n, "sign flip" };
            yield return new object[] { n, "dense" };
        }
        foreach (string n in new[] { "gelu", "silu", "sigmoid", "softplus", "solu" })
        {
            yield return new object[] { n, "scale 2" };
            yield return new object[] { n, "sign flip" };
            yield return new object[] { n, "dense" };
        }
        yield return new object[] { "tanh", "scale 2" };
        yield return new object[] { "tanh", "dense" };
    }

    private static DMatrix Transform(string kind, int n, Rng rng)
    {
        var a = DMatrix.Identity(n);
        switch (kind)
        {
            case "scale 2": for (int i = 0; i < n; i++) a[i, i] = 2; break;
            case "sign flip": a[0, 0] = -1; break;
            default: for (int i = 0; i < a.Data.Length; i++) a.Data[i] += rng.Normal(); break;
        }
        return a;
    }

    [Theory]
    [MemberData(nameof(OutsideTheGroup))]
    public void TransformationsOutsideTheGroupChangeTheFunction(string name, string kind)
    {
        var g = IntertwinerGroup.For(name);
        var rng = new Rng(99);
        var a = Transform(kind, 5, rng);
        Assert.False(g.IsMember(a));
        Assert.Throws<AtlasArgumentException>(() => g.MatchingB(a));
        // No linear B reproduces σ(Ax) from σ(x): the least-squares residual stays well away from rounding error.
        double r = IntertwinerCheck.BestLinearResidual(g.Activation, a, 400, rng);
        Assert.True(r > 1e-3, $"{name} / {kind}: residual {r}");
    }

    [Fact]
    public void IdentityGroupIsGeneralLinear()
    {
        var g = IntertwinerGroup.For("identity");
        var rng = new Rng(1);
        Assert.True(g.IsMember(Transform("dense", 6, rng)));
        var singular = new DMatrix(3, 3);
        singular[0, 0] = 1; singular[1, 1] = 1;
        Assert.False(g.IsMember(singular));
        Assert.Equal(GroupKind.PositiveMonomial, IntertwinerGroup.For("leaky_relu", 0.2).Kind);
        Assert.Equal(GroupKind.SignedPermutation, IntertwinerGroup.For("tanh").Kind);
        Assert.Equal(GroupKind.Permutation, IntertwinerGroup.For("solu").Kind);
    }

    [Fact]
    public void UnknownActivationsAndBadSlopesAreRefused()
    {
        var e = Assert.Throws<AtlasArgumentException>(() => IntertwinerGroup.For("mish"));
        Assert.Contains("no known intertwiner group", e.Message);
        Assert.Throws<AtlasArgumentException>(() => IntertwinerGroup.For("leaky_relu", 1.0));
        Assert.Throws<AtlasArgumentException>(() => IntertwinerGroup.For("leaky_relu", 0.0));
    }

    private static DenseLayer RandomLayer(Rng rng, string name, int o, int i) =>
        new(name, new DMatrix(o, i, Enumerable.Range(0, o * i).Select(_ => rng.Normal() / Math.Sqrt(i)).ToArray()),
            Enumerable.Range(0, o).Select(_ => 0.1 * rng.Normal()).ToArray());

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void IntertwinedMlpComputesTheSameFunction(string name)
    {
        var rng = new Rng(5);
        var layers = new[] { RandomLayer(rng, "0", 8, 5), RandomLayer(rng, "2", 6, 8), RandomLayer(rng, "4", 3, 6) };
        var g = IntertwinerGroup.For(name);
        var t = MlpIntertwiner.Apply(layers, g, rng);
        var x = new DMatrix(64, 5, Enumerable.Range(0, 320).Select(_ => rng.Normal()).ToArray());
        var (h0, y0) = MlpIntertwiner.Forward(layers, g.Activation, x);
        var (h1, y1) = MlpIntertwiner.Forward(t.Layers, g.Activation, x);
        double diff = y0.Data.Zip(y1.Data, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff < 1e-10, $"{name}: output difference {diff}");
        // The hidden representation did move (by B): a random permutation of 8 units is rarely the identity.
        double moved = h0[0].Data.Zip(h1[0].Data, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(moved > 1e-3, $"{name}: hidden layer unchanged");
    }

    [Fact]
    public void LayersThatDoNotChainAreRefused()
    {
        var rng = new Rng(2);
        var e = Assert.Throws<ShapeMismatchException>(() =>
            MlpIntertwiner.Apply(new[] { RandomLayer(rng, "fc1", 8, 5), RandomLayer(rng, "fc2", 3, 7) }, IntertwinerGroup.For("relu"), rng));
        Assert.Contains("fc2 takes 7 inputs but fc1 gives 8", e.Message);
        Assert.Throws<AtlasArgumentException>(() => MlpIntertwiner.Apply(new[] { RandomLayer(rng, "fc", 3, 3) }, IntertwinerGroup.For("relu"), rng));
    }
}
