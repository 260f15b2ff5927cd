using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class IntertwineCliTests
{
    private static Tensor Random(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)(rng.Normal() / Math.Sqrt(shape[^1]));
        return t;
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("gelu")]
    public void IntertwinedMlpFileComputesTheSameFunction(string activation)
    {
        using var tmp = new TempDir();
        var rng = new Rng(3);
        var state = new List<KeyValuePair<string, Tensor>>
        {
            new("net.0.weight", Random(rng, 16, 6)), new("net.0.bias", Random(rng, 16)),
            new("net.2.weight", Random(rng, 12, 16)), new("net.2.bias", Random(rng, 12)),
            new("net.4.weight", Random(rng, 4, 12)), new("net.4.bias", Random(rng, 4)),
        };
        Safetensors.Write(tmp.File("mlp.safetensors"), state, new Dictionary<string, string> { ["model"] = "mlp" });
        var r = CliRunner.Run("intertwine", "--weights", tmp.File("mlp.safetensors"), "--activation", activation, "--out", tmp.File("t.safetensors"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("max output difference", r.Out);
        var back = Safetensors.Read(tmp.File("t.safetensors"));
        Assert.Equal("mlp", back.Metadata["model"]);
        Assert.Equal(state.Select(s => s.Key), back.Tensors.Keys);
        // Independent check: float32 weights as written reproduce the original outputs to 1e-5.
        var sigma = Activation.Parse(activation);
        List<DenseLayer> Load(IEnumerable<KeyValuePair<string, Tensor>> s)
        {
            var d = s.ToDictionary(k => k.Key, k => k.Value);
            return new[] { "net.0", "net.2", "net.4" }.Select(n => new DenseLayer(n, DMatrix.FromTensor(d[n + ".weight"]),
                d[n + ".bias"].Data.Select(v => (double)v).ToArray())).ToList();
        }
        var x = new DMatrix(100, 6, Enumerable.Range(0, 600).Select(_ => 2 * rng.Normal()).ToArray());
        var (h0, y0) = MlpIntertwiner.Forward(Load(state), sigma, x);
        var (h1, y1) = MlpIntertwiner.Forward(Load(back.Tensors.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.ToTensor()))), sigma, x);
        Assert.True(y0.Data.Zip(y1.Data, (a, b) => Math.Abs(a - b)).Max() < 1e-5);
        Assert.True(h0[0].Data.Zip(h1[0].Data, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }

    [Fact]
    public void RefusesUnknownActivationsConvolutionsAndBrokenChains()
    {
        using var tmp = new TempDir();
        var rng = new Rng(1);
        Npz.Write(tmp.File("mlp.npz"), new[] { new KeyValuePair<string, Tensor>("a.weight", Random(rng, 5, 3)), new("b.weight", Random(rng, 2, 4)) });
        var r = CliRunner.Run("intertwine", "--weights", tmp.File("mlp.npz"), "--activation", "relu", "--out", tmp.File("o.npz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("b takes 4 inputs but a gives 5", r.Err);
        var r2 = CliRunner.Run("intertwine", "--weights", tmp.File("mlp.npz"), "--activation", "mish", "--out", tmp.File("o.npz"));
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("no known intertwiner group", r2.Err);
        Npz.Write(tmp.File("cnn.npz"), new[] { new KeyValuePair<string, Tensor>("c.weight", Random(rng, 4, 3, 3, 3)) });
        var r3 = CliRunner.Run("intertwine", "--weights", tmp.File("cnn.npz"), "--out", tmp.File("o.npz"));
        Assert.Equal(2, r3.ExitCode);
        Assert.Contains("convolution", r3.Err);
        Assert.False(File.Exists(tmp.File("o.npz")));
    }

    [Fact]
    public void GroupTableShowsMembersAndNonMembers()
    {
        var r = CliRunner.Run("intertwiners", "--activation", "tanh", "--n", "4", "--samples", "64");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("tanh\tflip sign of unit 0\tyes", r.Out);
        Assert.Contains("tanh\tscale by 2\tno", r.Out);
    }
}
