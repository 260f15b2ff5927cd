using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Training;

public class FrozenParametersTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void FrozenParametersAreBitIdenticalAfterTrainingAndTheRestMove(string optimizer)
    {
        var net = ModelZoo.Create("cnn", 1, 28, 10, new Rng(2));
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var data = Datasets.Load("synthetic", null, 1).Train.Take(128);
        // Weight decay would move a frozen weight too if the optimizer saw it.
        Trainer.Train(net, data, new TrainOptions { Epochs = 1, Optimizer = optimizer, WeightDecay = 0.1, Frozen = new[] { "conv1", "fc1.bias" } });
        foreach (var (k, v) in net.StateDict())
        {
            bool frozen = k.StartsWith("conv1.", StringComparison.Ordinal) || k == "fc1.bias";
            if (frozen) Assert.Equal(before[k].Data, v.Data);
            else Assert.NotEqual(before[k].Data, v.Data);
        }
    }

    [Fact]
    public void AFrozenNameThatMatchesNothingIsNamed()
    {
        var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng(2));
        var e = Assert.Throws<AtlasArgumentException>(() => Trainer.Train(net, Datasets.Load("synthetic", null, 1).Train.Take(8), new TrainOptions { Frozen = new[] { "conv" } }));
        Assert.Contains("'conv' names no parameter", e.Message);
        // A prefix is a whole module name: "fc" does not freeze fc1.
        Assert.Throws<AtlasArgumentException>(() => Trainer.Trainable(net, new[] { "fc" }));
        Assert.Equal(net.Parameters().Count() - 2, Trainer.Trainable(net, new[] { "fc1" }).Count);
    }
}
