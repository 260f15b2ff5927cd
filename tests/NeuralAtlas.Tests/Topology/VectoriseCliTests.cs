using System.Globalization;
using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Topology;

/// <summary>`atlas vectorise`: Betti curves, landscapes and persistence images worked out by hand, and the output forms.</summary>
public class VectoriseCliTests
{
    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void BettiCurvesAndLandscapesByHand()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("d.txt"), "0 2\n0.5 2.5\n1 inf\n");
        var r = CliRunner.Run("vectorise", t.File("d.txt"), "--range", "0,2.5", "--resolution", "6", "--kind", "betti,landscape", "--landscapes", "2", "--out", t.File("v.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(t.File("v.json")));
        var root = doc.RootElement;
        Assert.Equal(new[] { 0, 0.5, 1, 1.5, 2, 2.5 }, Doubles(root.GetProperty("grid")));
        var d = root.GetProperty("diagrams")[0];
        // β(t) = #{b ≤ t < d}: the essential class counts from t = 1 on; (0, 2) stops counting at t = 2.
        Assert.Equal(new[] { 1, 2, 3, 3, 2, 1 }, d.GetProperty("betti").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        // Tents min(t − b, d − t)⁺ of (0, 2) and (0.5, 2.5); λ1 the larger, λ2 the smaller.
        var l = d.GetProperty("landscapes");
        Assert.Equal(new[] { 0, 0.5, 1, 1, 0.5, 0 }, Doubles(l[0]));
        Assert.Equal(new[] { 0, 0, 0.5, 0.5, 0, 0 }, Doubles(l[1]));
        Assert.False(d.TryGetProperty("image", out _));
    }

    [Fact]
    public void PersistenceImageIsTheWeightedGaussian()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("d.txt"), "1 3\n");
        var r = CliRunner.Run("vectorise", t.File("d.txt"), "--kind", "image", "--image-size", "3x3", "--bandwidth", "1", "--out", t.File("v.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var z = Npz.Read(t.File("v.npz"));
        var img = z["image_0"];
        Assert.Equal(new[] { 3, 3 }, img.Shape);
        var v = img.ToDoubles();
        // One point (b, p) = (1, 2), weight p = 2, σ = 1: 2·exp(−((x−1)² + (y−2)²)/2)/(2π) at x = 1 (every column: all
        // births are 1) and y ∈ {0, 1, 2}.
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(Math.Exp(-(y - 2) * (y - 2) / 2.0) / Math.PI, v[y * 3 + x], 12);
        Assert.False(z.ContainsKey("betti_0"));
    }

    [Fact]
    public void SeveralDiagramsShareTheGridAndGetSlicedWasserstein()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("a.txt"), "0 1\n0.2 0.9\n");
        File.WriteAllText(t.File("b.txt"), "0.1 2\n");
        var r = CliRunner.Run("vectorise", t.File("a.txt"), t.File("b.txt"), "--directions", "20", "--out", t.File("v.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var z = Npz.Read(t.File("v.npz"));
        var grid = z["grid"].ToDoubles();
        Assert.Equal(0, grid[0]);
        Assert.Equal(2, grid[^1]);
        Assert.Equal(new[] { 3, 100 }, z["landscapes_1"].Shape);
        var sw = z["sliced_wasserstein"].ToDoubles();
        var d = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"), "--metric", "sliced", "--directions", "20");
        double expected = double.Parse(d.Out.Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(new[] { 0, expected, expected, 0 }, sw);
        Assert.True(expected > 0);
    }

    [Theory]
    [InlineData("--kind", "bars", "--kind")]
    [InlineData("--range", "0;1", "--range")]
    [InlineData("--image-size", "20", "--image-size")]
    [InlineData("--resolution", "0", "resolution")]
    public void BadOptionsAreNamed(string option, string value, string named)
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("d.txt"), "0 1\n");
        var r = CliRunner.Run("vectorise", t.File("d.txt"), option, value, "--out", t.File("v.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(t.File("v.json")));
    }
}
