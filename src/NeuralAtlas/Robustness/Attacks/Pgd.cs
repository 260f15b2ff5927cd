using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>
/// Projected gradient descent (Madry et al.) in ℓ∞, ℓ2 or ℓ1, confined to a subspace V: after every step the
/// perturbation is projected onto V and the ℓp ball, and the example onto the box [0, 1]. The model is put in eval
/// mode and must map N×C×H×W inputs in [0, 1] to logits (any normalisation lives inside the model).
/// <para>
/// For coordinate subspaces (masks) every projection is exact and coordinate-wise. For basis subspaces the
/// intersection V ∩ ball ∩ box has no closed form; the iterate is brought there by alternating projections, and
/// the returned perturbation is then projected onto V and scaled down until it lies in the ball and the box — so
/// membership in all three always holds (to float rounding).
/// </para>
/// </summary>
public static class Pgd
{
    public static AttackResult Attack(Module model, Tensor inputs, IReadOnlyList<int> labels, Subspace subspace, PgdOptions options, IReadOnlyList<int>? targets = null)
    {
        options.Validate();
        if (inputs.Rank != 4) throw new ShapeMismatchException("attack", $"inputs must be N×C×H×W, got {ShapeMismatchException.Format(inputs.Shape)}");
        int n = inputs.Shape[0], d = inputs.Numel / Math.Max(n, 1);
        if (labels.Count != n) throw new ShapeMismatchException("attack", new[] { n }, new[] { labels.Count }, "one label per input");
        if (options.Targeted && (targets is null || targets.Count != n)) throw new AtlasArgumentException("targets", "a targeted attack needs one target class per input");
        if (subspace.AmbientDim != d) throw new ShapeMismatchException("attack", new[] { d }, new[] { subspace.AmbientDim }, "subspace dimension must equal C·H·W");
        foreach (float v in inputs.Data)
            if (!(v >= 0 && v <= 1)) throw new AtlasArgumentException("inputs", $"values must lie in [0, 1] (got {v}); put normalisation inside the model");
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            var adv = inputs.Clone();
            var success = new bool[n];
            var preds = new int[n];
            var cleanCorrect = new bool[n];
            var rng = new Rng(options.Seed);
            for (int start = 0; start < n; start += options.BatchSize)
            {
                int b = Math.Min(options.BatchSize, n - start);
                var x = Slice(inputs, start, b);
                var y = labels.Skip(start).Take(b).ToArray();
                var t = targets?.Skip(start).Take(b).ToArray();
                var clean = Predict(model, x);
                for (int i = 0; i < b; i++) cleanCorrect[start + i] = clean[i] == y[i];
                var best = x.Clone();
                var bestOk = new bool[b];
                var bestPred = clean;
                for (int r = 0; r < options.Restarts && !bestOk.All(o => o); r++)
                {
                    var delta = AttackBatch(model, x, y, t, subspace, options, rng, options.RandomStart || r > 0);
                    var cand = Add(x, delta);
                    var p = Predict(model, cand);
                    for (int i = 0; i < b; i++)
                    {
                        bool ok = options.Targeted ? p[i] == t![i] : p[i] != y[i];
                        if (ok && !bestOk[i] || r == 0)
                        {
                            Array.Copy(cand.Data, i * d, best.Data, i * d, d);
                            bestOk[i] = ok;
                            bestPred[i] = p[i];
                        }
                    }
                }
                Array.Copy(best.Data, 0, adv.Data, start * d, b * d);
                Array.Copy(bestOk, 0, success, start, b);
                Array.Copy(bestPred, 0, preds, start, b);
            }
            var norms = new double[n];
            var diff = new float[d];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++) diff[j] = adv.Data[i * d + j] - inputs.Data[i * d + j];
                norms[i] = LpNorms.Norm(diff, options.Norm);
            }
            return new AttackResult(adv, success, preds, norms, cleanCorrect);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private static Tensor AttackBatch(Module model, Tensor x, int[] y, int[]? t, Subspace v, PgdOptions o, Rng rng, bool randomStart)
    {
        int b = x.Shape[0], d = x.Numel / b;
        var delta = new Tensor(x.Shape);
        if (randomStart && o.Epsilon > 0)
            for (int i = 0; i < b; i++) RandomPoint(delta.Data.AsSpan(i * d, d), v, o, rng);
        for (int i = 0; i < b; i++) Constrain(delta.Data.AsSpan(i * d, d), x.Data.AsSpan(i * d, d), v, o);
        var targetsTensor = new Tensor(new[] { b }, (t ?? y).Select(c => (float)c).ToArray());
        for (int step = 0; step < o.Steps; step++)
        {
            var xv = new Var(Add(x, delta), requiresGrad: true);
            var loss = F.CrossEntropy(model.Forward(xv), targetsTensor, reduction: Reduction.Sum);
            loss.Backward();
            var g = xv.Grad ?? throw new AtlasException("attack: the model's output does not depend on its input");
            float sign = o.Targeted ? -1f : 1f; // targeted attacks descend the loss of the target class
            for (int i = 0; i < b; i++)
            {
                var gi = g.Data.AsSpan(i * d, d);
                var di = delta.Data.AsSpan(i * d, d);
                for (int j = 0; j < d; j++) gi[j] *= sign;
                v.Project(gi);
                Step(di, gi, v, o);
                Constrain(di, x.Data.AsSpan(i * d, d), v, o);
            }
        }
        return delta;
    }

    /// <summary>Steepest ascent direction for the norm, scaled by the step size, added to δ.</summary>
    private static void Step(Span<float> delta, Span<float> g, Subspace v, PgdOptions o)
    {
        double a = o.Alpha;
        switch (o.Norm)
        {
            case LpNorm.Inf:
                for (int j = 0; j < g.Length; j++) g[j] = Math.Sign(g[j]);
                if (!v.IsCoordinate) v.Project(g);
                break;
            case LpNorm.L2:
                double n = LpNorms.Norm(g, LpNorm.L2);
                if (n == 0) return;
                for (int j = 0; j < g.Length; j++) g[j] = (float)(g[j] / n);
                break;
            default:
                {
                    // Sparse steepest descent: move the largest |g| coordinates only, with equal weight.
                    int k = Math.Max(1, (int)Math.Round(o.L1Sparsity * v.Dim));
                    var mags = new float[g.Length];
                    for (int j = 0; j < g.Length; j++) mags[j] = Math.Abs(g[j]);
                    var sorted = (float[])mags.Clone();
                    Array.Sort(sorted);
                    float thr = sorted[Math.Max(0, sorted.Length - k)];
                    if (thr == 0) return;
                    int count = 0;
                    for (int j = 0; j < g.Length; j++)
                        if (mags[j] >= thr && count < k) { g[j] = Math.Sign(g[j]); count++; }
                        else g[j] = 0;
                    for (int j = 0; j < g.Length; j++) g[j] /= count;
                    if (!v.IsCoordinate) v.Project(g);
                    break;
                }
        }
        for (int j = 0; j < delta.Length; j++) delta[j] += (float)(a * g[j]);
    }

    /// <summary>Brings δ into V ∩ {‖δ‖p ≤ ε} with x + δ ∈ [0, 1].</summary>
    internal static void Constrain(Span<float> delta, ReadOnlySpan<float> x, Subspace v, PgdOptions o)
    {
        if (v.IsCoordinate)
        {
            v.Project(delta);
            LpNorms.ProjectBall(delta, o.Norm, o.Epsilon);
            for (int j = 0; j < delta.Length; j++) delta[j] = Math.Clamp(x[j] + delta[j], 0f, 1f) - x[j];
            return;
        }
        for (int it = 0; it < 20; it++)
        {
            v.Project(delta);
            LpNorms.ProjectBall(delta, o.Norm, o.Epsilon);
            for (int j = 0; j < delta.Length; j++) delta[j] = Math.Clamp(x[j] + delta[j], 0f, 1f) - x[j];
        }
        v.Project(delta);
        // Shrinking towards 0 keeps δ in V, and keeps x + δ in the box because x is in it.
        double norm = LpNorms.Norm(delta, o.Norm), scale = norm > o.Epsilon ? o.Epsilon / norm : 1;
        for (int j = 0; j < delta.Length; j++)
        {
            double dj = delta[j] * scale;
            if (x[j] + dj > 1) scale = Math.Min(scale, (1 - x[j]) / delta[j]);
            else if (x[j] + dj < 0) scale = Math.Min(scale, -x[j] / delta[j]);
        }
        scale = Math.Max(0, scale * (1 - 1e-6));
        for (int j = 0; j < delta.Length; j++) delta[j] = (float)(delta[j] * scale);
    }

    private static void RandomPoint(Span<float> delta, Subspace v, PgdOptions o, Rng rng)
    {
        switch (o.Norm)
        {
            case LpNorm.Inf:
                for (int j = 0; j < delta.Length; j++) delta[j] = (float)rng.Uniform(-o.Epsilon, o.Epsilon);
                break;
            default:
                for (int j = 0; j < delta.Length; j++) delta[j] = (float)rng.Normal();
                v.Project(delta);
                double n = LpNorms.Norm(delta, o.Norm);
                double radius = o.Epsilon * Math.Pow(rng.NextDouble(), 1.0 / Math.Max(v.Dim, 1));
                if (n > 0) for (int j = 0; j < delta.Length; j++) delta[j] = (float)(delta[j] / n * radius);
                break;
        }
        v.Project(delta);
    }

    /// <summary>Top-1 predictions (see <see cref="Classifier.Predict"/>).</summary>
    public static int[] Predict(Module model, Tensor x) => Classifier.Predict(model, x);

    private static Tensor Slice(Tensor t, int start, int count)
    {
        int d = t.Numel / t.Shape[0];
        var shape = (int[])t.Shape.Clone();
        shape[0] = count;
        var data = new float[count * d];
        Array.Copy(t.Data, start * d, data, 0, count * d);
        return new Tensor(shape, data);
    }

    private static Tensor Add(Tensor a, Tensor b)
    {
        var r = a.Clone();
        for (int i = 0; i < r.Numel; i++) r.Data[i] += b.Data[i];
        return r;
    }
}
