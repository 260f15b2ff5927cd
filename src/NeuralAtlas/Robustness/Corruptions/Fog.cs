using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Fog as in ImageNet-C: add c·plasma fractal (c = 1.5 … 3, decay 2 … 1.4) and rescale by max/(max + c), the same
/// cloud for every channel. <see cref="MultispectralFog"/> is the physically based, band-dependent variant.
/// </summary>
public sealed class Fog : Corruption
{
    private static readonly (double Amount, double Decay)[] Params = { (1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4) };
    public override string Name => "fog";
    public override string Family => "weather";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (amount, decay) = Pick(Params, severity);
        double max = planes.Max(p => p.Max());
        var cloud = PlasmaFractal.Crop(h, w, decay, rng);
        foreach (var p in planes)
            for (int i = 0; i < p.Length; i++) p[i] = (p[i] + amount * cloud[i]) * max / (max + amount);
        return planes;
    }
}
