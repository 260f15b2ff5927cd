using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Physically consistent fog for any set of bands (RGB + near-infrared, ...): Koschmieder's law
/// I_b = J_b·t_b + A·(1 − t_b) with transmission t_b = exp(−τ·d·(550/λ_b)^q). One optical-depth field d (a plasma
/// fractal, the same geometry in every band) and one airlight A; the extinction falls with wavelength by the
/// Ångström exponent q (default 0.5 for fog/haze mixtures: longer wavelengths see through further, so NIR keeps more
/// contrast than blue). τ = 0.4, 0.7, 1.0, 1.5, 2.2 by severity.
/// </summary>
public sealed class MultispectralFog : Corruption
{
    public static readonly double[] OpticalDepth = { 0.4, 0.7, 1.0, 1.5, 2.2 };
    public IReadOnlyList<double>? Wavelengths { get; init; }
    public double AngstromExponent { get; init; } = 0.5;
    public double Airlight { get; init; } = 0.85;

    public override string Name => "multispectral_fog";
    public override string Family => "weather";

    /// <summary>Transmission of band λ at relative depth d.</summary>
    public double Transmission(double tau, double depth, double wavelength) => Math.Exp(-tau * depth * Math.Pow(550.0 / wavelength, AngstromExponent));

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var bands = SpectralBands.Resolve(planes.Length, Wavelengths);
        double tau = Pick(OpticalDepth, severity);
        var depth = PlasmaFractal.Crop(h, w, 1.6, rng);
        for (int i = 0; i < depth.Length; i++) depth[i] = 0.5 + depth[i]; // depth in [0.5, 1.5] around the mean
        for (int c = 0; c < planes.Length; c++)
        {
            var p = planes[c];
            for (int i = 0; i < p.Length; i++)
            {
                double t = Transmission(tau, depth[i], bands[c]);
                p[i] = p[i] * t + Airlight * (1 - t);
            }
        }
        return planes;
    }
}
