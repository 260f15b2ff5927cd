using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Robustness;

public class OnnxBaselineTests
{
    [Fact]
    public void AnOnnxBaselineGivesTheSameCorruptionErrorsAsItsWeights()
    {
        using var dir = new TempDir();
        foreach (int seed in new[] { 1, 2 })
            ModelFile.Save(dir.File($"m{seed}.safetensors"), ModelZoo.Create("cnn", 1, 28, 10, new Rng((ulong)seed)), new ModelSpec("cnn", 1, 28, 10));
        Assert.Equal(0, CliRunner.Run("export-onnx", "--weights", dir.File("m2.safetensors"), "--out", dir.File("m2.onnx")).ExitCode);
        string[] common = { "robustness", "--weights", dir.File("m1.safetensors"), "--count", "16", "--corruptions", "gaussian_noise,pixelate", "--severity", "3" };
        var a = CliRunner.Run(common.Concat(new[] { "--baseline", dir.File("m2.safetensors"), "--out", dir.File("a.json") }).ToArray());
        var b = CliRunner.Run(common.Concat(new[] { "--baseline", dir.File("m2.onnx"), "--out", dir.File("b.json") }).ToArray());
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.True(b.ExitCode == 0, b.Err);
        Assert.Contains("mCE", b.Out);
        Assert.Equal(File.ReadAllText(dir.File("a.json")), File.ReadAllText(dir.File("b.json")));
        // A baseline graph that cannot take the images is named as --baseline.
        var c = CliRunner.Run(common.Concat(new[] { "--baseline", Fixtures.Path("onnx", "mlp_gelu.onnx") }).ToArray());
        Assert.Equal(2, c.ExitCode);
        Assert.Contains("--baseline", c.Err);
    }
}
