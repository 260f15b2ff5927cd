using System.Globalization;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>Per-layer intrinsic dimension on what `atlas activations` writes, including ReLU layers with repeated rows.</summary>
public class LayerIdEndToEndTests
{
    [Fact]
    public void ARankTwoLayerHasDimensionTwoAndItsReluDuplicatesAreNamedOrRemoved()
    {
        using var dir = new TempDir();
        var net = ModelZoo.Create("mlp", 1, 28, 10, new Rng(3));
        var sd = net.StateDict();
        var w = sd["fc1.weight"];
        int units = w.Shape[0], inputs = w.Shape[1];
        // fc1 = a rank-2 map: half of its units read the direction u, half the direction v (zero bias). Its outputs
        // span a plane, so fc1's point cloud is 2-dimensional; act1 = ReLU(fc1) is all zero wherever u·x < 0 and
        // v·x < 0, which repeats the zero row.
        var rng = new Rng(8);
        var u = Enumerable.Range(0, inputs).Select(_ => rng.Normal()).ToArray();
        var v = Enumerable.Range(0, inputs).Select(_ => rng.Normal()).ToArray();
        double mu = u.Average(), mv = v.Average();
        for (int j = 0; j < units; j++)
        {
            double c = 0.5 + 0.01 * j;
            for (int i = 0; i < inputs; i++) w.Data[j * inputs + i] = (float)(c * (j < units / 2 ? u[i] - mu : v[i] - mv) / Math.Sqrt(inputs));
        }
        Array.Clear(sd["fc1.bias"].Data);
        net.LoadStateDict(sd);
        ModelFile.Save(dir.File("w.safetensors"), net, new ModelSpec("mlp", 1, 28, 10));

        var a = CliRunner.Run("activations", "--weights", dir.File("w.safetensors"), "--layers", "fc1,act1", "--count", "400", "--out", dir.File("acts.npz"));
        Assert.True(a.ExitCode == 0, a.Err);

        var strict = CliRunner.Run("id", dir.File("acts.npz"), "--estimator", "twonn", "--bootstrap", "0");
        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("act1", strict.Err);
        Assert.Contains("--duplicates remove", strict.Err);

        var r = CliRunner.Run("id", dir.File("acts.npz"), "--estimator", "twonn", "--bootstrap", "0", "--duplicates", "remove");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Trim().Split('\n').Select(l => l.Split('\t')).ToDictionary(p => p[0], p => double.Parse(p[2], CultureInfo.InvariantCulture));
        Assert.InRange(lines["fc1"], 1.6, 2.4);
        // ReLU of a plane: a union of pieces of planes and lines (plus the zero point), no more than 2-dimensional.
        Assert.True(double.IsFinite(lines["act1"]));
        Assert.InRange(lines["act1"], 0.5, 2.4);
    }
}
