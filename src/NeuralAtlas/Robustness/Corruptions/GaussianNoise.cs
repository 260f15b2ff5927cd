using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>x + N(0, σ²) per sample, σ = 0.08, 0.12, 0.18, 0.26, 0.38, clipped to [0, 1].</summary>
public sealed class GaussianNoise : Corruption
{
    public static readonly double[] Sigma = { 0.08, 0.12, 0.18, 0.26, 0.38 };
    public override string Name => "gaussian_noise";
    public override string Family => "noise";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double s = Pick(Sigma, severity);
        foreach (var p in planes)
            for (int i = 0; i < p.Length; i++) p[i] += s * rng.Normal();
        return planes;
    }
}
