using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>
/// Barcodes against GUDHI's RipsComplex + persistence (tools/fixtures/topology_gudhi.py), as multisets with
/// identical births and deaths: GUDHI was given the same float32 distances, so values must agree exactly.
/// </summary>
public class GudhiBarcodeTests
{
    public static IEnumerable<object[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "barcodes.json")));
        foreach (var c in doc.RootElement.EnumerateArray()) yield return new object[] { c.GetProperty("name").GetString()! };
    }

    private static JsonElement Case(string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "barcodes.json")));
        return doc.RootElement.EnumerateArray().First(c => c.GetProperty("name").GetString() == name);
    }

    internal static List<(double, double)>[] Expected(JsonElement c)
    {
        var result = new List<List<(double, double)>>();
        foreach (var dim in c.GetProperty("barcodes").EnumerateArray())
            result.Add(dim.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].ValueKind == JsonValueKind.Null ? double.PositiveInfinity : p[1].GetDouble())).ToList());
        return result.ToArray();
    }

    internal static void AssertSameMultiset(List<(double, double)> expected, PersistenceDiagram actual, string what)
    {
        var e = expected.OrderBy(p => p.Item1).ThenBy(p => p.Item2).ToList();
        var a = actual.Sorted().Select(i => (i.Birth, i.Death)).ToList();
        Assert.True(e.Count == a.Count, $"{what}: {a.Count} intervals, GUDHI has {e.Count}");
        for (int i = 0; i < e.Count; i++)
            Assert.True(e[i] == a[i], $"{what}: interval {i} is [{a[i].Item1:R}, {a[i].Item2:R}), GUDHI has [{e[i].Item1:R}, {e[i].Item2:R})");
    }

    private static RipsOptions Options(JsonElement c) => new()
    {
        MaxDimension = c.GetProperty("max_dim").GetInt32(),
        Modulus = c.GetProperty("modulus").GetInt32(),
        Threshold = c.GetProperty("threshold_is_enclosing_radius").GetBoolean() ? null : c.GetProperty("threshold").GetDouble(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PointCloudBarcodesEqualGudhi(string name)
    {
        var c = Case(name);
        var pts = Npy.Read(Fixtures.Path("topology", c.GetProperty("points").GetString()!));
        var r = VietorisRips.Compute(pts.ToDoubles(), pts.Shape[0], pts.Shape[1], PointMetric.Euclidean, Options(c));
        if (c.GetProperty("threshold_is_enclosing_radius").GetBoolean())
            Assert.Equal((double)(float)c.GetProperty("threshold").GetDouble(), r.Threshold);
        var expected = Expected(c);
        for (int d = 0; d < expected.Length; d++) AssertSameMultiset(expected[d], r[d], $"{name} H{d}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DistanceMatrixBarcodesEqualGudhi(string name)
    {
        var c = Case(name);
        var dm = Npy.Read(Fixtures.Path("topology", c.GetProperty("dist").GetString()!));
        var m = DistanceMatrix.FromDense(dm.ToDoubles(), dm.Shape[0], dm.Shape[1]);
        var r = VietorisRips.Compute(m, Options(c) with { Threads = 2 });
        var expected = Expected(c);
        for (int d = 0; d < expected.Length; d++) AssertSameMultiset(expected[d], r[d], $"{name} H{d}");
    }

    /// <summary>
    /// The fixtures are too small for multi-threaded assembly to start on its own: force it, so the per-thread
    /// simplex lists of every dimension are split and joined again, and the barcodes must still be GUDHI's.
    /// </summary>
    [Fact]
    public void SplitAssemblyBarcodesEqualGudhi()
    {
        int saved = RipsReduction.ParallelMinSimplices;
        RipsReduction.ParallelMinSimplices = 1;
        try
        {
            foreach (var row in Cases())
            {
                string name = (string)row[0];
                var c = Case(name);
                var dm = Npy.Read(Fixtures.Path("topology", c.GetProperty("dist").GetString()!));
                var m = DistanceMatrix.FromDense(dm.ToDoubles(), dm.Shape[0], dm.Shape[1]);
                var r = VietorisRips.Compute(m, Options(c) with { Threads = 2 });
                var expected = Expected(c);
                for (int d = 0; d < expected.Length; d++) AssertSameMultiset(expected[d], r[d], $"{name} H{d} (split assembly)");
            }
        }
        finally
        {
            RipsReduction.ParallelMinSimplices = saved;
        }
    }

    [Fact]
    public void ProjectivePlaneSeesTheCoefficientField()
    {
        // RP² has H1 = H2 = Z/2 over Z/2 and nothing over Z/3: the barcodes must differ, and the differences must
        // be exactly GUDHI's differences (checked by the theory above); here we check the mathematics.
        var c2 = Case("rp2_mod2");
        var c3 = Case("rp2_mod3");
        var pts = Npy.Read(Fixtures.Path("topology", c2.GetProperty("points").GetString()!));
        var r2 = VietorisRips.Compute(pts.ToDoubles(), pts.Shape[0], pts.Shape[1], PointMetric.Euclidean, Options(c2));
        var r3 = VietorisRips.Compute(pts.ToDoubles(), pts.Shape[0], pts.Shape[1], PointMetric.Euclidean, Options(c3));
        double Longest(PersistenceDiagram d) => d.Intervals.Max(i => i.Death - i.Birth);
        // 110 points are a coarse sample, so the H1 bar is only somewhat longer; the H2 bar is unmistakable.
        Assert.True(Longest(r2[1]) > 1.2 * Longest(r3[1]), $"H1 over Z/2 should carry the long RP² bar: {Longest(r2[1])} vs {Longest(r3[1])}");
        Assert.True(Longest(r2[2]) > 4 * Longest(r3[2]), $"H2 over Z/2 should carry the long RP² bar: {Longest(r2[2])} vs {Longest(r3[2])}");
    }
}
