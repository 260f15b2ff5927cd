using System.Diagnostics;
using System.Reflection;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>
/// atlas-ph's command line (<see cref="RipserCommandLine"/>): every option lands where `atlas ph` puts it, bad
/// arguments are named, and the output is Ripser's own text (fixtures written by tools/fixtures/topology_ripser.py,
/// which ran Ripser). The slow test builds the ahead-of-time compiled binary with ./atlas-ph and runs it.
/// </summary>
public class RipserCommandLineTests
{
    private static readonly string[] CaseNames = { "cloud_point", "cloud_point_thr", "cloud_lower", "cloud_dist", "grid_point", "graph_sparse", "cloud_lower_mod3", "ties4_point", "rounded3_thr", "circle_mod3" };
    public static TheoryData<string> Cases => new(CaseNames);

    private static string[] FixtureArgs(string name)
    {
        string dir = Fixtures.Path("topology", "ripser");
        var args = File.ReadAllLines(Path.Combine(dir, name + ".args")).Where(l => l.Length > 0).ToArray();
        args[^1] = Path.Combine(dir, args[^1]);
        return args;
    }

    private static string Expected(string name) => File.ReadAllText(Path.Combine(Fixtures.Path("topology", "ripser"), name + ".txt"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExecutePrintsRipsersText(string name)
    {
        var run = RipserCommandLine.Parse(FixtureArgs(name))!;
        var w = new StringWriter();
        run.Execute(w);
        Assert.Equal(Expected(name), w.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void EveryOptionIsParsed()
    {
        var run = RipserCommandLine.Parse(new[] { "--format", "point-cloud", "--dim", "3", "--threshold", "1.5", "--modulus", "5", "--ratio", "2",
            "--metric", "cosine", "--cocycles", "--json", "--out", "d.npz", "--threads", "2", "--force", "x.csv" })!;
        Assert.Equal("x.csv", run.Path);
        Assert.Equal(RipserFormat.PointCloud, run.Format);
        Assert.Equal(new RipsOptions { MaxDimension = 3, Threshold = 1.5, Modulus = 5, Ratio = 2, Cocycles = true, Threads = 2, IgnoreMemoryEstimate = true }, run.Options);
        Assert.Equal(PointMetric.Cosine, run.Metric);
        Assert.True(run.Json);
        Assert.Equal("d.npz", run.OutPath);

        var plain = RipserCommandLine.Parse(new[] { "m.lower_distance_matrix" })!;
        Assert.Null(plain.Format);
        Assert.Equal(new RipsOptions(), plain.Options);
        Assert.False(plain.Json);
        Assert.Null(RipserCommandLine.Parse(new[] { "x.csv", "--help" }));
    }

    [Theory]
    [InlineData(new[] { "--dim", "two", "x.csv" }, "--dim: expected an integer, got 'two'")]
    [InlineData(new[] { "x.csv", "--threshold" }, "--threshold: expected a value after it")]
    [InlineData(new[] { "--threshold", "nan", "x.csv" }, "--threshold: expected a number, got 'nan'")]
    [InlineData(new[] { "--bogus", "x.csv" }, "--bogus: unknown option")]
    [InlineData(new[] { "a.csv", "b.csv" }, "b.csv: expected one input file, already have 'a.csv'")]
    [InlineData(new[] { "--dim", "2" }, "FILE: expected an input file")]
    [InlineData(new[] { "--format", "xml", "x.csv" }, "--format: expected one of")]
    [InlineData(new[] { "--metric", "hamming", "x.csv" }, "--metric: expected euclidean")]
    public void BadArgumentsAreNamed(string[] args, string message)
    {
        var e = Assert.Throws<AtlasArgumentException>(() => RipserCommandLine.Parse(args));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void AtlasPhAndExecuteWriteTheSameJson()
    {
        using var tmp = new TempDir();
        var args = FixtureArgs("cloud_point");
        string outPath = Path.Combine(tmp.Path, "d.json");
        var cli = CliRunner.Run(new[] { "ph", "--json", "--out", outPath }.Concat(args).ToArray());
        Assert.True(cli.ExitCode == 0, cli.Err);
        var w = new StringWriter();
        RipserCommandLine.Parse(new[] { "--json" }.Concat(args).ToArray())!.Execute(w);
        Assert.Equal(cli.Out, w.ToString());
        Assert.Equal(cli.Out.Trim(), System.Text.Json.JsonDocument.Parse(File.ReadAllText(outPath)).RootElement.GetRawText().Replace("\n", "").Replace(" ", ""));
    }

    /// <summary>
    /// Builds atlas-ph with ./atlas-ph (NativeAOT: about a minute on 2 cores the first time) and runs it on every
    /// fixture: byte-for-byte Ripser's text, and a bad argument exits 2 with one line on stderr.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void NativeBinaryPrintsRipsersText()
    {
        string root = typeof(RipserCommandLineTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        string script = Path.Combine(root, "atlas-ph");
        var help = Run(script, "--help");
        Assert.True(help.Code == 0, help.Err);
        Assert.Contains("Usage: atlas-ph FILE", help.Out, StringComparison.Ordinal);
        foreach (var name in CaseNames)
        {
            var r = Run(script, FixtureArgs(name));
            Assert.True(r.Code == 0, name + ": " + r.Err);
            Assert.Equal(Expected(name), r.Out);
        }
        var bad = Run(script, "--dim", "two", "x.csv");
        Assert.Equal(2, bad.Code);
        Assert.Equal("atlas-ph: error: --dim: expected an integer, got 'two'\n", bad.Err);
        var missing = Run(script, "/nonexistent/cloud.csv");
        Assert.Equal(2, missing.Code);
        // The runtime's own message, not a resource key (the binary keeps its exception texts).
        Assert.Equal("atlas-ph: error: Could not find a part of the path '/nonexistent/cloud.csv'.\n", missing.Err);
    }

    private static (int Code, string Out, string Err) Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result.Replace("atlas-ph: building (NativeAOT, Release)...\n", ""));
    }
}
