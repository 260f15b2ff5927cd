using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Poisson photon noise: Poisson(x·λ)/λ with λ = 60, 25, 12, 5, 3 photons at full intensity.</summary>
public sealed class ShotNoise : Corruption
{
    public static readonly double[] Photons = { 60, 25, 12, 5, 3 };
    public override string Name => "shot_noise";
    public override string Family => "noise";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        double lam = Pick(Photons, severity);
        foreach (var p in planes)
            for (int i = 0; i < p.Length; i++) p[i] = Poisson(Math.Clamp(p[i], 0, 1) * lam, rng) / lam;
        return planes;
    }

    /// <summary>Exact Poisson sampling by inversion (means here are at most 60, so the walk is short).</summary>
    public static int Poisson(double mean, Rng rng)
    {
        if (mean <= 0) return 0;
        double u = rng.NextDouble(), p = Math.Exp(-mean), cdf = p;
        int k = 0;
        while (u > cdf && k < 10_000)
        {
            k++;
            p *= mean / k;
            cdf += p;
            if (p == 0 && cdf < u) break; // underflow far in the tail: the remaining mass is negligible
        }
        return k;
    }
}
