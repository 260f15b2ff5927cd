namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>The 15 common corruptions in the ImageNet-C order, plus the multispectral weather models, by name.</summary>
public static class CorruptionCatalog
{
    /// <summary>The 15 corruptions of ImageNet-C / Kodak-C / CLIC-C, in their usual order.</summary>
    public static IReadOnlyList<Corruption> Common { get; } = new Corruption[]
    {
        new GaussianNoise(), new ShotNoise(), new ImpulseNoise(),
        new DefocusBlur(), new GlassBlur(), new MotionBlur(), new ZoomBlur(),
        new Snow(), new Frost(), new Fog(),
        new Brightness(), new Contrast(), new ElasticTransform(), new Pixelate(), new JpegCompression(),
    };

    public static IReadOnlyList<string> Names => Common.Select(c => c.Name).Concat(new[] { "multispectral_fog", "multispectral_snow" }).ToList();

    /// <summary>A corruption by name (hyphens and underscores alike); wavelengths configure the multispectral ones.</summary>
    public static Corruption Get(string name, IReadOnlyList<double>? wavelengths = null)
    {
        string n = name.Trim().ToLowerInvariant().Replace('-', '_');
        if (n == "multispectral_fog") return new MultispectralFog { Wavelengths = wavelengths };
        if (n == "multispectral_snow") return new MultispectralSnow { Wavelengths = wavelengths };
        return Common.FirstOrDefault(c => c.Name == n)
            ?? throw new AtlasArgumentException("corruption", $"unknown corruption '{name}'; known: {string.Join(", ", Names)}");
    }

    /// <summary>Names from a comma list, or every common corruption for "all".</summary>
    public static IReadOnlyList<Corruption> Parse(string list, IReadOnlyList<double>? wavelengths = null) =>
        list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? Common
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Get(n, wavelengths)).ToList();
}
