using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness;

/// <summary>
/// A deterministic "natural-looking" test scene (sky gradient, sun, hills, textured ground, a few objects) in any
/// size and band count, so corruption checks and examples run without image files. Bands beyond RGB are a
/// vegetation-like near-infrared response (bright ground, dark sky).
/// </summary>
public static class TestImages
{
    public static Tensor Scene(int height, int width, int channels = 3, int seed = 0)
    {
        if (height < 1 || width < 1 || channels < 1) throw new AtlasArgumentException("size", $"scene needs positive size and channels, got {channels}×{height}×{width}");
        var rng = new Rng(seed);
        var t = new Tensor(channels, height, width);
        int n = height * width;
        var phases = Enumerable.Range(0, 6).Select(_ => rng.Uniform(0, 2 * Math.PI)).ToArray();
        double sunY = 0.22 * height, sunX = 0.7 * width, sunR = 0.09 * Math.Min(height, width);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                double horizon = 0.55 + 0.08 * Math.Sin(2 * Math.PI * u * 1.5 + phases[0]) + 0.04 * Math.Sin(2 * Math.PI * u * 4 + phases[1]);
                bool sky = v < horizon;
                double tex = 0.06 * Math.Sin(2 * Math.PI * (u * 23 + v * 7) + phases[2]) * Math.Sin(2 * Math.PI * (v * 31 - u * 5) + phases[3]);
                double r, g, b, nir;
                if (sky)
                {
                    r = 0.45 + 0.3 * v; g = 0.6 + 0.25 * v; b = 0.95 - 0.1 * v; nir = 0.2 + 0.1 * v;
                    double d = Math.Sqrt((y - sunY) * (y - sunY) + (x - sunX) * (x - sunX));
                    if (d < sunR) { r = 1; g = 0.95; b = 0.7; nir = 0.9; }
                }
                else
                {
                    double depth = (v - horizon) / (1 - horizon + 1e-9);
                    r = 0.25 + 0.2 * depth + tex; g = 0.45 + 0.15 * depth + tex; b = 0.15 + 0.1 * depth + tex * 0.5; nir = 0.7 + 0.15 * depth + tex;
                    // A house: a dark rectangle with a bright window.
                    if (u > 0.18 && u < 0.36 && v > horizon - 0.02 && v < horizon + 0.2)
                    {
                        r = 0.55; g = 0.25; b = 0.2; nir = 0.35;
                        if (u > 0.24 && u < 0.30 && v > horizon + 0.04 && v < horizon + 0.1) { r = 0.95; g = 0.9; b = 0.5; nir = 0.6; }
                    }
                }
                double[] bands = { r, g, b, nir };
                for (int c = 0; c < channels; c++)
                {
                    double val = channels == 1 ? 0.299 * r + 0.587 * g + 0.114 * b : bands[Math.Min(c, 3)] * (c >= 4 ? 0.9 : 1);
                    t.Data[c * n + y * width + x] = (float)Math.Clamp(val, 0, 1);
                }
            }
        return t;
    }
}
