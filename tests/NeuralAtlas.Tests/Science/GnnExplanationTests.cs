using NeuralAtlas.Autograd;
using NeuralAtlas.Science.Quivers;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;
using static NeuralAtlas.Science.Quivers.GnnExplanation;

namespace NeuralAtlas.Tests.Science;

public class GnnExplanationTests
{
    private static double LogProb(QuiverGnn net, Quiver q, int c)
    {
        using var _ = GradMode.NoGrad();
        var lp = F.LogSoftmax(net.Logits(QuiverGnn.GraphBatch.From([q])), 1).Value.Data;
        return lp[c];
    }

    [Fact]
    public void PatternsOfHandMadeQuivers()
    {
        // 0 → 1 → 2 → 0 (oriented triangle), 2 → 3 (path), 3 → 4 and 3 → 5 (two leaves on 3: the D fork),
        // 6 ⇒ 0 (double arrow), 7 → 8 → 9 → 10 ← 7 (non-oriented 4-cycle) joined by 1 → 7, and the leaf 10 → 11.
        var q = Quiver.FromArrows(12, [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (3, 5), (6, 0), (6, 0), (7, 8), (8, 9), (9, 10), (7, 10), (1, 7), (10, 11)]);
        var arrows = new List<(int, int, int)>();
        for (int i = 0; i < q.N; i++) for (int j = 0; j < q.N; j++) if (q[i, j] > 0) arrows.Add((i, j, q[i, j]));
        var p = Patterns(q, arrows);
        ArrowPattern Of(int a, int b) => p[arrows.FindIndex(t => t.Item1 == a && t.Item2 == b)];
        Assert.Equal(ArrowPattern.OrientedTriangle, Of(0, 1));
        Assert.Equal(ArrowPattern.OrientedTriangle, Of(2, 0));
        Assert.Equal(ArrowPattern.Path, Of(2, 3));
        Assert.Equal(ArrowPattern.Fork, Of(3, 4));
        Assert.Equal(ArrowPattern.Fork, Of(3, 5));
        Assert.Equal(ArrowPattern.Double, Of(6, 0));
        Assert.Equal(ArrowPattern.OtherCycle, Of(7, 8));
        Assert.Equal(ArrowPattern.OtherCycle, Of(7, 10));
        Assert.Equal(ArrowPattern.Path, Of(1, 7));
        Assert.Equal(ArrowPattern.Leaf, Of(10, 11));
    }

    [Fact]
    public void DeletionEffectsAndSaliencyAreWhatTheyClaim()
    {
        var net = new QuiverGnn(6, new Rng(5), hidden: 12, layers: 2);
        var q = MutationClass.Enumerate(QuiverType.Create(QuiverFamily.D, 6).Representative())[17];
        var ex = Explain(net, q, 1);
        Assert.Equal(1, ex.Explained);
        Assert.Equal(q.N, ex.Vertices.Count);
        Assert.Equal(Enumerable.Range(0, q.N).Sum(i => Enumerable.Range(0, q.N).Count(j => q[i, j] > 0)), ex.Arrows.Count);
        double p0 = Math.Exp(LogProb(net, q, 1));
        Assert.Equal(p0, ex.Probability, 5);
        foreach (var a in ex.Arrows)
        {
            var m = q.ToArray();
            m[a.From * q.N + a.To] = 0; m[a.To * q.N + a.From] = 0;
            Assert.Equal(p0 - Math.Exp(LogProb(net, Quiver.FromMatrix(q.N, m), 1)), a.ProbabilityDrop, 5);
        }
        foreach (var v in ex.Vertices)
            Assert.Equal(p0 - Math.Exp(LogProb(net, q.Induced(Enumerable.Range(0, q.N).Where(u => u != v.Vertex).ToArray()), 1)), v.ProbabilityDrop, 5);

        // Saliency = gradient × input: the derivative of log p when every edge feature is scaled by t, at t = 1,
        // is the sum of the saliencies (central difference on the scaled features).
        var gb = QuiverGnn.GraphBatch.From([q]);
        double Scaled(float t)
        {
            using var _ = GradMode.NoGrad();
            var e = new Tensor([gb.Src.Length, 2], gb.EdgeFeatures.Select(x => x * t).ToArray());
            return F.LogSoftmax(net.Logits(gb, new Var(e)), 1).Value.Data[1];
        }
        double fd = (Scaled(1.001f) - Scaled(0.999f)) / 0.002;
        double sum = ex.Arrows.Sum(a => a.Saliency);
        Assert.True(Math.Abs(fd - sum) < 0.02 * Math.Max(1, Math.Abs(sum)), $"finite difference {fd}, saliency sum {sum}");
        Assert.Contains(ex.Arrows, a => a.Saliency != 0);
    }

    [Fact]
    public void DeletingAnArrowOfACycleFlipsAWellFittedModelToTypeA()
    {
        // Whole classes of A_n and Ã_(p,q), n = 4…6. Deleting one arrow of an Ã cycle leaves an orientation of the
        // path A_n, which is in the training set; a model that fits the training set must change its prediction.
        var data = QuiverDataset.Build(QuiverDataset.Types(4, 6, [QuiverFamily.A, QuiverFamily.AffineA]), 0, 7);
        var (net, _) = QuiverGnn.Train(data, 120, 11, lr: 1e-2, hidden: 16, layers: 3);
        using (GradMode.NoGrad())
        {
            var logits = net.Logits(QuiverGnn.GraphBatch.From(data.Items.Select(i => i.Quiver).ToList())).Value.Data;
            for (int r = 0; r < data.Items.Count; r++)
            {
                int arg = 0;
                for (int c = 1; c < 6; c++) if (logits[r * 6 + c] > logits[r * 6 + arg]) arg = c;
                Assert.True(arg == (int)data.Items[r].Type.Family, $"training quiver {data.Items[r].Quiver} of {data.Items[r].Type} misfitted");
            }
        }
        for (int n = 4; n <= 6; n++)
            for (int p = (n + 1) / 2; p < n; p++)
            {
                var cycle = QuiverType.Create(QuiverFamily.AffineA, n, p).Representative();
                var ex = Explain(net, cycle);
                Assert.Equal((int)QuiverFamily.AffineA, ex.Predicted);
                Assert.Equal(n, ex.Arrows.Count);
                Assert.All(ex.Arrows, a =>
                {
                    Assert.Equal(ArrowPattern.OtherCycle, a.Pattern);
                    Assert.Equal((int)QuiverFamily.A, a.PredictionAfter);
                    Assert.True(a.ProbabilityDrop > 0.5, $"drop {a.ProbabilityDrop}");
                });
            }
        var s = Aggregate(net, data);
        var cyc = s.Patterns.Single(x => x.Family == QuiverFamily.AffineA && x.Pattern == ArrowPattern.OtherCycle);
        Assert.True(cyc.FlipRate > 0.5, $"flip rate {cyc.FlipRate}");
    }

    [Fact]
    public void CliExplainsAndRejectsBadOptions()
    {
        var r = CliRunner.Run("quiver", "explain", "--train-min", "4", "--train-max", "5", "--test-vertices", "6", "--types", "A,D",
            "--max-per-type", "20", "--explain-per-type", "5", "--epochs", "2");
        Assert.True(r.ExitCode == 0, r.Err);
        var lines = r.Out.Trim().Split('\n');
        Assert.Equal("explained\t10", lines.Last().Trim());
        Assert.Contains(lines, l => l.StartsWith("D\tFork\t"));
        Assert.Equal(2, CliRunner.Run("quiver", "explain", "--explain-per-type", "0").ExitCode);
    }
}
