namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Centre wavelengths (nm) of an image's bands, which the physically based weather corruptions need. Defaults:
/// 1 band → 550 (panchromatic), 3 → R 650, G 550, B 450, 4 → R, G, B, near-infrared 850.
/// </summary>
public static class SpectralBands
{
    public static double[] Default(int channels) => channels switch
    {
        1 => new[] { 550.0 },
        3 => new[] { 650.0, 550, 450 },
        4 => new[] { 650.0, 550, 450, 850 },
        _ => throw new AtlasArgumentException("wavelengths", $"no default wavelengths for {channels} bands; give one wavelength (nm) per band"),
    };

    public static double[] Resolve(int channels, IReadOnlyList<double>? wavelengths)
    {
        if (wavelengths is null) return Default(channels);
        if (wavelengths.Count != channels)
            throw new AtlasArgumentException("wavelengths", $"{wavelengths.Count} wavelengths for an image with {channels} bands");
        foreach (double l in wavelengths)
            if (!(l >= 300 && l <= 2500)) throw new AtlasArgumentException("wavelengths", $"{l} nm is outside the 300–2500 nm range the models cover");
        return wavelengths.ToArray();
    }

    /// <summary>
    /// Directional reflectance of fresh snow (grain radius ~100 µm) by wavelength, piecewise linear through values
    /// read from Wiscombe &amp; Warren (1980) / Warren (1982): near 1 in the visible, falling through the near-infrared.
    /// </summary>
    public static double SnowReflectance(double nm)
    {
        (double L, double R)[] table = { (300, 0.96), (450, 0.98), (550, 0.97), (650, 0.96), (750, 0.93), (850, 0.88), (1000, 0.78), (1300, 0.55), (1500, 0.15), (1800, 0.2), (2500, 0.05) };
        if (nm <= table[0].L) return table[0].R;
        for (int i = 1; i < table.Length; i++)
            if (nm <= table[i].L)
            {
                double f = (nm - table[i - 1].L) / (table[i].L - table[i - 1].L);
                return table[i - 1].R + f * (table[i].R - table[i - 1].R);
            }
        return table[^1].R;
    }
}
