using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Normalisation layers and dropout, composed from differentiable primitives (so they differentiate twice).</summary>
public static partial class F
{
    /// <summary>
    /// Batch normalisation over every dimension but 1 (channels), as torch.nn.functional.batch_norm. In training the
    /// batch statistics normalise and the running statistics (if given) are updated in place with
    /// <paramref name="momentum"/> (the running variance with the unbiased estimate, as PyTorch); in evaluation the
    /// running statistics normalise.
    /// </summary>
    public static Var BatchNorm(Var x, Tensor? runningMean, Tensor? runningVar, Var? weight, Var? bias, bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Rank < 2) throw new ShapeMismatchException("batch_norm", $"input must be [N, C, ...], got {ShapeMismatchException.Format(x.Shape)}");
        int c = x.Shape[1];
        var axes = Enumerable.Range(0, x.Rank).Where(a => a != 1).ToArray();
        var cshape = Enumerable.Range(0, x.Rank).Select(a => a == 1 ? c : 1).ToArray();
        Var xhat;
        if (training || runningMean is null || runningVar is null)
        {
            long n = x.Numel / Math.Max(1, c);
            if (training && n <= 1) throw new ShapeMismatchException("batch_norm", $"expected more than 1 value per channel when training, got input {ShapeMismatchException.Format(x.Shape)}");
            var mean = Mean(x, axes, keepDim: true);
            var d = Sub(x, mean);
            var variance = Mean(Square(d), axes, keepDim: true);
            xhat = Mul(d, Record(Ops.Rsqrt(Ops.Add(variance.Value, eps)), "rsqrt", new[] { variance }, g => new[] { RsqrtGrad(g, variance, eps) }));
            if (training && runningMean is not null && runningVar is not null)
            {
                var m = mean.Value.Data;
                var v = variance.Value.Data;
                float unbias = n > 1 ? (float)n / (n - 1) : 1f;
                for (int i = 0; i < c; i++)
                {
                    runningMean.Data[i] = (1 - momentum) * runningMean.Data[i] + momentum * m[i];
                    runningVar.Data[i] = (1 - momentum) * runningVar.Data[i] + momentum * v[i] * unbias;
                }
            }
        }
        else
        {
            var scale = Ops.Rsqrt(Ops.Add(runningVar, eps)).Reshape(cshape);
            xhat = Mul(Sub(x, Const(runningMean.Reshape(cshape))), Const(scale));
        }
        if (weight is not null) xhat = Mul(xhat, Reshape(weight, cshape));
        if (bias is not null) xhat = Add(xhat, Reshape(bias, cshape));
        return xhat;
    }

    // d/dv (v+eps)^(-1/2) = -1/2 (v+eps)^(-3/2), written with Pow so it differentiates again.
    private static Var RsqrtGrad(Var g, Var variance, float eps) => Mul(g, Scale(Pow(AddScalar(variance, eps), -1.5f), -0.5f));

    /// <summary>Normalises over the last <paramref name="normalizedDims"/> dimensions (torch layer_norm), then the optional affine.</summary>
    public static Var LayerNorm(Var x, int normalizedDims, Var? weight, Var? bias, float eps = 1e-5f)
    {
        var axes = Enumerable.Range(x.Rank - normalizedDims, normalizedDims).ToArray();
        var y = Standardize(x, axes, eps);
        if (weight is not null) y = Mul(y, weight);
        if (bias is not null) y = Add(y, bias);
        return y;
    }

    /// <summary>Group normalisation of [N, C, ...] with C split into <paramref name="groups"/>; per-channel affine.</summary>
    public static Var GroupNorm(Var x, int groups, Var? weight, Var? bias, float eps = 1e-5f)
    {
        int n = x.Shape[0], c = x.Shape[1];
        if (groups <= 0 || c % groups != 0) throw new AtlasArgumentException("num_groups", $"{groups} does not divide {c} channels");
        var g = Reshape(x, n, groups, -1);
        var y = Reshape(Standardize(g, new[] { 2 }, eps), x.Shape);
        var cshape = Enumerable.Range(0, x.Rank).Select(a => a == 1 ? c : 1).ToArray();
        if (weight is not null) y = Mul(y, Reshape(weight, cshape));
        if (bias is not null) y = Add(y, Reshape(bias, cshape));
        return y;
    }

    private static Var Standardize(Var x, int[] axes, float eps)
    {
        var d = Sub(x, Mean(x, axes, keepDim: true));
        var variance = Mean(Square(d), axes, keepDim: true);
        return Mul(d, Record(Ops.Rsqrt(Ops.Add(variance.Value, eps)), "rsqrt", new[] { variance }, g => new[] { RsqrtGrad(g, variance, eps) }));
    }

    /// <summary>Inverted dropout: zeroes each value with probability p and scales the rest by 1/(1−p) (training only).</summary>
    public static Var Dropout(Var x, float p, bool training, Rng rng)
    {
        if (p < 0 || p > 1) throw new AtlasArgumentException("p", $"dropout probability must be in [0, 1], got {p}");
        if (!training || p == 0) return x;
        var mask = new Tensor(x.Shape);
        float keep = 1 - p, scale = keep == 0 ? 0 : 1 / keep;
        for (int i = 0; i < mask.Numel; i++) mask.Data[i] = rng.NextFloat() < keep ? scale : 0f;
        return Mul(x, Const(mask));
    }

    /// <summary>Rows of <paramref name="weight"/> picked by integer-valued <paramref name="indices"/> (shape of indices + [dim]).</summary>
    public static Var Embedding(Tensor indices, Var weight)
    {
        int rows = weight.Shape[0];
        var idx = new int[indices.Numel];
        for (int i = 0; i < idx.Length; i++)
        {
            float f = indices.Data[i];
            if (f != MathF.Floor(f) || f < 0 || f >= rows)
                throw new AtlasArgumentException("indices", $"embedding index {f} at position {i} is not an integer in [0, {rows})");
            idx[i] = (int)f;
        }
        var shape = indices.Shape.Append(weight.Shape[1]).ToArray();
        return Reshape(IndexSelect(weight, 0, idx), shape);
    }
}
