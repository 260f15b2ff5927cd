using NeuralAtlas.Geometry;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Geometry;

public class FrequencySensitivityTests
{
    [Fact]
    public void LinearModelMapIsItsWeightsFourierMagnitude()
    {
        var lin = new Linear(64, 1, new Rng(1));
        var model = new Sequential(new[] { new KeyValuePair<string, Module>("flatten", new Flatten()), new("fc", lin) });
        var rng = new Rng(2);
        var x = new Tensor(new[] { 5, 1, 8, 8 }, Enumerable.Range(0, 320).Select(_ => (float)rng.Normal()).ToArray());
        var r = FrequencySensitivity.Compute(model, x, logit: 0);
        var (re, im) = FrequencySensitivity.Dft2(lin.Weight.Value.Data, 8, 8);
        for (int k = 0; k < 8; k++)
            for (int l = 0; l < 8; l++)
            {
                double expect = Math.Sqrt(re[k * 8 + l] * re[k * 8 + l] + im[k * 8 + l] * im[k * 8 + l]);
                Assert.Equal(expect, r.Sensitivity[((k + 4) % 8) * 8 + (l + 4) % 8], 5);
            }
    }

    [Fact]
    public void DftIsOrthonormalAndHighPassRemovesTheCentralSquare()
    {
        var rng = new Rng(3);
        var img = Enumerable.Range(0, 48).Select(_ => (float)rng.Normal()).ToArray();
        var (re, im) = FrequencySensitivity.Dft2(img, 6, 8);
        Assert.Equal(img.Sum(v => (double)v * v), re.Zip(im, (a, b) => a * a + b * b).Sum(), 8); // Parseval
        // A constant image is pure DC: high-pass at any ratio removes it entirely.
        var flat = new Tensor(new[] { 1, 1, 6, 8 }, Enumerable.Repeat(2f, 48).ToArray());
        Assert.All(FrequencySensitivity.HighPass(flat, 0.25).Data, v => Assert.True(Math.Abs(v) < 1e-5));
        // Ratio 0 removes only DC: the result is the image minus its mean.
        var t = new Tensor(new[] { 1, 1, 6, 8 }, img);
        var hp = FrequencySensitivity.HighPass(t, 0);
        double mean = img.Average(v => (double)v);
        for (int i = 0; i < 48; i++) Assert.Equal(img[i] - mean, hp.Data[i], 4);
        Assert.Throws<AtlasArgumentException>(() => FrequencySensitivity.HighPass(t, 1.5));
    }
}

public class FrequencyCliTests
{
    [Fact]
    public void WritesMapsAndHighPassData()
    {
        using var dir = new NeuralAtlas.Tests.Support.TempDir();
        var r = NeuralAtlas.Tests.Support.CliRunner.Run("frequency", "--count", "3", "--high-pass", "0.5", "--high-pass-out", dir.File("hp.npy"), "--out", dir.File("f.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("correlation\t", r.Out);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("f.json")));
        int h = doc.RootElement.GetProperty("height").GetInt32(), w = doc.RootElement.GetProperty("width").GetInt32();
        Assert.Equal(h * w, doc.RootElement.GetProperty("sensitivity").GetArrayLength());
        Assert.Equal(new[] { 3, 1, h, w }, NeuralAtlas.IO.Npy.Read(dir.File("hp.npy")).Shape);
        var bad = NeuralAtlas.Tests.Support.CliRunner.Run("frequency", "--count", "1", "--high-pass", "2", "--out", dir.File("g.json"));
        Assert.Equal(2, bad.ExitCode);
    }
}
