using System.Text.Json.Nodes;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Robustness;

/// <summary>The robustness commands end to end on an untrained MLP and the synthetic data (fast; behaviour, not accuracy).</summary>
public class RobustnessCommandTests
{
    private static string Weights(TempDir dir)
    {
        var spec = new ModelSpec("mlp", 1, 28, 10);
        string path = dir.File("mlp.safetensors");
        ModelFile.Save(path, spec.Create(new Rng(0)), spec);
        return path;
    }

    [Fact]
    public void AttackPrintsRatesAndWritesJson()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("attack", "--weights", Weights(dir), "--count", "40", "--eps", "0.1", "--steps", "5", "--subspace", "patch:8", "--out", dir.File("a.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        var json = JsonNode.Parse(File.ReadAllText(dir.File("a.json")))!;
        double success = json["success_rate"]!.GetValue<double>(), robust = json["robust_accuracy"]!.GetValue<double>(), clean = json["clean_accuracy"]!.GetValue<double>();
        Assert.InRange(success, 0, 1);
        Assert.True(robust <= clean + 1e-12);
        Assert.Equal(64, json["dim_v"]!.GetValue<int>());
        Assert.All(json["perturbation_norm"]!.AsArray(), n => Assert.True(n!.GetValue<double>() <= 0.1 + 1e-6));
        Assert.Contains("success_rate\t", r.Out);
    }

    [Fact]
    public void ScalingLawWritesOnePointPerNormRatioAndEpsilon()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("scaling-law", "--weights", Weights(dir), "--count", "20", "--norms", "inf,2", "--ratios", "0.25,1",
            "--eps-inf", "0.05,0.2", "--eps-2", "0.5,2", "--steps", "3", "--out", dir.File("s.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        var pts = JsonNode.Parse(File.ReadAllText(dir.File("s.json")))!["points"]!.AsArray();
        Assert.Equal(8, pts.Count);
        foreach (var p in pts)
        {
            double ratio = p!["ratio"]!.GetValue<double>(), eps = p["eps"]!.GetValue<double>(), eff = p["effective_eps"]!.GetValue<double>();
            double expected = p["norm"]!.GetValue<string>() == "inf" ? eps * ratio : eps * Math.Sqrt((double)p["dim_v"]!.GetValue<int>() / p["dim_x"]!.GetValue<int>());
            Assert.Equal(expected, eff, 1e-9);
        }
    }

    [Fact]
    public void RobustnessTableCoversEveryCorruptionAndSeverity()
    {
        using var dir = new TempDir();
        string w = Weights(dir);
        var r = CliRunner.Run("robustness", "--weights", w, "--count", "16", "--corruptions", "gaussian_noise,pixelate", "--severity", "1,3",
            "--baseline", w, "--out", dir.File("r.json"), "--export", dir.File("sets.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var json = JsonNode.Parse(File.ReadAllText(dir.File("r.json")))!;
        Assert.Equal(4, json["scores"]!.AsArray().Count);
        Assert.Equal(1.0, json["mce"]!.GetValue<double>(), 12); // a model against itself
        var sets = NeuralAtlas.IO.Npz.Read(dir.File("sets.npz"));
        Assert.Equal(new[] { "labels", "gaussian_noise/s1", "gaussian_noise/s3", "pixelate/s1", "pixelate/s3" }, sets.Keys);
    }

    [Theory]
    [InlineData("attack", "--eps", "-1")]
    [InlineData("attack", "--norm", "3")]
    [InlineData("attack", "--subspace", "patch:99")]
    [InlineData("robustness", "--severity", "7")]
    public void BadArgumentsGiveOneClearLine(string command, string option, string value)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(command, "--weights", Weights(dir), "--count", "4", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("atlas: error:", r.Err);
    }
}

public class RobustnessOnnxTests
{
    [Fact]
    public void AttackRunsOnAnImportedOnnxModelLikeOnTheSameWeightsNatively()
    {
        // cnn.onnx is PyTorch's export of the reference CNN; its initializers carry the state-dict names, so the zoo
        // CNN can load them and the attack must give the same result on both (no random start: deterministic).
        string onnx = Fixtures.Path("onnx", "cnn.onnx");
        using var dir = new TempDir();
        var module = new NeuralAtlas.Onnx.OnnxModule(NeuralAtlas.Onnx.OnnxModel.Load(onnx));
        var spec = new NeuralAtlas.Nn.Zoo.ModelSpec("cnn", 1, 28, 10);
        var native = spec.Create(new Rng(0));
        native.LoadStateDict(module.StateDict());
        NeuralAtlas.Nn.Zoo.ModelFile.Save(dir.File("cnn.safetensors"), native, spec);
        string[] common = { "--count", "30", "--eps", "0.05", "--steps", "3", "--no-random-start" };
        var a = CliRunner.Run(new[] { "attack", "--onnx", onnx }.Concat(common).ToArray());
        var b = CliRunner.Run(new[] { "attack", "--weights", dir.File("cnn.safetensors") }.Concat(common).ToArray());
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Equal(b.Out, a.Out);
        Assert.Equal(2, CliRunner.Run("attack", "--onnx", onnx, "--weights", onnx, "--count", "4").ExitCode);
        Assert.Equal(2, CliRunner.Run("attack", "--count", "4").ExitCode);
    }
}
