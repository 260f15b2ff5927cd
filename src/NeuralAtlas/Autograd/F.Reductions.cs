using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Reductions and the softmax family.</summary>
public static partial class F
{
    /// <summary>Sum over <paramref name="axes"/> (null: all).</summary>
    public static Var Sum(Var x, int[]? axes = null, bool keepDim = false)
    {
        var ax = x.Rank == 0 ? Array.Empty<int>() : Ops.NormalizeAxes(axes, x.Rank);
        var kshape = KeepDimShape(x.Shape, ax);
        return Record(Ops.Sum(x.Value, axes, keepDim), "sum", new[] { x }, g => new[] { Expand(Reshape(g, kshape), x.Shape) });
    }

    /// <summary>Mean over <paramref name="axes"/> (null: all).</summary>
    public static Var Mean(Var x, int[]? axes = null, bool keepDim = false)
    {
        var ax = x.Rank == 0 ? Array.Empty<int>() : Ops.NormalizeAxes(axes, x.Rank);
        long n = 1;
        foreach (int a in ax) n *= x.Shape[a];
        return Scale(Sum(x, axes, keepDim), n == 0 ? float.NaN : 1f / n);
    }

    /// <summary>Variance over <paramref name="axes"/> (unbiased by default, as torch.var).</summary>
    public static Var Variance(Var x, int[]? axes = null, bool unbiased = true, bool keepDim = false)
    {
        var ax = x.Rank == 0 ? Array.Empty<int>() : Ops.NormalizeAxes(axes, x.Rank);
        long n = 1;
        foreach (int a in ax) n *= x.Shape[a];
        var d = Sub(x, Mean(x, axes, keepDim: true));
        return Scale(Sum(Square(d), axes, keepDim), 1f / Math.Max(1, n - (unbiased ? 1 : 0)));
    }

    /// <summary>Maximum along one axis; the gradient goes to the index torch.max(dim) returns.</summary>
    public static Var Max(Var x, int axis, bool keepDim = false)
    {
        var idx = Ops.Argmax(x.Value, axis, keepDim: true);
        var m = Gather(x, axis, idx);
        return keepDim ? m : Squeeze(m, axis);
    }

    /// <summary>log Σ exp over <paramref name="axes"/>, stable.</summary>
    public static Var LogSumExp(Var x, int[]? axes = null, bool keepDim = false)
    {
        var ax = x.Rank == 0 ? Array.Empty<int>() : Ops.NormalizeAxes(axes, x.Rank);
        var kshape = KeepDimShape(x.Shape, ax);
        Var y = null!;
        y = Record(Ops.LogSumExp(x.Value, axes, keepDim), "logsumexp", new[] { x }, g =>
            new[] { Mul(Expand(Reshape(g, kshape), x.Shape), Exp(Sub(x, Reshape(y, kshape)))) });
        return y;
    }

    public static Var Softmax(Var x, int axis)
    {
        Var y = null!;
        y = Record(Ops.Softmax(x.Value, axis), "softmax", new[] { x }, g =>
            new[] { Mul(y, Sub(g, Sum(Mul(g, y), new[] { axis }, keepDim: true))) });
        return y;
    }

    public static Var LogSoftmax(Var x, int axis)
    {
        Var y = null!;
        y = Record(Ops.LogSoftmax(x.Value, axis), "log_softmax", new[] { x }, g =>
            new[] { Sub(g, Mul(Exp(y), Sum(g, new[] { axis }, keepDim: true))) });
        return y;
    }
}
