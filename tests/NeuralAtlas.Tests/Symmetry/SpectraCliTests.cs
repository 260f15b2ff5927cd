using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.ConvSpectra;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class SpectraCliTests
{
    private static Tensor RandomTensor(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal();
        return t;
    }

    [Fact]
    public void ConvSvdWritesSpectraOfEveryConvAndLinearWeight()
    {
        using var tmp = new TempDir();
        var rng = new Rng(1);
        var conv = RandomTensor(rng, 8, 3, 3, 3);
        var fc = RandomTensor(rng, 10, 40);
        Npz.Write(tmp.File("w.npz"), new[]
        {
            new KeyValuePair<string, Tensor>("conv.weight", conv),
            new KeyValuePair<string, Tensor>("conv.bias", RandomTensor(rng, 8)),
            new KeyValuePair<string, Tensor>("fc.weight", fc),
        });
        var r = CliRunner.Run("conv-svd", "--weights", tmp.File("w.npz"), "--input-size", "6", "--layer", "conv.weight=6:2", "--out", tmp.File("s.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(tmp.File("s.json")));
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(new[] { "conv.weight", "fc.weight" }, layers.Select(l => l.GetProperty("name").GetString()));
        // The reshaped SVD of the conv weight is the SVD of its 8 × 27 matrix.
        var expected = Decompositions.SingularValues(new DMatrix(8, 27, conv.Data.Select(x => (double)x).ToArray()));
        var got = layers[0].GetProperty("singular_values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < 8; i++) Assert.True(Math.Abs(got[i] - expected[i]) < 1e-9);
        var op = layers[0].GetProperty("operator");
        Assert.Equal(2, op.GetProperty("stride").GetInt32());
        Assert.Equal(9 * 8, op.GetProperty("count").GetInt32()); // (6/2)² frequencies × min(8, 4·3)
        var exact = ConvOperatorSpectrum.SingularValues(ConvKernel.FromTensor(conv), 6, 2);
        Assert.True(Math.Abs(op.GetProperty("spectral_norm").GetDouble() - exact[0]) < 1e-9);
        Assert.False(layers[1].TryGetProperty("operator", out _));
        Assert.Contains("average alpha", r.Out);
    }

    [Fact]
    public void ConvSvdRejectsBadInput()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("w.txt"), "nope");
        var r = CliRunner.Run("conv-svd", "--weights", tmp.File("w.txt"), "--out", tmp.File("s.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(".safetensors or .npz", r.Err);
        Npz.Write(tmp.File("b.npz"), new[] { new KeyValuePair<string, Tensor>("bias", new Tensor(4)) });
        var r2 = CliRunner.Run("conv-svd", "--weights", tmp.File("b.npz"), "--out", tmp.File("s.json"));
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("no 4-D convolution or 2-D linear weight", r2.Err);
        var r3 = CliRunner.Run("conv-svd", "--weights", tmp.File("b.npz"), "--model", "vgg", "--out", tmp.File("s.json"));
        Assert.Equal(2, r3.ExitCode);
        Assert.False(File.Exists(tmp.File("s.json")));
    }

    [Fact]
    public void ResNetGeometryFollowsStagesAndStrides()
    {
        var g = ResNetCifarGeometry.For(new[]
        {
            "conv1.weight", "layer1.2.conv2.weight", "layer2.0.conv1.weight", "layer2.0.conv2.weight",
            "layer2.0.shortcut.0.weight", "layer3.0.conv1.weight", "layer3.1.conv1.weight", "fc.weight",
        }, 32);
        Assert.Equal(new ConvGeometry(32, 1), g["conv1.weight"]);
        Assert.Equal(new ConvGeometry(32, 1), g["layer1.2.conv2.weight"]);
        Assert.Equal(new ConvGeometry(32, 2), g["layer2.0.conv1.weight"]);
        Assert.Equal(new ConvGeometry(16, 1), g["layer2.0.conv2.weight"]);
        Assert.Equal(new ConvGeometry(32, 2), g["layer2.0.shortcut.0.weight"]);
        Assert.Equal(new ConvGeometry(16, 2), g["layer3.0.conv1.weight"]);
        Assert.Equal(new ConvGeometry(8, 1), g["layer3.1.conv1.weight"]);
        Assert.False(g.ContainsKey("fc.weight"));
    }

    [Fact]
    public void InfluentialDirectionsKeepTheCumulativeShare()
    {
        // With U = I the projection scores are the channel norms: energies 9, 4, 1, 0 over two positions.
        var u = DMatrix.Identity(4);
        double[] a = { 3, 0, 0, 2, 1, 0, 0, 0 }; // channel-major: c0 = (3,0), c1 = (0,2), c2 = (1,0), c3 = (0,0)
        var inf = InfluentialDirections.Select(u, a, 4, 0.8);
        Assert.Equal(new[] { 0, 1 }, inf.Directions);
        Assert.Equal(new[] { 3.0, 2.0 }, inf.Scores);
        Assert.Equal(13.0 / 14, inf.Share, 12);
        Assert.Equal(new[] { 0 }, InfluentialDirections.Select(u, a, 4, 0.5).Directions);
        Assert.Equal(3, InfluentialDirections.Select(u, a, 4, 1.0).Directions.Length);
        Assert.Throws<AtlasArgumentException>(() => InfluentialDirections.Select(u, a, 4, 0));
        Assert.Throws<ShapeMismatchException>(() => InfluentialDirections.Select(u, a, 3, 0.5));
    }

    [Fact]
    public void HypergraphSeparatesClassesThroughTheCli()
    {
        using var tmp = new TempDir();
        // A 1×1 "conv" with an orthogonal weight: its left singular vectors are ± the channel axes (up to order).
        var w = new Tensor(3, 3, 1, 1);
        w.Data[0] = 3; w.Data[4] = 2; w.Data[8] = 1;
        Safetensors.Write(tmp.File("w.safetensors"), new[] { new KeyValuePair<string, Tensor>("c.weight", w) });
        var rng = new Rng(4);
        int n = 20;
        var acts = new float[n * 3 * 2 * 2];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            int hot = i % 2 == 0 ? 0 : 2; // class 0 lives on channel 0, class 1 on channel 2
            for (int p = 0; p < 4; p++)
                for (int c = 0; c < 3; c++) acts[(i * 3 + c) * 4 + p] = (float)((c == hot ? 5 : 0.1) * (1 + 0.1 * rng.Normal()));
        }
        Npy.Write(tmp.File("a.npy"), new Tensor(new[] { n, 3, 2, 2 }, acts));
        Npy.Write(tmp.File("y.npy"), NdArray.FromInt64s(labels, n));
        var r = CliRunner.Run("svd-influence", "--weights", tmp.File("w.safetensors"), "--layer", "c.weight", "--activations", tmp.File("a.npy"),
            "--labels", tmp.File("y.npy"), "--out", tmp.File("h.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(tmp.File("h.json")));
        var classes = doc.RootElement.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(2, classes.Count);
        // Singular values 3, 2, 1 put channel 0 first (direction 0) and channel 2 last (direction 2).
        Assert.Equal(new[] { 0 }, classes[0].GetProperty("hyperedge").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new[] { 2 }, classes[1].GetProperty("hyperedge").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(10, classes[0].GetProperty("incidence")[0].GetInt32());
        Assert.Equal(n, doc.RootElement.GetProperty("inputs").GetArrayLength());

        var bad = CliRunner.Run("svd-influence", "--weights", tmp.File("w.safetensors"), "--layer", "nope", "--activations", tmp.File("a.npy"),
            "--labels", tmp.File("y.npy"), "--out", tmp.File("h2.json"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("c.weight", bad.Err);
    }
}
