using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

public class TrainedStitchingTests
{
    private static (ImageDataset Fit, ImageDataset Test) Data()
    {
        var s = SyntheticImages.Load(0, trainCount: 600, testCount: 300);
        return (s.Train, s.Test);
    }

    /// <summary>An mlp trained for one epoch, so accuracies are far from chance and a stitch cannot win by training alone.</summary>
    private static Module TrainedMlp(ImageDataset fit, ulong seed)
    {
        var m = ModelZoo.Create("mlp", 1, 28, 10, new Rng(seed));
        Trainer.Train(m, fit, new TrainOptions { Epochs = 2, BatchSize = 32, LearningRate = 2e-3, Seed = 1 });
        m.Eval();
        return m;
    }

    private static Dictionary<string, float[]> Snapshot(Module m) => m.StateDict().ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Data.Clone());

    private static void AssertUnchanged(Dictionary<string, float[]> before, Module m)
    {
        var after = m.StateDict();
        Assert.Equal(before.Count, after.Count);
        foreach (var (k, v) in before) Assert.True(v.AsSpan().SequenceEqual(after[k].Data), $"{k} changed while training the stitch");
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad, "requires-grad restored after training"));
    }

    [Fact]
    public void SinkhornConvergesToTheDoublyStochasticScalingOfA2x2Matrix()
    {
        // For K = [[a, b], [c, d]] the doubly stochastic scaling D1·K·D2 is [[x, 1−x], [1−x, x]] with
        // x/(1−x) = √(ad/bc) (the cross ratio ad/bc is invariant under row and column scaling).
        double a = 3, b = 1, c = 2, d = 5, tau = 0.5;
        var logits = new Var(new Tensor(new[] { 2, 2 }, new[] { a, b, c, d }.Select(v => (float)(tau * Math.Log(v))).ToArray()));
        var p = Sinkhorn.Normalize(logits, tau, 50).Value.Data;
        double x = Math.Sqrt(a * d) / (Math.Sqrt(a * d) + Math.Sqrt(b * c));
        Assert.Equal(x, p[0], 5);
        Assert.Equal(1 - x, p[1], 5);
        Assert.Equal(1 - x, p[2], 5);
        Assert.Equal(x, p[3], 5);
        // A random 6×6: rows and columns sum to 1.
        var rng = new Rng(3);
        var l = new Var(new Tensor(new[] { 6, 6 }, Enumerable.Range(0, 36).Select(_ => (float)rng.Uniform(-1, 1)).ToArray()));
        var q = Sinkhorn.Normalize(l, 0.2, 100).Value.Data;
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(1, Enumerable.Range(0, 6).Sum(j => (double)q[i * 6 + j]), 4);
            Assert.Equal(1, Enumerable.Range(0, 6).Sum(j => (double)q[j * 6 + i]), 4);
        }
    }

    [Fact]
    public void SinkhornTrainedPermutationScalingStitchRoundsToTheIntertwinerPermutation()
    {
        var (fit, test) = Data();
        var a = TrainedMlp(fit, 1);
        var (b, pi) = StitchingTests.Intertwined(a, new Rng(2));
        var before = Snapshot(b);
        var progress = new List<StitchProgress>();
        var r = ModelStitching.Stitch(a, b, new StitchOptions
        {
            LayerA = "act1", LayerB = "act1", Kind = StitchKind.PermutationScaling, TrainSteps = 30, LearningRate = 1e-2, Tau = 0.05,
            Progress = progress.Add,
        }, fit, test);
        AssertUnchanged(before, b);
        Assert.Equal(30, progress[^1].Step);
        Assert.NotNull(r.RelaxedAccuracy);
        // Rounded: exactly the intertwiner's permutation on every identifiable unit of A: one that varies over the fitting
        // images and is not perfectly correlated with another unit (units alive on a single image tie with each other).
        Tensor h;
        using (GradMode.NoGrad()) h = LayerTaps.Outputs(a, new Var(fit.Images()), new[] { "act1" })[0].Value;
        int units = h.Shape[1], identifiable = 0;
        var hm = new NeuralAtlas.LinearAlgebra.DMatrix(h.Shape[0], units, Array.ConvertAll(h.Data, v => (double)v));
        var corr = ModelStitching.Correlations(hm, hm);
        for (int k = 0; k < pi.Length; k++)
        {
            int unit = pi[k];
            if (corr[unit, unit] < 0.5) continue; // constant: correlation 0 with itself
            if (Enumerable.Range(0, units).Any(j => j != unit && Math.Abs(corr[unit, j]) > 0.999)) continue;
            identifiable++;
            Assert.Equal(k, r.Stitch.Permutation![unit]);
        }
        Assert.True(identifiable > units / 2, $"only {identifiable} of {units} units identifiable");
        Assert.True(r.AccuracyA > 0.3, $"A should be trained, accuracy {r.AccuracyA}");
        Assert.Equal(r.AccuracyA, r.AccuracyB, 12);
        Assert.Equal(r.AccuracyA, r.ClosedFormAccuracy, 12); // the closed-form start is exact
        // Training moves the scales on the task loss (it may gain a little); it must not lose A's accuracy, rounded or relaxed.
        Assert.True(r.StitchedAccuracy >= r.AccuracyA - 0.01, $"rounded {r.StitchedAccuracy} vs A {r.AccuracyA}");
        Assert.True(r.RelaxedAccuracy >= r.AccuracyA - 0.01, $"relaxed {r.RelaxedAccuracy} vs A {r.AccuracyA}");
    }

    [Theory]
    [InlineData(StitchKind.Affine)]
    [InlineData(StitchKind.LowRank)]
    [InlineData(StitchKind.Sparse)]
    public void TrainedStitchOfTwoCopiesRecoversTheAccuracyWithBothModelsFrozen(StitchKind kind)
    {
        var (fit, test) = Data();
        var a = TrainedMlp(fit, 3);
        var b = ModelZoo.Create("mlp", 1, 28, 10, new Rng(77));
        b.LoadStateDict(a.StateDict());
        b.Eval();
        var beforeA = Snapshot(a);
        var beforeB = Snapshot(b);
        int width = LayerTaps.Outputs(a, new Var(fit.Images(1)), new[] { "act2" })[0].Shape[1];
        var r = ModelStitching.Stitch(a, b, new StitchOptions { LayerA = "act2", LayerB = "act2", Kind = kind, Rank = width, TrainSteps = 20, LearningRate = 1e-3, L1 = 1e-3 }, fit, test);
        AssertUnchanged(beforeA, a);
        AssertUnchanged(beforeB, b);
        Assert.Equal(20, r.TrainSteps);
        Assert.True(r.FinalLoss is > 0 and < 10, $"final loss {r.FinalLoss}");
        Assert.InRange(r.ClosedFormAccuracy, r.AccuracyA - 0.01, r.AccuracyA + 0.01);
        // Training on the task loss may beat A (the stitch is one more trained layer); it must not lose its accuracy.
        Assert.True(r.StitchedAccuracy >= r.AccuracyA - 0.02, $"stitched {r.StitchedAccuracy} vs A {r.AccuracyA}");
    }

    [Fact]
    public void SparseStitchTrainingZeroesWeights()
    {
        // A strong L1 weight drives most of W to exactly zero; the same steps without it leave W dense.
        var (fit, test) = Data();
        var a = TrainedMlp(fit, 4);
        var b = TrainedMlp(fit, 5);
        var o = new StitchOptions { LayerA = "act1", LayerB = "act1", Kind = StitchKind.Sparse, TrainSteps = 40, LearningRate = 1e-2, L1 = 1.0 };
        var sparse = ModelStitching.Stitch(a, b, o, fit, test);
        var dense = ModelStitching.Stitch(a, b, o with { L1 = 0 }, fit, test);
        Assert.True(sparse.Stitch.Sparsity > 0.5, $"sparsity {sparse.Stitch.Sparsity}");
        Assert.True(sparse.Stitch.Sparsity > dense.Stitch.Sparsity + 0.3, $"sparse {sparse.Stitch.Sparsity} vs unpenalised {dense.Stitch.Sparsity}");
        // Training from the least-squares start does not lose accuracy between two differently seeded models.
        var closedOnly = ModelStitching.Stitch(a, b, o with { Kind = StitchKind.Affine, TrainSteps = 0 }, fit, test);
        Assert.True(dense.StitchedAccuracy >= closedOnly.StitchedAccuracy - 0.02, $"trained {dense.StitchedAccuracy} vs closed form {closedOnly.StitchedAccuracy}");
    }

    [Fact]
    public void ResNet20StitchedToItselfAtAnInnerBlockRecoversItsAccuracy()
    {
        var s = SyntheticImages.Load(0, trainCount: 200, testCount: 100);
        var a = ModelZoo.Create("resnet20", 1, 28, 10, new Rng(6));
        a.Eval();
        var b = ModelZoo.Create("resnet20", 1, 28, 10, new Rng(60));
        b.LoadStateDict(a.StateDict());
        b.Eval();
        var beforeB = Snapshot(b);
        var r = ModelStitching.Stitch(a, b, new StitchOptions { LayerA = "layer2.1.relu2", LayerB = "layer2.1.relu2", Kind = StitchKind.Affine, TrainSteps = 3 }, s.Train, s.Test);
        AssertUnchanged(beforeB, b);
        Assert.InRange(r.ClosedFormAccuracy, r.AccuracyA - 0.02, r.AccuracyA + 0.02);
        Assert.InRange(r.StitchedAccuracy, r.AccuracyA - 0.03, r.AccuracyA + 0.03);
        // Different layers of A and B with the same shape are allowed (B resumes after its own block).
        var other = ModelStitching.Stitch(a, b, new StitchOptions { LayerA = "layer2.0.relu2", LayerB = "layer2.1.relu2", Kind = StitchKind.PermutationScaling }, s.Train, s.Test);
        Assert.Equal("layer2.0.relu2", other.Layer);
        Assert.Equal("layer2.1.relu2", other.LayerB);
        Assert.InRange(other.StitchedAccuracy, 0, 1);
    }

    [Fact]
    public void ZooModelStitchesIntoItsOnnxExportByNodeName()
    {
        var (fit, test) = Data();
        var a = TrainedMlp(fit, 7);
        var graph = new OnnxModule(OnnxModel.Parse(OnnxExport.Build(a, new[] { 1, 28, 28 }), "mlp.onnx"));
        graph.Eval();
        string node = graph.Model.Nodes.First(n => n.OpType == "Relu").Name;
        var r = ModelStitching.Stitch(a, graph, new StitchOptions { LayerA = "act1", LayerB = node, Kind = StitchKind.PermutationScaling, TrainSteps = 10, LearningRate = 1e-2, Tau = 0.05 }, fit, test);
        Assert.Equal(r.AccuracyA, r.AccuracyB, 12);
        Assert.InRange(r.StitchedAccuracy, r.AccuracyA - 0.02, r.AccuracyA + 0.02);
        var back = ModelStitching.Stitch(graph, a, new StitchOptions { LayerA = node, LayerB = "act1", Kind = StitchKind.Affine }, fit, test);
        Assert.InRange(back.StitchedAccuracy, r.AccuracyA - 0.01, r.AccuracyA + 0.01);
    }

    /// <summary>The reference CNN after a random ReLU intertwiner on conv1's channels: permuted and positively rescaled, conv2's input channels compensating.</summary>
    private static (Module B, int[] Pi) IntertwinedCnn(Module a, Rng rng)
    {
        var state = a.StateDict().ToDictionary(kv => kv.Key, kv => new Tensor(kv.Value.Shape, (float[])kv.Value.Data.Clone()));
        var w1 = state["conv1.weight"];
        var b1 = state["conv1.bias"];
        var w2 = state["conv2.weight"];
        int c = b1.Shape[0], k1 = w1.Data.Length / c, outC = w2.Shape[0], k2 = w2.Shape[2] * w2.Shape[3];
        var pi = rng.Permutation(c);
        var d = Enumerable.Range(0, c).Select(_ => (float)rng.Uniform(0.3, 3)).ToArray();
        var nw1 = new Tensor(w1.Shape);
        var nb1 = new Tensor(b1.Shape);
        var nw2 = new Tensor(w2.Shape);
        for (int k = 0; k < c; k++)
        {
            for (int j = 0; j < k1; j++) nw1.Data[k * k1 + j] = d[k] * w1.Data[pi[k] * k1 + j];
            nb1.Data[k] = d[k] * b1.Data[pi[k]];
            for (int o = 0; o < outC; o++)
                for (int j = 0; j < k2; j++) nw2.Data[(o * c + k) * k2 + j] = w2.Data[(o * c + pi[k]) * k2 + j] / d[k];
        }
        state["conv1.weight"] = nw1;
        state["conv1.bias"] = nb1;
        state["conv2.weight"] = nw2;
        var b = ModelZoo.Create("cnn", 1, 28, 10, new Rng(99));
        b.LoadStateDict(state);
        b.Eval();
        return (b, pi);
    }

    [Fact]
    public void ConvolutionalIntertwinerIsUndoneByTheTrainedChannelStitch()
    {
        // The 1×1-convolution path: channels of relu1 permuted and rescaled (max pooling commutes with both).
        var s = SyntheticImages.Load(0, trainCount: 200, testCount: 200);
        var a = ModelZoo.Create("cnn", 1, 28, 10, new Rng(11));
        a.Eval();
        var (b, pi) = IntertwinedCnn(a, new Rng(12));
        var before = Snapshot(b);
        foreach (var layer in new[] { "relu1", "pool1" })
        {
            var r = ModelStitching.Stitch(a, b, new StitchOptions { LayerA = layer, LayerB = layer, Kind = StitchKind.PermutationScaling, TrainSteps = 5, LearningRate = 1e-2, Tau = 0.05 }, s.Train, s.Test);
            Assert.Equal(r.AccuracyA, r.AccuracyB, 12);
            Assert.Equal(r.AccuracyA, r.ClosedFormAccuracy, 12);
            for (int k = 0; k < pi.Length; k++) Assert.Equal(k, r.Stitch.Permutation![pi[k]]);
            Assert.True(r.StitchedAccuracy >= r.AccuracyA - 0.01, $"{layer}: rounded {r.StitchedAccuracy} vs A {r.AccuracyA}");
        }
        AssertUnchanged(before, b);
    }

    [Fact]
    public void TrainableStitchAppliesTheSameMapAsTheFittedLayerOnConvolutionalActivations()
    {
        // The training path (permute to channels-last, matmul, permute back) equals the evaluation path's unit layout.
        var rng = new Rng(8);
        var h = new Tensor(new[] { 3, 4, 5, 2 }, Enumerable.Range(0, 120).Select(_ => (float)rng.Uniform(-1, 1)).ToArray());
        var w = TestData.Gaussian(rng, 4, 6);
        var bias = Enumerable.Range(0, 6).Select(j => (double)j).ToArray();
        var layer = new StitchLayer { Kind = StitchKind.Affine, Weight = w, Bias = bias };
        var y = new TrainableStitch(layer, StitchKind.Affine, 0, null, 1, 1).Apply(new Var(h)).Value;
        Assert.Equal(new[] { 3, 6, 5, 2 }, y.Shape);
        for (int n = 0; n < 3; n++)
            for (int o = 0; o < 6; o++)
                for (int p = 0; p < 10; p++)
                {
                    double want = bias[o];
                    for (int c = 0; c < 4; c++) want += h.Data[(n * 4 + c) * 10 + p] * w[c, o];
                    Assert.Equal(want, y.Data[(n * 6 + o) * 10 + p], 4);
                }
        Assert.Throws<AtlasArgumentException>(() => new StitchOptions { LayerA = "x", LayerB = "x", Kind = StitchKind.Sparse }.Validate());
    }
}
