using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

public class StitchingTests
{
    private static (ImageDataset Fit, ImageDataset Test) Data()
    {
        var s = SyntheticImages.Load(0, trainCount: 600, testCount: 300);
        return (s.Train, s.Test);
    }

    /// <summary>B = A after a random ReLU intertwiner at act1: units of fc1 permuted and positively rescaled, fc2 compensating.</summary>
    internal static (Module B, int[] Pi) Intertwined(Module a, Rng rng)
    {
        var state = a.StateDict().ToDictionary(kv => kv.Key, kv => new Tensor(kv.Value.Shape, (float[])kv.Value.Data.Clone()));
        var w1 = state["fc1.weight"];
        var b1 = state["fc1.bias"];
        var w2 = state["fc2.weight"];
        int h = b1.Shape[0], inF = w1.Shape[1], outF = w2.Shape[0];
        var pi = rng.Permutation(h);
        var d = Enumerable.Range(0, h).Select(_ => (float)rng.Uniform(0.3, 3)).ToArray();
        var nw1 = new Tensor(w1.Shape);
        var nb1 = new Tensor(b1.Shape);
        var nw2 = new Tensor(w2.Shape);
        for (int k = 0; k < h; k++)
        {
            for (int j = 0; j < inF; j++) nw1.Data[k * inF + j] = d[k] * w1.Data[pi[k] * inF + j];
            nb1.Data[k] = d[k] * b1.Data[pi[k]];
            for (int o = 0; o < outF; o++) nw2.Data[o * h + k] = w2.Data[o * h + pi[k]] / d[k];
        }
        state["fc1.weight"] = nw1;
        state["fc1.bias"] = nb1;
        state["fc2.weight"] = nw2;
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(99));
        b.LoadStateDict(state);
        return (b, pi);
    }

    [Fact]
    public void PermutationScalingStitchIsExactAcrossAReluIntertwiner()
    {
        var (fit, test) = Data();
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1));
        var (b, pi) = Intertwined(a, new Rng(2));
        Assert.Equal(Trainer.Evaluate(a, test), Trainer.Evaluate(b, test), 12); // same function
        var r = ModelStitching.Stitch(a, b, "act1", fit, test, StitchKind.PermutationScaling);
        Assert.Equal(r.AccuracyA, r.StitchedAccuracy, 12);
        Assert.Equal(0, r.Penalty, 12);
        // Unit π(k) of A feeds unit k of B, for every unit alive on the fitting images (dead ones carry nothing to match).
        Tensor h;
        using (NeuralAtlas.Autograd.GradMode.NoGrad())
        {
            var v = new NeuralAtlas.Autograd.Var(fit.Images());
            foreach (var name in new[] { "flatten", "fc1", "act1" }) v = a.GetSubmodule(name).Forward(v);
            h = v.Value;
        }
        int units = h.Shape[1], alive = 0;
        for (int k = 0; k < pi.Length; k++)
        {
            int unit = pi[k];
            bool varies = Enumerable.Range(1, h.Shape[0]).Any(s => h.Data[s * units - units + unit] != h.Data[unit]);
            if (!varies) continue;
            alive++;
            Assert.Equal(k, r.Stitch.Permutation![unit]);
        }
        Assert.True(alive > units / 2, $"only {alive} of {units} units alive");
    }

    [Fact]
    public void AffineStitchOfTwoCopiesRecoversTheAccuracy()
    {
        var (fit, test) = Data();
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(3));
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(77));
        b.LoadStateDict(a.StateDict());
        var r = ModelStitching.Stitch(a, b, "act2", fit, test, StitchKind.Affine);
        Assert.InRange(r.StitchedAccuracy, r.AccuracyA - 0.01, r.AccuracyA + 0.01);
        Assert.InRange(r.Penalty, -0.01, 0.01);
    }

    [Fact]
    public void LeastSquaresFitsKnownMaps()
    {
        // An exact affine relation is recovered; a rank-r target is recovered by the rank-r stitch.
        var rng = new Rng(5);
        var x = TestData.Gaussian(rng, 50, 6);
        var w = TestData.Gaussian(rng, 6, 2);
        var low = NeuralAtlas.LinearAlgebra.Blas.Gemm(NeuralAtlas.LinearAlgebra.Blas.Gemm(x, w), TestData.Gaussian(rng, 2, 5));
        for (int i = 0; i < low.Rows; i++) for (int j = 0; j < 5; j++) low[i, j] += j;
        foreach (var kind in new[] { StitchKind.Affine, StitchKind.LowRank })
        {
            var s = ModelStitching.Fit(x, low, kind, rank: 2);
            var pred = s.Apply(x);
            for (int i = 0; i < pred.Data.Length; i++) Assert.Equal(low.Data[i], pred.Data[i], 9);
        }
        var s1 = ModelStitching.Fit(x, low, StitchKind.LowRank, rank: 1);
        var p1 = s1.Apply(x);
        double worst = Enumerable.Range(0, low.Data.Length).Max(i => Math.Abs(p1.Data[i] - low.Data[i]));
        Assert.True(worst > 1e-3, $"a rank-1 stitch cannot fit a rank-2 map, yet its worst error is {worst}");
    }

    [Fact]
    public void BadLayersAndMismatchedShapesAreRejected()
    {
        var (fit, test) = Data();
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1));
        Assert.Contains("'conv9'", Assert.Throws<AtlasArgumentException>(() => ModelStitching.Stitch(a, a, "conv9", fit, test, StitchKind.Affine)).Message);
        Assert.Contains("output layer", Assert.Throws<AtlasArgumentException>(() => ModelStitching.Stitch(a, a, "fc3", fit, test, StitchKind.Affine)).Message);
        // Units at different spatial layouts cannot be stitched position by position: a named shape error.
        var cnn = ModelZoo.Create("cnn", 1, 28, 10, new Rng(1));
        var e = Assert.Throws<ShapeMismatchException>(() => ModelStitching.Stitch(a, cnn, new StitchOptions { LayerA = "act1", LayerB = cnn.NamedModules().Skip(1).First().Key }, fit, test));
        Assert.Contains("act1", e.Message);
        var r = CliRunner.Run("stitch", "-a", "missing.safetensors", "-b", "missing.safetensors", "--layer", "act1");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void StitchCommandPrintsAccuraciesAndPenalty()
    {
        using var dir = new TempDir();
        var spec = new ModelSpec("mlp", 1, 28, 10);
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1));
        ModelFile.Save(dir.File("a.safetensors"), a, spec);
        ModelFile.Save(dir.File("b.safetensors"), Intertwined(a, new Rng(4)).B, spec);
        var r = CliRunner.Run("stitch", "-a", dir.File("a.safetensors"), "-b", dir.File("b.safetensors"), "--layer", "act1", "--kind", "perm-scale", "--fit-count", "400", "--count", "200");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("stitching_penalty\t0.0000", r.Out);
    }

    [Fact]
    public void StitchCommandTrainsIntoAnOnnxGraphAndWritesJson()
    {
        using var dir = new TempDir();
        var spec = new ModelSpec("mlp", 1, 28, 10);
        var a = ModelZoo.Create("mlp", 1, 28, 10, new Rng(1));
        ModelFile.Save(dir.File("a.safetensors"), a, spec);
        NeuralAtlas.Onnx.OnnxExport.Save(Intertwined(a, new Rng(4)).B, new[] { 1, 28, 28 }, dir.File("b.onnx"));
        var graph = NeuralAtlas.Onnx.OnnxModel.Load(dir.File("b.onnx"));
        string relu = graph.Nodes.First(n => n.OpType == "Relu").Name;
        var r = CliRunner.Run("stitch", "-a", dir.File("a.safetensors"), "--onnx-b", dir.File("b.onnx"), "--layer-a", "act1", "--layer-b", relu,
            "--kind", "perm-scale", "--train-steps", "5", "--tau", "0.05", "--fit-count", "300", "--count", "200", "--out", dir.File("s.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("step 5/5\tloss", r.Out);
        Assert.Contains("relaxed_accuracy\t", r.Out);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("s.json")));
        var root = doc.RootElement;
        Assert.Equal(relu, root.GetProperty("layer_b").GetString());
        Assert.Equal(5, root.GetProperty("train_steps").GetInt32());
        Assert.Equal(root.GetProperty("accuracy_a").GetDouble(), root.GetProperty("closed_form_accuracy").GetDouble(), 12);
        Assert.Equal(root.GetProperty("accuracy_a").GetDouble(), root.GetProperty("accuracy_b").GetDouble(), 12);
        Assert.Equal(a.GetSubmodule("fc1").Parameters().First().Shape[0], root.GetProperty("permutation").GetArrayLength());
        // Bad combinations are named errors.
        Assert.Equal(2, CliRunner.Run("stitch", "-a", dir.File("a.safetensors"), "-b", dir.File("a.safetensors"), "--onnx-b", dir.File("b.onnx"), "--layer", "act1").ExitCode);
        var sparse = CliRunner.Run("stitch", "-a", dir.File("a.safetensors"), "-b", dir.File("a.safetensors"), "--layer", "act1", "--kind", "sparse");
        Assert.Equal(2, sparse.ExitCode);
        Assert.Contains("--train-steps", sparse.Err);
        Assert.Contains("--layer", CliRunner.Run("stitch", "-a", dir.File("a.safetensors"), "-b", dir.File("a.safetensors")).Err);
    }
}
