using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>How a loss combines per-element values (torch's reduction=).</summary>
public enum Reduction { Mean, Sum, None }

/// <summary>Loss functions (torch.nn.functional names and conventions).</summary>
public static partial class F
{
    /// <summary>
    /// Cross-entropy of logits [N, C] (or [N, C, ...]) against integer class targets [N] (or [N, ...]), with optional
    /// label smoothing ε: the target distribution is (1−ε)·onehot + ε/C, as torch.nn.functional.cross_entropy.
    /// </summary>
    public static Var CrossEntropy(Var logits, Tensor targets, float labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new AtlasArgumentException("label_smoothing", $"must be in [0, 1], got {labelSmoothing}");
        var logp = LogSoftmax(logits, 1);
        var nll = NllLoss(logp, targets, Reduction.None);
        if (labelSmoothing == 0) return Reduce(nll, reduction);
        int c = logits.Shape[1];
        var smooth = Scale(Sum(logp, new[] { 1 }), -1f / c);
        return Reduce(Add(Scale(nll, 1 - labelSmoothing), Scale(smooth, labelSmoothing)), reduction);
    }

    /// <summary>Negative log-likelihood: −logp[n, target[n]] for log-probabilities [N, C, ...] and targets [N, ...].</summary>
    public static Var NllLoss(Var logProbs, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        if (logProbs.Rank < 2) throw new ShapeMismatchException("nll_loss", $"input must be [N, C, ...], got {ShapeMismatchException.Format(logProbs.Shape)}");
        var expected = logProbs.Shape.Where((_, i) => i != 1).ToArray();
        if (!targets.Shape.AsSpan().SequenceEqual(expected))
            throw new ShapeMismatchException("nll_loss", logProbs.Shape, targets.Shape, $"targets must have shape {ShapeMismatchException.Format(expected)}");
        int c = logProbs.Shape[1];
        foreach (var t in targets.Data)
            if (t != MathF.Floor(t) || t < 0 || t >= c)
                throw new AtlasArgumentException("target", $"class index {t} is not an integer in [0, {c})");
        var idx = Ops.Unsqueeze(targets, 1);
        var picked = Squeeze(Gather(logProbs, 1, idx), 1);
        return Reduce(Neg(picked), reduction);
    }

    /// <summary>Mean squared error (input − target)².</summary>
    public static Var MseLoss(Var input, Var target, Reduction reduction = Reduction.Mean)
    {
        if (!input.Value.SameShape(target.Value)) throw new ShapeMismatchException("mse_loss", input.Shape, target.Shape, "input and target must have the same shape");
        return Reduce(Square(Sub(input, target)), reduction);
    }

    /// <summary>
    /// Binary cross-entropy on logits, max(x,0) − x·y + log(1+e^{−|x|}), with the gradient σ(x) − y exactly as
    /// torch.nn.functional.binary_cross_entropy_with_logits.
    /// </summary>
    public static Var BceWithLogits(Var logits, Var target, Reduction reduction = Reduction.Mean)
    {
        if (!logits.Value.SameShape(target.Value)) throw new ShapeMismatchException("binary_cross_entropy_with_logits", logits.Shape, target.Shape, "input and target must have the same shape");
        var x = logits.Value.Data;
        var y = target.Value.Data;
        var l = new Tensor(logits.Shape);
        for (int i = 0; i < l.Numel; i++)
        {
            double xi = x[i];
            l.Data[i] = (float)(Math.Max(xi, 0) - xi * y[i] + Math.Log(1 + Math.Exp(-Math.Abs(xi))));
        }
        var loss = Record(l, "bce_with_logits", new[] { logits, target }, g => new[]
        {
            logits.RequiresGrad ? Mul(g, Sub(Sigmoid(logits), target)) : null,
            target.RequiresGrad ? Mul(g, Neg(logits)) : null,
        });
        return Reduce(loss, reduction);
    }

    private static Var Reduce(Var v, Reduction r) => r switch
    {
        Reduction.Mean => Mean(v),
        Reduction.Sum => Sum(v),
        _ => v,
    };
}
