using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Topology;

/// <summary>`atlas diagram-distance` on the oracle, from several file forms.</summary>
public class DiagramDistanceCliTests
{
    [Fact]
    public void OracleFromTextAndRipserOutput()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("a.txt"), "2.7 3.7\n9.6 14\n34.2 34.974\n3 inf\n");
        File.WriteAllText(t.File("b.txt"), "persistence intervals in dim 0:\n [0, )\npersistence intervals in dim 1:\n [2.8,4.45)\n [9.5,14.1)\n [3.2, )\n");
        var r = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"), "--metric", "bottleneck");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(0.75, double.Parse(r.Out.Trim(), System.Globalization.CultureInfo.InvariantCulture), 12);
        var w = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"), "--metric", "wasserstein", "--p", "1");
        Assert.True(w.ExitCode == 0, w.Err);
        // Matching: 0.75 + 0.4 (L∞ of (9.6,14)–(9.5,14.1) is 0.1; (34.2,34.974) to the diagonal 0.387) + essential 0.2.
        Assert.Equal(0.1 + 0.75 + 0.387 + 0.2, double.Parse(w.Out.Trim(), System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void InternalPChangesTheGroundMetric()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("a.txt"), "2.7 3.7\n9.6 14\n34.2 34.974\n3 inf\n");
        File.WriteAllText(t.File("b.txt"), "2.8 4.45\n9.5 14.1\n3.2 inf\n");
        var r = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"), "--metric", "wasserstein", "--p", "1", "--internal-p", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        // L1 ground metric: 0.1 + 0.75, 0.1 + 0.1, (34.974 − 34.2)·2^0 to the diagonal, essential 0.2 (GUDHI: 2.024).
        Assert.Equal(0.85 + 0.2 + 0.774 + 0.2, double.Parse(r.Out.Trim(), System.Globalization.CultureInfo.InvariantCulture), 9);
        var bad = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"), "--metric", "wasserstein", "--internal-p", "0.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("internal-p", bad.Err);
    }

    [Fact]
    public void DifferentEssentialCountsAreInfiniteAndBadFilesAreNamed()
    {
        using var t = new TempDir();
        File.WriteAllText(t.File("a.txt"), "0 1\n0 inf\n");
        File.WriteAllText(t.File("b.txt"), "0 1\n");
        var r = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("b.txt"));
        Assert.Equal("inf", r.Out.Trim());
        File.WriteAllText(t.File("c.txt"), "0 1\n2 1\n");
        var bad = CliRunner.Run("diagram-distance", t.File("a.txt"), t.File("c.txt"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 2", bad.Err);
    }
}
