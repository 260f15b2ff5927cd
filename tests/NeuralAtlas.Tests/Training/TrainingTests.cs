using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Training;

/// <summary>Training reaches a stated accuracy on the synthetic set; failures are typed; the CLI commands work end to end.</summary>
public class TrainingTests
{
    private static ImageDataset Subset(ImageDataset d, int n) =>
        new(d.Name, d.Channels, d.Height, d.Width, d.Pixels.AsSpan(0, n * d.ImageSize).ToArray(), d.Labels[..n], d.ClassNames);

    [Fact]
    public void ReferenceCnnLearnsTheSyntheticSet()
    {
        // 3,000 images, 2 epochs: chance is 0.10; the CNN must reach at least 0.60 on 1,000 held-out images.
        var splits = SyntheticImages.Load(0);
        var model = new ReferenceCnn(new Rng(0));
        var res = Trainer.Train(model, Subset(splits.Train, 3000), new TrainOptions { Epochs = 2, BatchSize = 32, LearningRate = 2e-3 });
        Assert.True(res.Epochs[1].Loss < res.Epochs[0].Loss, "loss should fall from epoch 1 to 2");
        double acc = Trainer.Evaluate(model, Subset(splits.Test, 1000));
        Assert.True(acc >= 0.60, $"test accuracy {acc}");
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        var train = Subset(SyntheticImages.Load(0).Train, 256);
        float[] Run()
        {
            var m = new Mlp(784, new[] { 32 }, 10, new Rng(5));
            Trainer.Train(m, train, new TrainOptions { Epochs = 1, BatchSize = 64, Seed = 5 });
            return m.StateDict()["fc1.weight"].Data;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void NonFiniteLossStopsWithTheStep()
    {
        var train = Subset(SyntheticImages.Load(0).Train, 512);
        var m = new Mlp(784, new[] { 32 }, 10, new Rng(0));
        var e = Assert.Throws<NonFiniteLossException>(() => Trainer.Train(m, train, new TrainOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e12, Optimizer = "sgd" }));
        Assert.True(e.Step >= 1);
        Assert.Contains($"step {e.Step}", e.Message);
    }

    [Fact]
    public void TrainEvalActivationsFromTheCommandLine()
    {
        using var dir = new TempDir();
        string w = dir.File("m.safetensors"), acts = dir.File("a.npz");
        var r = CliRunner.Run("train", "--model", "mlp", "--epochs", "1", "--out", w);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("test accuracy", r.Out);
        var e = CliRunner.Run("eval", "--weights", w);
        Assert.True(e.ExitCode == 0, e.Err);
        double acc = double.Parse(e.Out.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(acc, 0.3, 1.0);
        var a = CliRunner.Run("activations", "--weights", w, "--layers", "fc1,act2", "--count", "50", "--out", acts);
        Assert.True(a.ExitCode == 0, a.Err);
        var npz = Npz.Read(acts);
        Assert.Equal(new[] { 50, 256 }, npz["fc1"].Shape);
        Assert.Equal(new[] { 50, 128 }, npz["act2"].Shape);
        Assert.Equal(new[] { 50 }, npz["labels"].Shape);
    }

    [Fact]
    public void MissingWeightsAndBadOptionsGiveOneLine()
    {
        var r = CliRunner.Run("eval", "--weights", "/nonexistent/w.safetensors");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        var m = CliRunner.Run("train", "--model", "vgg");
        Assert.Equal(2, m.ExitCode);
        Assert.Contains("unknown model 'vgg'", m.Err);
        var d = CliRunner.Run("train", "--data", "/nonexistent/folder");
        Assert.Equal(2, d.ExitCode);
        var l = CliRunner.Run("train", "--lr", "-1");
        Assert.Equal(2, l.ExitCode);
    }
}
