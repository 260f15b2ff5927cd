using System.Text.Json;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

public class FrozenBasisTests
{
    [Fact]
    public void FrozenSharedLayersMatchPerfectlyAndTrainableOnesDoNot()
    {
        var data = Datasets.Load("synthetic", null, 2);
        var small = new DatasetSplits(data.Train.Take(512), data.Test.Take(128));
        var runs = FrozenBasisExperiment.Run("mlp", small, new[] { 0, 1 }, new TrainOptions { Epochs = 1 }, evalCount: 128);
        Assert.Equal(new[] { "fc1", "fc2" }, runs[0].Layers.Select(l => l.Layer));
        // k = 0: two independent runs; units match imperfectly and not in their given order.
        Assert.All(runs[0].Layers, l => Assert.False(l.Frozen));
        Assert.True(runs[0].Layers[0].MeanMatchedCorrelation < 0.99);
        Assert.True(runs[0].Layers[0].MeanIdentityCorrelation < runs[0].Layers[0].MeanMatchedCorrelation);
        // k = 1: fc1 is the same frozen layer in both runs, so every unit equals its counterpart (correlation 1, in order).
        var fc1 = runs[1].Layers[0];
        Assert.True(fc1.Frozen);
        Assert.Equal(1.0, fc1.MeanMatchedCorrelation, 9);
        Assert.Equal(1.0, fc1.MeanIdentityCorrelation, 9);
        Assert.False(runs[1].Layers[1].Frozen);
    }

    [Fact]
    public void FrozenConvolutionsMatchChannelByChannel()
    {
        var data = Datasets.Load("synthetic", null, 2);
        var small = new DatasetSplits(data.Train.Take(256), data.Test.Take(64));
        var run = FrozenBasisExperiment.Run("cnn", small, new[] { 2 }, new TrainOptions { Epochs = 1 }, evalCount: 64)[0];
        Assert.Equal(new[] { "conv1", "conv2", "fc1" }, run.Layers.Select(l => l.Layer));
        // Both convolutions are A's initial filters in both runs: every channel's map is identical across the runs.
        foreach (var l in run.Layers.Take(2))
        {
            Assert.True(l.Frozen);
            Assert.Equal(1.0, l.MeanMatchedCorrelation, 9);
            Assert.Equal(1.0, l.MeanIdentityCorrelation, 9);
        }
        Assert.All(run.Layers.Skip(2), l => Assert.False(l.Frozen));
        Assert.True(run.Layers[2].MeanIdentityCorrelation < 0.99);
    }

    [Fact]
    public void MatchFrozenCommandWritesJsonAndRefusesTooManyLayers()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("match", "frozen", "--freeze", "1", "--epochs", "1", "--count", "64", "--out", dir.File("f.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith("1\tfc1\tyes\t1.000000\t1.000000", r.Out.Trim().Split('\n')[1]);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("f.json")));
        Assert.Equal("fc1", doc.RootElement.GetProperty("runs")[0].GetProperty("frozen")[0].GetString());
        var bad = CliRunner.Run("match", "frozen", "--freeze", "3", "--out", dir.File("g.json"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("freeze 0 to 2", bad.Err);
        Assert.False(File.Exists(dir.File("g.json")));
    }

    [Fact]
    public void MatchFrozenHelpShowsOnlyItsOwnArguments()
    {
        var help = CliRunner.Run("match", "frozen", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("match frozen [options]", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("<a>", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Arguments:", help.Out, StringComparison.Ordinal);
        Assert.Contains("--freeze", help.Out, StringComparison.Ordinal);
        // The parent still documents its own arguments.
        var parent = CliRunner.Run("match", "--help");
        Assert.Contains("<a>", parent.Out, StringComparison.Ordinal);
    }
}
