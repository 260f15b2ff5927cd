using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Robustness.Attacks;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Robustness;

[Trait("Category", "Slow")]
public class AdversarialTrainingTests
{
    [Fact]
    public void PgdTrainingRaisesRobustAccuracyOverStandardTraining()
    {
        var splits = Datasets.Load("synthetic", null, 0);
        var train = splits.Train.Take(1500);
        var test = splits.Test.Take(300);
        var spec = new ModelSpec("mlp", 1, 28, 10);
        var attack = new PgdOptions { Norm = LpNorm.Inf, Epsilon = 0.08, Steps = 7 };
        double Robust(bool adversarial)
        {
            var net = spec.Create(new Rng(1));
            Trainer.Train(net, train, new TrainOptions
            {
                Epochs = 3, Seed = 1,
                BatchTransform = adversarial ? AdversarialTraining.BatchTransform(attack) : null,
            });
            var r = Pgd.Attack(net, test.Images(), test.Labels, Subspace.Parse("full", 1, 28, 28, 0), attack with { Seed = 5 });
            return r.RobustAccuracy(test.Labels);
        }
        double standard = Robust(false), robust = Robust(true);
        Assert.True(robust > standard + 0.1, $"robust accuracy: adversarial training {robust:F3}, standard {standard:F3}");
    }

    [Fact]
    public void TheTrainCommandRefusesUnknownAdversarialModes()
    {
        var r = Support.CliRunner.Run("train", "--adversarial", "fgsm-free", "--epochs", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--adversarial", r.Err);
    }
}
