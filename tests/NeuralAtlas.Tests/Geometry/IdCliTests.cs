using System.Globalization;
using System.Text.Json;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

public class IdCliTests
{
    [Fact]
    public void PrintsEstimatorAndValueForAnNpy()
    {
        using var dir = new TempDir();
        var x = ManifoldSamples.Sphere(500, 2, 6, 1);
        Npy.Write(dir.File("x.npy"), x.Data, new[] { x.Rows, x.Cols });
        var r = CliRunner.Run("id", dir.File("x.npy"), "--estimator", "mle", "--k", "15", "--bootstrap", "0");
        Assert.Equal(0, r.ExitCode);
        var parts = r.Out.Trim().Split('\t');
        Assert.Equal("mle", parts[0]);
        double expect = IntrinsicDimension.Estimate(x, IdEstimator.Mle, new IdOptions { K = 15 }).Value;
        Assert.Equal(expect, double.Parse(parts[1], CultureInfo.InvariantCulture));
        Assert.InRange(expect, 1.7, 2.3);
    }

    [Fact]
    public void NpzGivesOneLinePerLayerAndJsonWithIntervals()
    {
        using var dir = new TempDir();
        var a = ManifoldSamples.Sphere(400, 1, 5, 2);
        var b = ManifoldSamples.Sphere(400, 3, 8, 3);
        Npz.Write(dir.File("acts.npz"), new[]
        {
            new KeyValuePair<string, NdArray>("layer1", NdArray.FromDoubles(a.Data, 400, 5)),
            new KeyValuePair<string, NdArray>("layer2", NdArray.FromDoubles(b.Data, 400, 2, 4)),
            new KeyValuePair<string, NdArray>("labels", NdArray.FromInt64s(new long[400], 400)),
        });
        var r = CliRunner.Run("id", dir.File("acts.npz"), "--estimator", "twonn", "--out", dir.File("id.json"), "--pointwise", dir.File("pw.npz"));
        Assert.Equal(2, r.ExitCode); // twonn has no per-point values
        Assert.Contains("--pointwise", r.Err);

        r = CliRunner.Run("id", dir.File("acts.npz"), "--estimator", "mle", "--out", dir.File("id.json"), "--pointwise", dir.File("pw.npz"));
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("layer1\tmle\t", lines[0]);
        Assert.StartsWith("layer2\tmle\t", lines[1]);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("id.json")));
        var layers = doc.RootElement.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        foreach (var l in layers.EnumerateArray())
        {
            double v = l.GetProperty("value").GetDouble(), lo = l.GetProperty("lower").GetDouble(), hi = l.GetProperty("upper").GetDouble();
            Assert.True(lo <= v && v <= hi);
        }
        var pw = Npz.Read(dir.File("pw.npz"));
        Assert.Equal(new[] { 400 }, pw["layer2"].Shape);
    }

    [Fact]
    public void BadInputExitsWithOneLineError()
    {
        using var dir = new TempDir();
        Npy.Write(dir.File("same.npy"), new double[30], new[] { 10, 3 });
        var r = CliRunner.Run("id", dir.File("same.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("atlas: error:", r.Err);
        r = CliRunner.Run("id", dir.File("same.npy"), "--estimator", "bogus");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown estimator", r.Err);
        r = CliRunner.Run("id", dir.File("missing.npy"));
        Assert.Equal(2, r.ExitCode);
    }
}
