using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

/// <summary>Every measure against numpy/scipy implementations of the published definitions (tools/fixtures/similarity_reference.py).</summary>
public class ReferenceTests
{
    private const double Tolerance = 1e-8;

    public static IEnumerable<object[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("similarity", "cases.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            foreach (var v in c.GetProperty("values").EnumerateObject())
                yield return new object[] { c.GetProperty("name").GetString()!, v.Name };
    }

    internal static (DMatrix X, DMatrix Y, JsonElement Case) Load(string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("similarity", "cases.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        var arrays = Npz.Read(Fixtures.Path("similarity", c.GetProperty("file").GetString()!));
        return (arrays["X"].ToDMatrix(), arrays["Y"].ToDMatrix(), c.Clone());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(string caseName, string spec)
    {
        var (x, y, c) = Load(caseName);
        double expected = c.GetProperty("values").GetProperty(spec).GetDouble();
        double actual;
        if (spec == "pwcca(Y,X)") actual = new Pwcca().Compute(y, x);
        else if (spec.EndsWith(" fit-first-half score-second-half", StringComparison.Ordinal))
        {
            var metric = (ShapeMetric)SimilarityMeasures.Create(spec.Split(' ')[0]);
            int h = x.Rows / 2;
            var fit = metric.Fit(Rows(x, 0, h), Rows(y, 0, h));
            actual = fit.Score(Rows(x, h, x.Rows), Rows(y, h, y.Rows));
        }
        else actual = SimilarityMeasures.Create(spec).Compute(x, y);
        Assert.True(Math.Abs(actual - expected) <= Tolerance, $"{caseName} {spec}: ours {actual:R}, reference {expected:R}, |diff| {Math.Abs(actual - expected):E2}");
    }

    [Theory]
    [InlineData("grelu-procrustes")]
    [InlineData("ortho-procrustes")]
    [InlineData("grelu-cka")]
    [InlineData("ortho-cka")]
    public void ChannelAwareMatchesReferenceOnConvActivations(string name)
    {
        var (x, y, c) = Load("conv");
        int p = c.GetProperty("positions").GetInt32();
        double expected = c.GetProperty("channel_values").GetProperty(name).GetDouble();
        double actual = ((IChannelAwareMeasure)SimilarityMeasures.Create(name)).Compute(x, p, y, p);
        Assert.True(Math.Abs(actual - expected) <= Tolerance, $"{name}: ours {actual:R}, reference {expected:R}");
    }

    [Fact]
    public void BothBlasPathsAgree()
    {
        var (x, y, c) = Load("anisotropic");
        bool was = Native.OpenBlas.Enabled;
        try
        {
            foreach (var spec in new[] { "linear-cka", "cca", "svcca", "procrustes", "shape-metric:alpha=0.5" })
            {
                double expected = c.GetProperty("values").GetProperty(spec).GetDouble();
                Native.OpenBlas.Enabled = false;
                double managed = SimilarityMeasures.Create(spec).Compute(x, y);
                Assert.True(Math.Abs(managed - expected) <= Tolerance, $"managed {spec}: {managed:R} vs {expected:R}");
            }
        }
        finally { Native.OpenBlas.Enabled = was; }
    }

    internal static DMatrix Rows(DMatrix m, int start, int end) =>
        new(end - start, m.Cols, m.Data.AsSpan(start * m.Cols, (end - start) * m.Cols).ToArray());
}
