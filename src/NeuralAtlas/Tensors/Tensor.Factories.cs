namespace NeuralAtlas.Tensors;

/// <summary>Constructors beyond zeros/full: ones, ranges, identity, and random tensors drawn from an <see cref="Rng"/>.</summary>
public sealed partial class Tensor
{
    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1);

    /// <summary>start, start+step, ... below end (as torch.arange).</summary>
    public static Tensor Arange(float start, float end, float step = 1)
    {
        if (step == 0 || float.IsNaN(step)) throw new AtlasArgumentException("step", "must be nonzero");
        int n = Math.Max(0, (int)Math.Ceiling((end - start) / (double)step));
        var t = new Tensor(n);
        for (int i = 0; i < n; i++) t.Data[i] = (float)(start + (double)i * step);
        return t;
    }

    /// <summary>0, 1, ..., n−1.</summary>
    public static Tensor Arange(int n) => Arange(0, n);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(float start, float end, int steps)
    {
        if (steps < 0) throw new AtlasArgumentException("steps", $"must be non-negative, got {steps}");
        var t = new Tensor(steps);
        for (int i = 0; i < steps; i++) t.Data[i] = steps == 1 ? start : (float)(start + (end - (double)start) * i / (steps - 1));
        return t;
    }

    /// <summary>The n×n identity.</summary>
    public static Tensor Eye(int n)
    {
        var t = new Tensor(n, n);
        for (int i = 0; i < n; i++) t.Data[i * n + i] = 1;
        return t;
    }

    /// <summary>Uniform on [0, 1) (as torch.rand, but from our generator).</summary>
    public static Tensor Rand(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = rng.NextFloat();
        return t;
    }

    /// <summary>Uniform on [low, high).</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Uniform(low, high);
        return t;
    }

    /// <summary>Standard normal (as torch.randn).</summary>
    public static Tensor Randn(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal();
        return t;
    }

    /// <summary>Normal with the given mean and standard deviation.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal(mean, std);
        return t;
    }

    /// <summary>Uniform integers in [low, high) stored as floats (as torch.randint).</summary>
    public static Tensor RandInt(Rng rng, int low, int high, params int[] shape)
    {
        if (high <= low) throw new AtlasArgumentException("high", $"must exceed low ({low}), got {high}");
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = rng.NextInt(low, high);
        return t;
    }

    /// <summary>1 with probability p (element-wise from <paramref name="p"/>), else 0 (as torch.bernoulli).</summary>
    public static Tensor Bernoulli(Rng rng, Tensor p)
    {
        var t = new Tensor(p.Shape);
        for (int i = 0; i < t.Numel; i++)
        {
            float q = p.Data[i];
            if (!(q >= 0 && q <= 1)) throw new AtlasArgumentException("p", $"probability {q} at position {i} is outside [0, 1]");
            t.Data[i] = rng.NextDouble() < q ? 1f : 0f;
        }
        return t;
    }

    /// <summary>1 with probability p, else 0, in the given shape.</summary>
    public static Tensor Bernoulli(Rng rng, float p, params int[] shape) => Bernoulli(rng, Full(shape, p));
}
