using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Salt-and-pepper: each sample independently replaced with probability a (0.03 … 0.27), half by 1, half by 0.</summary>
public sealed class ImpulseNoise : Corruption
{
    public static readonly double[] Amount = { 0.03, 0.06, 0.09, 0.17, 0.27 };
    public override string Name => "impulse_noise";
    public override string Family => "noise";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double a = Pick(Amount, severity);
        foreach (var p in planes)
            for (int i = 0; i < p.Length; i++)
                if (rng.NextDouble() < a) p[i] = rng.NextDouble() < 0.5 ? 1 : 0;
        return planes;
    }
}
