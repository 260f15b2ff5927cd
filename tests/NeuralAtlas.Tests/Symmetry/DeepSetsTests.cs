using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Symmetry.PartitionAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Symmetry;

public class DeepSetsTests
{
    /// <summary>
    /// Sets x_i = μ + σ z_i (μ ~ U(−2, 2), σ ~ U(0.2, 1.5), z_i ~ N(0, 1)); the target is the population variance
    /// (1/n) Σ (x_i − x̄)². The shift μ is a nuisance the model must learn to ignore, and the variance is a
    /// second-order statistic, so no single mean/sum pooling of the raw input gives it.
    /// </summary>
    private static (Tensor X, Tensor Y) VarianceSets(Rng rng, int count, int n)
    {
        var x = new Tensor(count, 1, n);
        var y = new Tensor(count, 1);
        for (int s = 0; s < count; s++)
        {
            double mu = rng.Uniform(-2, 2), sigma = rng.Uniform(0.2, 1.5), sum = 0, sq = 0;
            for (int i = 0; i < n; i++)
            {
                double v = mu + sigma * rng.Normal();
                x.Data[s * n + i] = (float)v;
                sum += v;
            }
            double mean = sum / n;
            for (int i = 0; i < n; i++) sq += (x.Data[s * n + i] - mean) * (x.Data[s * n + i] - mean);
            y.Data[s] = (float)(sq / n);
        }
        return (x, y);
    }

    private static double Mse(Module model, Tensor x, Tensor y)
    {
        using var _ = GradMode.NoGrad();
        return F.MseLoss(model.Forward(new Var(x)), new Var(y)).Item();
    }

    /// <summary>The error of the best constant predictor: the variance of the targets.</summary>
    private static double MeanBaseline(Tensor y)
    {
        double m = y.Data.Average(v => (double)v);
        return y.Data.Average(v => (v - m) * (v - m));
    }

    [Fact]
    public void LearnsTheVarianceOfASetAndIsInvariant()
    {
        const int n = 16;
        var rng = new Rng(2024);
        var (xa, ya) = VarianceSets(rng, 256, n);
        var (xt, yt) = VarianceSets(rng, 256, n);
        var model = new DeepSets(n, inChannels: 1, hidden: 16, depth: 2, outputs: 1, rng);
        var opt = new Adam(model.Parameters(), lr: 0.01);
        double before = Mse(model, xt, yt);
        var trace = new List<double>();
        for (int step = 0; step < 300; step++)
        {
            model.ZeroGrad();
            var loss = F.MseLoss(model.Forward(new Var(xa)), new Var(ya));
            loss.Backward();
            opt.Step();
            if (step % 50 == 0) trace.Add(loss.Item());
        }
        double after = Mse(model, xt, yt), baseline = MeanBaseline(yt);
        // The non-invariant baseline: an MLP on the ordered 16 values, same data, optimiser and steps.
        var mlp = new Sequential(new Flatten(), new Linear(n, 64, rng), new ReLU(), new Linear(64, 64, rng), new ReLU(), new Linear(64, 1, rng));
        var mlpOpt = new Adam(mlp.Parameters(), lr: 0.01);
        for (int step = 0; step < 300; step++)
        {
            mlp.ZeroGrad();
            F.MseLoss(mlp.Forward(new Var(xa)), new Var(ya)).Backward();
            mlpOpt.Step();
        }
        double mlpTrain = Mse(mlp, xa, ya), mlpTest = Mse(mlp, xt, yt);
        // Same coefficients on sets of other sizes (the mean-normalised basis does not depend on n).
        var sizes = new[] { 10, 20 }.Select(m =>
        {
            var (xm, ym) = VarianceSets(rng, 256, m);
            return (m, mse: Mse(model.ForSetSize(m), xm, ym), baseline: MeanBaseline(ym));
        }).ToArray();
        string report = $"held-out MSE {after:F4} (before training {before:F4}, predicting the mean {baseline:F4}); "
            + string.Join("; ", sizes.Select(s => $"n = {s.m}: {s.mse:F4} vs {s.baseline:F4}"))
            + $"; MLP on the ordered set: train {mlpTrain:F4}, held-out {mlpTest:F4}"
            + $"; train loss {string.Join(", ", trace.Select(v => v.ToString("F4")))}";
        Assert.True(after < 0.1 * baseline, report);
        foreach (var s in sizes) Assert.True(s.mse < 0.2 * s.baseline, report);
        Assert.True(after < 0.5 * mlpTest, report);

        // Invariance: every set permuted independently.
        var xp = new Tensor(xt.Shape);
        for (int s = 0; s < xt.Shape[0]; s++)
        {
            var perm = rng.Permutation(n);
            for (int i = 0; i < n; i++) xp.Data[s * n + perm[i]] = xt.Data[s * n + i];
        }
        using var __ = GradMode.NoGrad();
        var p0 = model.Forward(new Var(xt)).Value.Data;
        var p1 = model.Forward(new Var(xp)).Value.Data;
        double invariance = p0.Zip(p1, (u, v) => (double)Math.Abs(u - v)).Max();
        Assert.True(invariance < 1e-5, $"max |f(x) − f(Px)| = {invariance:E2}; {report}");
        Console.WriteLine($"DeepSets variance: {report}; invariance {invariance:E2}");
    }

    [Fact]
    public void ForSetSizeKeepsTheFunctionAndBadInputIsRefused()
    {
        var rng = new Rng(5);
        var model = new DeepSets(6, 2, 8, 1, 3, rng);
        var x = new Tensor(4, 2, 6);
        for (int i = 0; i < x.Numel; i++) x.Data[i] = (float)rng.Normal();
        // Duplicating every element leaves all set means unchanged, so the size-12 copy must agree exactly.
        var x2 = new Tensor(4, 2, 12);
        for (int r = 0; r < 8; r++)
            for (int i = 0; i < 12; i++) x2.Data[r * 12 + i] = x.Data[r * 6 + i % 6];
        using var _ = GradMode.NoGrad();
        var y = model.Forward(new Var(x)).Value;
        var y2 = model.ForSetSize(12).Forward(new Var(x2)).Value;
        Assert.Equal(new[] { 4, 3 }, y.Shape.ToArray());
        Assert.True(y.Data.Zip(y2.Data, (u, v) => Math.Abs(u - v)).Max() < 1e-5);
        Assert.Throws<ShapeMismatchException>(() => model.Forward(new Var(new Tensor(4, 2, 7))));
        Assert.Throws<AtlasArgumentException>(() => new DeepSets(1, 1, 8, 1, 1, rng));
        Assert.Throws<AtlasArgumentException>(() => new DeepSets(5, 1, 8, 0, 1, rng));
    }
}
