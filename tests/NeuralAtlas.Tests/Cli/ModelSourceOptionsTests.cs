using System.CommandLine;
using NeuralAtlas.Autograd;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Cli;

public class ModelSourceOptionsTests
{
    private static (ModelSourceOptions Options, ParseResult Parse) Parse(bool weightsRequired, params string[] args)
    {
        var o = new ModelSourceOptions(weightsRequired, withData: true);
        var cmd = new Command("t");
        o.AddTo(cmd);
        return (o, cmd.Parse(args));
    }

    [Fact]
    public void OnnxExcludesModelAndWeightsAndNeedsOneOfThemWhenRequired()
    {
        var set = Datasets.Load("synthetic").Test.Take(4);
        string cnn = Fixtures.Path("onnx", "export_cnn.onnx");
        var (o, p) = Parse(true, "--onnx", cnn, "--model", "cnn");
        Assert.Equal("--model", Assert.Throws<AtlasArgumentException>(() => o.Load(p, set)).Argument);
        (o, p) = Parse(true, "--onnx", cnn, "--weights", "w.safetensors");
        Assert.Contains("exactly one", Assert.Throws<AtlasArgumentException>(() => o.Load(p, set)).Message);
        (o, p) = Parse(true);
        Assert.Equal("--weights", Assert.Throws<AtlasArgumentException>(() => o.Load(p, set)).Argument);
    }

    [Fact]
    public void OnnxLoadsAsAnEvalModeGraphAndAFreshModelIsTheSeededZooModel()
    {
        var set = Datasets.Load("synthetic").Test.Take(4);
        var (o, p) = Parse(true, "--onnx", Fixtures.Path("onnx", "export_cnn.onnx"));
        Assert.True(o.IsOnnx(p));
        var m = o.Load(p, set);
        Assert.True(m.IsOnnx);
        Assert.Null(m.Spec);
        Assert.False(m.Module.Training);
        Assert.Equal(new[] { 4, set.ClassCount }, m.Module.Forward(new Var(set.Images())).Shape);

        (o, p) = Parse(false, "--model", "mlp");
        var fresh = o.Load(p, set, seed: 7);
        Assert.False(fresh.IsOnnx);
        var reference = ModelZoo.Create("mlp", set.Channels, set.Height, set.ClassCount, new Rng(7));
        reference.Eval();
        var x = new Var(set.Images());
        Assert.Equal(reference.Forward(x).Value.Data.ToArray(), fresh.Module.Forward(x).Value.Data.ToArray());
    }

    [Fact]
    public void AGraphWhoseInputCannotTakeTheImagesIsRefusedBeforeRunning()
    {
        var set = Datasets.Load("synthetic").Test.Take(4);
        var (o, p) = Parse(true, "--onnx", Fixtures.Path("onnx", "mlp_gelu.onnx"));
        Assert.Equal(2, OnnxModel.Load(Fixtures.Path("onnx", "mlp_gelu.onnx")).Inputs[0].Shape.Count); // [batch, 12]
        var e = Assert.Throws<AtlasArgumentException>(() => o.Load(p, set));
        Assert.Equal("--onnx", e.Argument);
        Assert.Contains("[N, 1, 28, 28]", e.Message);
    }
}
