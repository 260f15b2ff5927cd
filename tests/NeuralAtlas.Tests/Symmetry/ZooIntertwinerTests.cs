using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Symmetry;

public class ZooIntertwinerTests
{
    private static Tensor Random(Rng rng, int[] shape, double scale = 1, double shift = 0)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)(shift + scale * rng.Normal());
        return t;
    }

    /// <summary>A zoo model with non-trivial BatchNorm parameters and statistics, in eval mode.</summary>
    private static (Module Model, OrderedDictionary<string, Tensor> State) Model(string name, int size, Rng rng)
    {
        var m = ModelZoo.Create(name, 3, size, 10, rng);
        var state = m.StateDict();
        var changed = new List<KeyValuePair<string, Tensor>>();
        foreach (var (k, v) in state)
        {
            if (k.EndsWith("running_var")) changed.Add(new(k, Ops.Abs(Random(rng, v.Shape, 0.2, 1))));
            else if (k.EndsWith("running_mean") || (k.Contains("bn") && k.EndsWith("bias"))) changed.Add(new(k, Random(rng, v.Shape, 0.2)));
            else if (k.Contains("bn") && k.EndsWith("weight")) changed.Add(new(k, Random(rng, v.Shape, 0.2, 1)));
            else changed.Add(new(k, v));
        }
        m.LoadStateDict(changed);
        m.Eval();
        return (m, m.StateDict());
    }

    private static float[] Run(Module m, Tensor x) => m.Forward(new Var(x)).Value.Data;

    [Theory]
    [InlineData("resnet20", 16)]
    [InlineData("cnn", 28)]
    [InlineData("mlp", 28)]
    public void IntertwinedZooModelsComputeTheSameFunction(string name, int size)
    {
        var rng = new Rng(7);
        var (model, state) = Model(name, size, rng);
        var sites = name switch
        {
            "resnet20" => ZooSites.ResNet(state),
            "cnn" => ZooSites.Cnn(state, IntertwinerGroup.For("relu")),
            _ => ZooSites.Mlp(state),
        };
        var (moved, applied) = ChannelIntertwiner.Apply(state, sites, IntertwinerGroup.For("relu"), rng);
        Assert.Equal(sites.Count, applied.Count);
        var other = ModelZoo.Create(name, 3, size, 10, new Rng(1));
        other.LoadStateDict(moved);
        other.Eval();
        var x = Random(rng, new[] { 4, 3, size, size });
        var y0 = Run(model, x);
        var y1 = Run(other, x);
        double maxOut = y0.Max(Math.Abs);
        double diff = y0.Zip(y1, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(diff < 1e-5 * Math.Max(1, maxOut), $"{name}: output difference {diff} (max |y| {maxOut})");
        // The weights really moved.
        string first = sites[0].Producers[0].Name;
        Assert.True(state[first].Data.Zip(moved[first].Data, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
    }

    [Fact]
    public void WrongGroupsAndArchitecturesAreRefusedWithTheReason()
    {
        var rng = new Rng(2);
        var (_, cnn) = Model("cnn", 28, rng);
        var e = Assert.Throws<AtlasArgumentException>(() => ZooSites.Cnn(cnn, IntertwinerGroup.For("tanh")));
        Assert.Contains("max-pools", e.Message);
        Assert.Throws<AtlasArgumentException>(() => ZooSites.ResNet(cnn));
        Assert.Throws<AtlasArgumentException>(() => ChannelIntertwiner.Apply(cnn, ZooSites.Cnn(cnn, IntertwinerGroup.For("relu")), IntertwinerGroup.For("identity"), rng));
        var bad = new List<ChannelSite> { new("x", 5, new[] { new Producer("conv1.weight", ProducerRole.Scale) }, Array.Empty<Consumer>()) };
        var e2 = Assert.Throws<ShapeMismatchException>(() => ChannelIntertwiner.Apply(cnn, bad, IntertwinerGroup.For("relu"), rng));
        Assert.Contains("expected 5 channels", e2.Message);
    }
}

public class ZooIntertwineCliTests
{
    [Fact]
    public void IntertwineCommandHandlesResNetFilesFromTheZoo()
    {
        using var tmp = new NeuralAtlas.Tests.Support.TempDir();
        var spec = new ModelSpec("resnet20", 3, 16, 10);
        var model = spec.Create(new Rng(3));
        ModelFile.Save(tmp.File("r.safetensors"), model, spec);
        var r = NeuralAtlas.Tests.Support.CliRunner.Run("intertwine", "--weights", tmp.File("r.safetensors"), "--samples", "8", "--out", tmp.File("t.safetensors"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("12 intertwiner sites", r.Out);
        var line = r.Out.Split('\n').First(l => l.StartsWith("max output difference"));
        double diff = double.Parse(line.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(diff < 1e-5, line);
        var (back, backSpec) = ModelFile.Load(tmp.File("t.safetensors"));
        Assert.Equal("resnet20", backSpec.Name);
        Assert.NotEqual(model.StateDict()["layer1.0.bn1.weight"].Data, back.StateDict()["layer1.0.bn1.weight"].Data);
        var bad = NeuralAtlas.Tests.Support.CliRunner.Run("intertwine", "--weights", tmp.File("r.safetensors"), "--activation", "tanh", "--out", tmp.File("u.safetensors"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("uses ReLU", bad.Err);
    }
}
