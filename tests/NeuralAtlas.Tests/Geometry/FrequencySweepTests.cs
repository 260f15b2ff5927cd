using System.Text.Json;
using NeuralAtlas.Data;
using NeuralAtlas.Geometry;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

public class FrequencySweepTests
{
    private static readonly FrequencySweepOptions Small = new()
    {
        WeightDecays = new[] { 0.0, 1.0 }, Depths = new[] { 1, 2 }, Epochs = 2, TrainCount = 512, Count = 6, EvalCount = 64, Channels = 4,
    };

    [Fact]
    public void SmallSweepHasTheStructureAndFactsOfTheMeasure()
    {
        var lines = new List<string>();
        var r = FrequencySweep.Run(Datasets.Load("synthetic", null, 0), "synthetic", Small, lines.Add);
        Assert.Equal(new[] { (1, 0.0), (1, 1.0), (2, 0.0), (2, 1.0) }, r.Runs.Select(x => (x.Depth, x.WeightDecay)));
        Assert.Equal(4 * 2 + 4, lines.Count); // one line per epoch and one summary per model
        int hw = r.Height * r.Width;
        Assert.Equal(hw, r.PowerSpectrum.Length);
        Assert.All(r.PowerSpectrum, v => Assert.True(v >= 0));
        foreach (var run in r.Runs)
        {
            Assert.Equal(hw, run.Report.Sensitivity.Length);
            Assert.All(run.Report.Sensitivity, v => Assert.True(v >= 0 && double.IsFinite(v)));
            Assert.Equal(r.PowerRadial, run.Report.PowerRadial); // the same images for every model
            Assert.Equal(r.PowerRadial.Length, run.Report.SensitivityRadial.Length);
            Assert.InRange(run.Report.Correlation, -1, 1);
            Assert.InRange(run.RadialCorrelation, -1, 1);
            Assert.InRange(run.TestAccuracy, 0, 1);
            Assert.True(run.WeightNorm > 0);
        }
        // Same initialisation and batch order per depth: a strong L2 penalty ends with a smaller parameter norm.
        foreach (int d in Small.Depths)
            Assert.True(r.Runs.Single(x => x.Depth == d && x.WeightDecay == 1.0).WeightNorm < r.Runs.Single(x => x.Depth == d && x.WeightDecay == 0).WeightNorm);
    }

    [Fact]
    public void RadialCorrelationIsOneForAPowerLawAndMinusOneForItsInverse()
    {
        var p = new[] { 5.0, 4, 2, 1, 0.5, 0.3 };
        Assert.Equal(1, FrequencySweep.RadialLogCorrelation(p.Select(v => 3 * v * v).ToArray(), p), 12);
        Assert.Equal(-1, FrequencySweep.RadialLogCorrelation(p.Select(v => 1 / v).ToArray(), p), 12);
        Assert.True(double.IsNaN(FrequencySweep.RadialLogCorrelation(new double[6], p))); // a dead model has no profile
    }

    [Fact]
    public void CliWritesJsonAndSvgAndRefusesBadLists()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("frequency", "sweep", "--weight-decay", "0,0.5", "--depths", "1", "--epochs", "1", "--train-count", "128",
            "--count", "3", "--eval-count", "32", "--channels", "2", "--relu", "--out", dir.File("s.json"), "--svg", dir.File("s.svg"));
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("depth\tweight_decay", r.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        var root = doc.RootElement;
        Assert.Equal("synthetic", root.GetProperty("data").GetString());
        Assert.True(root.GetProperty("settings").GetProperty("relu").GetBoolean());
        int hw = root.GetProperty("height").GetInt32() * root.GetProperty("width").GetInt32();
        Assert.Equal(hw, root.GetProperty("power_spectrum").GetArrayLength());
        var runs = root.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        foreach (var run in runs.EnumerateArray())
        {
            Assert.Equal(hw, run.GetProperty("sensitivity").GetArrayLength());
            Assert.Equal(root.GetProperty("power_radial").GetArrayLength(), run.GetProperty("sensitivity_radial").GetArrayLength());
            Assert.InRange(run.GetProperty("correlation").GetDouble(), -1, 1);
        }
        Assert.StartsWith("<svg", File.ReadAllText(dir.File("s.svg")));

        Assert.Equal(2, CliRunner.Run("frequency", "sweep", "--depths", "1,x", "--out", dir.File("b.json")).ExitCode);
        Assert.Equal(2, CliRunner.Run("frequency", "sweep", "--depths", "0", "--out", dir.File("b.json")).ExitCode);
        Assert.Equal(2, CliRunner.Run("frequency", "sweep", "--weight-decay", "-1", "--out", dir.File("b.json")).ExitCode);
        Assert.False(File.Exists(dir.File("b.json")));
    }
    /// <summary>
    /// The trend the theory predicts and this family shows reliably (synthetic and Fashion-MNIST, seeds 0–2, depths
    /// 1–2: margins 0.03–0.14): weight decay 0.1 aligns the sensitivity with the data's power more than no weight
    /// decay. Depth 3 and the depth trend itself are not asserted: at 4 epochs they vary with the seed.
    /// </summary>
    [Theory, Trait("Category", "Slow")]
    [InlineData(0)]
    [InlineData(1)]
    public void WeightDecayRaisesTheCorrelationWithThePowerSpectrum(int seed)
    {
        var o = new FrequencySweepOptions { WeightDecays = new[] { 0.0, 0.1 }, Depths = new[] { 1, 2 }, Seed = seed };
        var r = FrequencySweep.Run(Datasets.Load("synthetic", null, seed), "synthetic", o);
        foreach (int d in o.Depths)
        {
            double none = r.Runs.Single(x => x.Depth == d && x.WeightDecay == 0).Report.Correlation;
            double decayed = r.Runs.Single(x => x.Depth == d && x.WeightDecay == 0.1).Report.Correlation;
            Assert.True(decayed > none + 0.01, $"depth {d}: correlation {none:F4} without weight decay, {decayed:F4} with 0.1");
        }
    }
}
