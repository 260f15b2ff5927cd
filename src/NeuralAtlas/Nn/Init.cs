using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// PyTorch's weight initialisations (torch.nn.init), drawn from an explicit <see cref="Rng"/>. The distributions
/// match PyTorch's; the values do not (different generator), so copy weights through a state dict for equality.
/// </summary>
public static class Init
{
    /// <summary>fan_in and fan_out as torch's _calculate_fan_in_and_fan_out: dims 1 and 0 times the receptive field.</summary>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        if (shape.Length < 2) throw new AtlasArgumentException("shape", $"fan in/out need at least 2 dimensions, got {ShapeMismatchException.Format(shape)}");
        int receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    public static void Uniform(Tensor t, float low, float high, Rng rng)
    {
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Uniform(low, high);
    }

    public static void Normal(Tensor t, float mean, float std, Rng rng)
    {
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal(mean, std);
    }

    /// <summary>kaiming_uniform_(a, mode='fan_in', nonlinearity='leaky_relu'): U(±gain·√(3/fan_in)), gain = √(2/(1+a²)).</summary>
    public static void KaimingUniform(Tensor t, double a, Rng rng)
    {
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.Sqrt(3.0 / Fans(t.Shape).FanIn);
        Uniform(t, (float)-bound, (float)bound, rng);
    }

    /// <summary>xavier_uniform_: U(±gain·√(6/(fan_in+fan_out))).</summary>
    public static void XavierUniform(Tensor t, Rng rng, double gain = 1)
    {
        var (fi, fo) = Fans(t.Shape);
        double bound = gain * Math.Sqrt(6.0 / (fi + fo));
        Uniform(t, (float)-bound, (float)bound, rng);
    }

    /// <summary>The default of nn.Linear / nn.Conv*: weight kaiming_uniform(a=√5), bias U(±1/√fan_in).</summary>
    public static void LinearDefault(Tensor weight, Tensor? bias, Rng rng, int? fanIn = null)
    {
        KaimingUniform(weight, Math.Sqrt(5), rng);
        if (bias is null) return;
        int fi = fanIn ?? Fans(weight.Shape).FanIn;
        float bound = fi > 0 ? 1f / MathF.Sqrt(fi) : 0f;
        Uniform(bias, -bound, bound, rng);
    }

    /// <summary>kaiming_normal_(mode='fan_out', nonlinearity='relu'): N(0, 2/fan_out), the usual ResNet convolution init.</summary>
    public static void KaimingNormalFanOut(Tensor t, Rng rng) => Normal(t, 0, (float)Math.Sqrt(2.0 / Fans(t.Shape).FanOut), rng);
}
