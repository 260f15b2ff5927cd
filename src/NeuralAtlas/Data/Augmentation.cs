using System.Globalization;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Data;

/// <summary>
/// A random transform of one C×H×W image in [0, 1], applied in place during loading. Randomness comes only from the
/// <see cref="Rng"/> passed in, so a seeded loader produces the same augmented batches on every machine.
/// </summary>
public interface IAugmentation
{
    void Apply(Span<float> image, int channels, int height, int width, Rng rng);
}

/// <summary>Parses augmentation lists for the command line: "crop:4,flip,rotate:10,noise:0.05".</summary>
public static class Augmentations
{
    public const string Help = "comma-separated list of crop:PAD (random crop after zero padding), flip (horizontal, p=0.5), " +
                               "rotate:DEG (uniform in ±DEG, bilinear), noise:STD (Gaussian, clamped to [0,1]); 'none' for no augmentation";

    public static IReadOnlyList<IAugmentation> Parse(string? spec, string argument = "--augment")
    {
        var list = new List<IAugmentation>();
        if (string.IsNullOrWhiteSpace(spec) || spec == "none") return list;
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = part.Split(':', 2);
            double Arg(double dflt)
            {
                if (kv.Length == 1) return dflt;
                if (!double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < 0)
                    throw new AtlasArgumentException(argument, $"'{part}': expected a non-negative number after ':'");
                return v;
            }
            list.Add(kv[0] switch
            {
                "crop" => new RandomCrop((int)Arg(4)),
                "flip" => new HorizontalFlip(Arg(0.5)),
                "rotate" => new RandomRotation(Arg(10)),
                "noise" => new GaussianNoise(Arg(0.05)),
                _ => throw new AtlasArgumentException(argument, $"unknown augmentation '{kv[0]}'; expected {Help}"),
            });
        }
        return list;
    }
}

/// <summary>Zero-pads by <see cref="Padding"/> pixels and crops back to the original size at a random offset.</summary>
public sealed class RandomCrop : IAugmentation
{
    public int Padding { get; }

    public RandomCrop(int padding)
    {
        if (padding < 0) throw new AtlasArgumentException("padding", "must be non-negative");
        Padding = padding;
    }

    public void Apply(Span<float> image, int channels, int height, int width, Rng rng)
    {
        int dy = rng.NextInt(2 * Padding + 1) - Padding, dx = rng.NextInt(2 * Padding + 1) - Padding;
        if (dx == 0 && dy == 0) return;
        var src = image.ToArray();
        for (int ch = 0; ch < channels; ch++)
        {
            int o = ch * height * width;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int sy = y + dy, sx = x + dx;
                    image[o + y * width + x] = (uint)sy < (uint)height && (uint)sx < (uint)width ? src[o + sy * width + sx] : 0f;
                }
        }
    }
}

/// <summary>Mirrors the image left-right with probability <see cref="Probability"/>.</summary>
public sealed class HorizontalFlip : IAugmentation
{
    public double Probability { get; }

    public HorizontalFlip(double probability = 0.5)
    {
        if (probability is < 0 or > 1) throw new AtlasArgumentException("probability", "must be in [0, 1]");
        Probability = probability;
    }

    public void Apply(Span<float> image, int channels, int height, int width, Rng rng)
    {
        if (rng.NextDouble() >= Probability) return;
        for (int r = 0; r < channels * height; r++) image.Slice(r * width, width).Reverse();
    }
}

/// <summary>Rotates about the image centre by an angle uniform in ±<see cref="MaxDegrees"/>; bilinear, zero outside.</summary>
public sealed class RandomRotation : IAugmentation
{
    public double MaxDegrees { get; }

    public RandomRotation(double maxDegrees)
    {
        if (maxDegrees is < 0 or > 180) throw new AtlasArgumentException("degrees", "must be in [0, 180]");
        MaxDegrees = maxDegrees;
    }

    public void Apply(Span<float> image, int channels, int height, int width, Rng rng)
    {
        double a = rng.Uniform(-MaxDegrees, MaxDegrees) * Math.PI / 180;
        Rotate(image, channels, height, width, a);
    }

    /// <summary>Rotates counter-clockwise (in image coordinates, y down) by <paramref name="radians"/>.</summary>
    public static void Rotate(Span<float> image, int channels, int height, int width, double radians)
    {
        var src = image.ToArray();
        double c = Math.Cos(radians), s = Math.Sin(radians);
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                // Inverse map: where in the source does this output pixel come from.
                double u = x - cx, v = y - cy;
                double sx = c * u - s * v + cx, sy = s * u + c * v + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < channels; ch++)
                {
                    int o = ch * height * width;
                    float P(int yy, int xx) => (uint)yy < (uint)height && (uint)xx < (uint)width ? src[o + yy * width + xx] : 0f;
                    double val = (1 - fy) * ((1 - fx) * P(y0, x0) + fx * P(y0, x0 + 1)) + fy * ((1 - fx) * P(y0 + 1, x0) + fx * P(y0 + 1, x0 + 1));
                    image[o + y * width + x] = (float)val;
                }
            }
    }
}

/// <summary>Adds independent N(0, Std²) noise to every pixel and clamps to [0, 1].</summary>
public sealed class GaussianNoise : IAugmentation
{
    public double Std { get; }

    public GaussianNoise(double std)
    {
        if (!(std >= 0) || !double.IsFinite(std)) throw new AtlasArgumentException("std", "must be a finite non-negative number");
        Std = std;
    }

    public void Apply(Span<float> image, int channels, int height, int width, Rng rng)
    {
        for (int i = 0; i < image.Length; i++) image[i] = (float)Math.Clamp(image[i] + Std * rng.Normal(), 0, 1);
    }
}
