using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Physically consistent snow for any set of bands: the flakes of <see cref="Snow"/> (one geometry for all bands)
/// and the whitening of the ground, each weighted per band by the spectral reflectance of fresh snow
/// (<see cref="SpectralBands.SnowReflectance"/>): bright in the visible, darker in the near-infrared.
/// </summary>
public sealed class MultispectralSnow : Corruption
{
    public IReadOnlyList<double>? Wavelengths { get; init; }
    public override string Name => "multispectral_snow";
    public override string Family => "weather";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var bands = SpectralBands.Resolve(planes.Length, Wavelengths);
        double blend = Snow.Params[severity - 1].Blend;
        var flakes = Snow.Flakes(h, w, severity, rng);
        var gray = Gray(planes);
        for (int c = 0; c < planes.Length; c++)
        {
            double r = SpectralBands.SnowReflectance(bands[c]);
            var p = planes[c];
            for (int i = 0; i < p.Length; i++)
            {
                double ground = Math.Max(p[i], r * (gray[i] * 1.5 + 0.5));
                p[i] = blend * p[i] + (1 - blend) * ground + r * flakes[i];
            }
        }
        return planes;
    }
}
