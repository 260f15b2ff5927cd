using System.Globalization;
using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

public class CompareCommandTests
{
    private static (string X, string Y, JsonElement Case) WriteCase(TempDir dir, string name)
    {
        var arrays = Npz.Read(Fixtures.Path("similarity", $"case_{name}.npz"));
        string x = dir.File("x.npy"), y = dir.File("y.npy");
        Npy.Write(x, arrays["X"]);
        Npy.Write(y, arrays["Y"]);
        return (x, y, ReferenceTests.Load(name).Case);
    }

    [Fact]
    public void PrintsOneLinePerMeasureMatchingTheReference()
    {
        using var dir = new TempDir();
        var (x, y, c) = WriteCase(dir, "relu");
        var r = CliRunner.Run("compare", x, y, "--measure", "linear-cka,svcca:keep=0.9,shape-metric:alpha=0.5");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            double expected = c.GetProperty("values").GetProperty(parts[0]).GetDouble();
            Assert.Equal(expected, double.Parse(parts[1], CultureInfo.InvariantCulture), 8);
        }
    }

    [Fact]
    public void JsonCarriesValuesAndTraits()
    {
        using var dir = new TempDir();
        var (x, y, c) = WriteCase(dir, "gaussian");
        var r = CliRunner.Run("compare", x, y, "--measure", "procrustes", "--json", "--out", dir.File("r.json"));
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        var res = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(c.GetProperty("values").GetProperty("procrustes").GetDouble(), res.GetProperty("value").GetDouble(), 8);
        Assert.True(res.GetProperty("traits").GetProperty("metric").GetBoolean());
        Assert.Equal(100, doc.RootElement.GetProperty("samples").GetInt32());
        using var printed = JsonDocument.Parse(r.Out);
        Assert.Equal(res.GetProperty("value").GetDouble(), printed.RootElement.GetProperty("results")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public void LayerByLayerMatrixOfActivationFiles()
    {
        using var dir = new TempDir();
        var conv = Npz.Read(Fixtures.Path("similarity", "case_conv.npz"));
        string a = dir.File("a.npz");
        Npz.Write(a, new[]
        {
            new KeyValuePair<string, NdArray>("conv1", conv["X"]),
            new KeyValuePair<string, NdArray>("conv2", conv["Y"]),
            new KeyValuePair<string, NdArray>("labels", NdArray.FromInt64s(new long[40], 40)),
        });
        var r = CliRunner.Run("compare", a, a, "--layers", "all", "--measure", "linear-cka,grelu-cka", "--out", dir.File("sim.json"), "--svg", dir.File("sim.svg"));
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("sim.json")));
        var m = doc.RootElement.GetProperty("matrices");
        Assert.Equal(2, m.GetArrayLength());
        var cka = m[0].GetProperty("values");
        Assert.Equal(1.0, cka[0][0].GetDouble(), 12);
        var reference = ReferenceTests.Load("conv").Case;
        Assert.Equal(reference.GetProperty("values").GetProperty("linear-cka").GetDouble(), cka[0][1].GetDouble(), 8);
        Assert.Equal(cka[0][1].GetDouble(), cka[1][0].GetDouble(), 14);
        // grelu-cka on 4-D layers matches channels with their spatial positions (flattened layout)
        Assert.Equal(reference.GetProperty("channel_values").GetProperty("grelu-cka").GetDouble(), m[1].GetProperty("values")[0][1].GetDouble(), 8);
        Assert.Equal(new[] { "conv1", "conv2" }, m[0].GetProperty("rows").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.StartsWith("<svg", File.ReadAllText(dir.File("sim.svg")).TrimStart());
    }

    [Fact]
    public void CellsAMeasureRejectsAreReportedNotFatal()
    {
        using var dir = new TempDir();
        var rng = new NeuralAtlas.Tensors.Rng(1);
        var good = TestData.Gaussian(rng, 30, 4);
        string a = dir.File("a.npz");
        Npz.Write(a, new[]
        {
            new KeyValuePair<string, NdArray>("relu", NdArray.FromDoubles(good.Data, 30, 4)),
            new KeyValuePair<string, NdArray>("dead", NdArray.FromDoubles(new double[120], 30, 4)),
        });
        var r = CliRunner.Run("compare", a, a, "--measure", "linear-cka", "--out", dir.File("s.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("zero variance", r.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        var v = doc.RootElement.GetProperty("matrices")[0].GetProperty("values");
        Assert.Equal(JsonValueKind.Null, v[0][1].ValueKind);
        // relu × dead, dead × relu (mirrored) and dead × dead
        Assert.Equal(3, doc.RootElement.GetProperty("matrices")[0].GetProperty("errors").GetArrayLength());
        Assert.Equal(1.0, v[0][0].GetDouble(), 12);
    }

    [Fact]
    public void BadInvocationsAreOneLineErrors()
    {
        using var dir = new TempDir();
        var (x, y, _) = WriteCase(dir, "wide");
        var r = CliRunner.Run("compare", x, y, "--measure", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown measure 'nope'", r.Err);
        r = CliRunner.Run("compare", x, y, "--conv", "diagonal");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--conv", r.Err);
        var rng = new NeuralAtlas.Tensors.Rng(2);
        Npy.Write(dir.File("short.npy"), NdArray.FromDoubles(TestData.Gaussian(rng, 7, 3).Data, 7, 3));
        r = CliRunner.Run("compare", x, dir.File("short.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("same number of samples", r.Err);
        r = CliRunner.Run("compare", x, dir.File("missing.npy"));
        Assert.Equal(2, r.ExitCode);
    }
}
