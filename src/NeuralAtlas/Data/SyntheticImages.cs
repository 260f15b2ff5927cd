using NeuralAtlas.Tensors;

namespace NeuralAtlas.Data;

/// <summary>
/// The embedded image classification set: 28×28 grayscale images of ten procedural classes (five shapes, two
/// textures, two compound shapes, one bar) drawn at a random position, size, rotation and contrast with Gaussian
/// pixel noise, generated from a seed so every command runs on a fresh machine with no download. Pairs of classes
/// are built to be confusable (disk/filled square, ring/square outline, plus/bar, stripes/checkerboard), so a
/// linear model or nearest class mean does poorly while a small CNN learns it well.
/// </summary>
public static class SyntheticImages
{
    public const int Size = 28;
    public const int DefaultTrainCount = 10_000;
    public const int DefaultTestCount = 2_000;

    public static readonly string[] ClassNames =
        { "disk", "ring", "square", "square-outline", "triangle", "plus", "stripes", "checkerboard", "two-dots", "bar" };

    /// <summary>Train and test splits from independent streams of one seed.</summary>
    public static DatasetSplits Load(int seed = 0, int trainCount = DefaultTrainCount, int testCount = DefaultTestCount) =>
        new(Generate(trainCount, seed, "synthetic/train"), Generate(testCount, unchecked(seed * 31 + 7_777_777), "synthetic/test"));

    /// <summary>
    /// <paramref name="count"/> images with balanced labels in a seeded random order. Same seed, same bytes on any
    /// machine: every random draw comes from <see cref="Rng"/> in a fixed order.
    /// </summary>
    public static ImageDataset Generate(int count, int seed, string name = "synthetic")
    {
        if (count < 0) throw new AtlasArgumentException("count", "must be non-negative");
        var rng = new Rng(seed);
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % ClassNames.Length;
        rng.Shuffle(labels.AsSpan());
        var pixels = new byte[count * Size * Size];
        var img = new float[Size * Size];
        for (int i = 0; i < count; i++)
        {
            Render(labels[i], rng, img);
            var dst = pixels.AsSpan(i * Size * Size, Size * Size);
            for (int k = 0; k < img.Length; k++) dst[k] = (byte)Math.Clamp((int)MathF.Round(img[k] * 255f), 0, 255);
        }
        return new ImageDataset(name, 1, Size, Size, pixels, labels, ClassNames);
    }

    private static void Render(int label, Rng rng, float[] img)
    {
        var p = new Shape(label, rng);
        double bg = rng.Uniform(0, 0.3), fg = rng.Uniform(0.6, 1.0);
        double noise = rng.Uniform(0.04, 0.12);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                // 2×2 supersampling gives soft edges, as a camera would.
                int hits = 0;
                for (int sy = 0; sy < 2; sy++)
                    for (int sx = 0; sx < 2; sx++)
                        if (p.Inside(x + 0.25 + 0.5 * sx, y + 0.25 + 0.5 * sy)) hits++;
                double val = bg + (fg - bg) * hits / 4.0 + noise * rng.Normal();
                img[y * Size + x] = (float)Math.Clamp(val, 0, 1);
            }
    }

    /// <summary>One drawn instance of a class: centre, size, rotation and texture period.</summary>
    private readonly struct Shape
    {
        private readonly int _label;
        private readonly double _cx, _cy, _s, _c, _sn, _period, _gap;

        public Shape(int label, Rng rng)
        {
            _label = label;
            _cx = rng.Uniform(10, 18);
            _cy = rng.Uniform(10, 18);
            _s = rng.Uniform(6, 9);
            double th = rng.Uniform(0, Math.PI);
            _c = Math.Cos(th);
            _sn = Math.Sin(th);
            _period = rng.Uniform(4, 7);
            _gap = rng.Uniform(3.5, 6);
        }

        public bool Inside(double x, double y)
        {
            // Rotated coordinates around the shape's centre.
            double dx = x - _cx, dy = y - _cy;
            double u = _c * dx + _sn * dy, v = -_sn * dx + _c * dy;
            double s = _s;
            switch (_label)
            {
                case 0: return u * u + v * v < s * s;
                case 1: return Math.Abs(Math.Sqrt(u * u + v * v) - s) < 1.4;
                case 2: return Math.Max(Math.Abs(u), Math.Abs(v)) < 0.85 * s;
                case 3: return Math.Abs(Math.Max(Math.Abs(u), Math.Abs(v)) - 0.85 * s) < 1.2;
                case 4: return Triangle(u, v, s);
                case 5: return (Math.Abs(u) < 1.5 && Math.Abs(v) < s) || (Math.Abs(v) < 1.5 && Math.Abs(u) < s);
                // Stripes and checkerboard: which half-period a coordinate falls in.
                case 6: return Parity(u) == 0;
                case 7: return (Parity(u) ^ Parity(v)) == 0;
                case 8: return Square(u - _gap) + v * v < 6.25 || Square(u + _gap) + v * v < 6.25;
                default: return Math.Abs(u) < 1.6 && Math.Abs(v) < s + 1;
            }
        }

        private int Parity(double a) => (int)((long)Math.Floor(2 * a / _period) & 1);
    }

    private static double Square(double a) => a * a;

    private static readonly double[] EdgeCos = { 1, Math.Cos(2 * Math.PI / 3), Math.Cos(4 * Math.PI / 3) };
    private static readonly double[] EdgeSin = { 0, Math.Sin(2 * Math.PI / 3), Math.Sin(4 * Math.PI / 3) };

    private static bool Triangle(double u, double v, double s)
    {
        // Equilateral triangle with circumradius s, centred at the origin: inside all three edge half-planes.
        for (int k = 0; k < 3; k++)
            if (u * EdgeCos[k] + v * EdgeSin[k] > s / 2) return false;
        return true;
    }
}
