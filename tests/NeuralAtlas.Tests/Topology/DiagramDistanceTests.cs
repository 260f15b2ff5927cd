using System.Text.Json;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>Bottleneck and Wasserstein distances against the issue's oracles and GUDHI (bottleneck_distance, wasserstein with POT).</summary>
public class DiagramDistanceTests
{
    private static PersistenceDiagram D(params (double, double)[] pts) => PersistenceDiagram.FromPairs(1, pts);
    private const double Inf = double.PositiveInfinity;

    [Fact]
    public void IssueOracles()
    {
        var a = D((2.7, 3.7), (9.6, 14), (34.2, 34.974), (3, Inf));
        var b = D((2.8, 4.45), (9.5, 14.1), (3.2, Inf));
        Assert.Equal(0.75, DiagramDistance.Bottleneck(a, b), 12);
        Assert.Equal(0.5, DiagramDistance.Bottleneck(D((0, 1), (0, 1)), D((0, 1))), 12);
        Assert.Equal(Inf, DiagramDistance.Bottleneck(D((0, 1), (2, Inf)), D((0, 1))));
        Assert.Equal(Inf, DiagramDistance.Wasserstein(D((0, 1), (2, Inf)), D((0, 1)), 1));
        Assert.Equal(0, DiagramDistance.Bottleneck(D(), D()));
    }

    public static IEnumerable<object[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "distances.json")));
        for (int i = 0; i < doc.RootElement.GetArrayLength(); i++) yield return new object[] { i };
    }

    private static PersistenceDiagram Read(JsonElement e) =>
        D(e.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].ValueKind == JsonValueKind.Null ? Inf : p[1].GetDouble())).ToArray());

    private static double Value(JsonElement e) => e.ValueKind == JsonValueKind.Null ? Inf : e.GetDouble();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesGudhi(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "distances.json")));
        var c = doc.RootElement[index];
        var a = Read(c.GetProperty("a"));
        var b = Read(c.GetProperty("b"));
        Assert.Equal(Value(c.GetProperty("bottleneck")), DiagramDistance.Bottleneck(a, b), 12);
        Assert.Equal(Value(c.GetProperty("bottleneck")), DiagramDistance.Bottleneck(b, a), 12);
        Assert.Equal(Value(c.GetProperty("wasserstein_1")), DiagramDistance.Wasserstein(a, b, 1), 9);
        Assert.Equal(Value(c.GetProperty("wasserstein_2")), DiagramDistance.Wasserstein(a, b, 2), 9);
        foreach (int p in new[] { 1, 2 })
            foreach (int q in new[] { 1, 2 })
                Assert.Equal(Value(c.GetProperty($"wasserstein_{p}_internal_{q}")), DiagramDistance.Wasserstein(a, b, p, internalP: q), 9);
        // The auction approximation's interval must contain the exact value.
        var approx = DiagramDistance.WassersteinWithBound(a, b, 2, exactLimit: 0, relativeError: 1e-4);
        double exact = Value(c.GetProperty("wasserstein_2"));
        if (!double.IsInfinity(exact) && (a.Finite.Any() || b.Finite.Any()))
        {
            Assert.False(approx.Exact);
            Assert.InRange(exact, approx.Lower - 1e-9, approx.Upper + 1e-9);
        }
    }

    [Fact]
    public void DistancesAreMetricsOnSmallDiagrams()
    {
        var rng = new NeuralAtlas.Tensors.Rng(5);
        PersistenceDiagram R(int n) => D(Enumerable.Range(0, n).Select(_ => { double b = rng.Uniform(0, 5); return (b, b + rng.Uniform(0, 3)); }).ToArray());
        for (int t = 0; t < 10; t++)
        {
            var (x, y, z) = (R(6), R(4), R(7));
            Assert.Equal(0, DiagramDistance.Bottleneck(x, x));
            Assert.True(DiagramDistance.Bottleneck(x, z) <= DiagramDistance.Bottleneck(x, y) + DiagramDistance.Bottleneck(y, z) + 1e-12);
            Assert.True(DiagramDistance.Wasserstein(x, z, 2) <= DiagramDistance.Wasserstein(x, y, 2) + DiagramDistance.Wasserstein(y, z, 2) + 1e-9);
            Assert.True(DiagramDistance.Bottleneck(x, y) <= DiagramDistance.Wasserstein(x, y, 2) + 1e-12);
        }
    }
}
