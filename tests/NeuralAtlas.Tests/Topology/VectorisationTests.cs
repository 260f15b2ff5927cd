using System.Text.Json;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>Betti curves, landscapes, persistence images and sliced Wasserstein against gudhi.representations.</summary>
public class VectorisationTests
{
    public static IEnumerable<object[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "vectorisations.json")));
        for (int i = 0; i < doc.RootElement.GetArrayLength(); i++) yield return new object[] { i };
    }

    private static PersistenceDiagram Read(JsonElement e) =>
        PersistenceDiagram.FromPairs(1, e.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())));

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesGudhiRepresentations(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "vectorisations.json")));
        var c = doc.RootElement[index];
        var d = Read(c.GetProperty("diagram"));
        var e = Read(c.GetProperty("other"));
        var range = Doubles(c.GetProperty("range"));

        var betti = Vectorisation.BettiCurve(d, Vectorisation.Grid(range[0], range[1], c.GetProperty("betti_resolution").GetInt32()));
        Assert.Equal(c.GetProperty("betti").EnumerateArray().Select(x => x.GetInt32()), betti);

        var land = Vectorisation.Landscapes(d, c.GetProperty("landscape_k").GetInt32(), Vectorisation.Grid(range[0], range[1], c.GetProperty("landscape_resolution").GetInt32()));
        var gl = Doubles(c.GetProperty("landscape"));
        Assert.Equal(gl.Length, land.Length);
        for (int i = 0; i < gl.Length; i++) Assert.Equal(gl[i], Math.Sqrt(2) * land[i], 10);

        var res = c.GetProperty("image_resolution").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var ir = Doubles(c.GetProperty("image_range"));
        var img = Vectorisation.PersistenceImage(d, c.GetProperty("image_bandwidth").GetDouble(), res[0], res[1], ir[0], ir[1], ir[2], ir[3]);
        var gi = Doubles(c.GetProperty("image"));
        Assert.Equal(gi.Length, img.Length);
        for (int i = 0; i < gi.Length; i++) Assert.Equal(gi[i], img[i], 10);

        int dirs = c.GetProperty("sw_directions").GetInt32();
        Assert.Equal(c.GetProperty("sliced_wasserstein").GetDouble(), Vectorisation.SlicedWasserstein(d, e, dirs), 9);
        Assert.Equal(c.GetProperty("sliced_wasserstein_kernel").GetDouble(), Vectorisation.SlicedWassersteinKernel(d, e, c.GetProperty("swk_bandwidth").GetDouble(), dirs), 9);
    }
}
