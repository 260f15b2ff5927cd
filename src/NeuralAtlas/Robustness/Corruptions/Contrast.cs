using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Contrast loss: (x − μ)·c + μ per channel, μ the channel mean, c = 0.4, 0.3, 0.2, 0.1, 0.05.</summary>
public sealed class Contrast : Corruption
{
    public static readonly double[] Factor = { 0.4, 0.3, 0.2, 0.1, 0.05 };
    public override string Name => "contrast";
    public override string Family => "digital";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double c = Pick(Factor, severity);
        foreach (var p in planes)
        {
            double mean = p.Average();
            for (int i = 0; i < p.Length; i++) p[i] = (p[i] - mean) * c + mean;
        }
        return planes;
    }
}
