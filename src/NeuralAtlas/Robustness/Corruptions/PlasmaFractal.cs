using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Diamond–square plasma fractal on a 2^k grid, normalised to [0, 1]: the cloud texture behind fog. A larger
/// <c>decay</c> makes finer scales weaker (smoother clouds).
/// </summary>
public static class PlasmaFractal
{
    public static double[] Generate(int size, double decay, Rng rng, out int mapSize)
    {
        int n = 1;
        while (n < Math.Max(size, 2)) n <<= 1;
        mapSize = n;
        var m = new double[n * n];
        double Get(int y, int x) => m[((y % n + n) % n) * n + ((x % n + n) % n)];
        double range = 100;
        for (int step = n; step >= 2; step /= 2)
        {
            int half = step / 2;
            // Squares: centre of each square from its four corners.
            for (int y = 0; y < n; y += step)
                for (int x = 0; x < n; x += step)
                {
                    double avg = (Get(y, x) + Get(y, x + step) + Get(y + step, x) + Get(y + step, x + step)) / 4;
                    m[(y + half) * n + x + half] = avg + range * rng.Uniform(-1, 1);
                }
            // Diamonds: edge midpoints from their four neighbours.
            for (int y = 0; y < n; y += half)
                for (int x = (y / half % 2 == 0) ? half : 0; x < n; x += step)
                {
                    double avg = (Get(y - half, x) + Get(y + half, x) + Get(y, x - half) + Get(y, x + half)) / 4;
                    m[y * n + x] = avg + range * rng.Uniform(-1, 1);
                }
            range /= decay;
        }
        double lo = m.Min(), hi = m.Max(), span = Math.Max(hi - lo, 1e-12);
        for (int i = 0; i < m.Length; i++) m[i] = (m[i] - lo) / span;
        return m;
    }

    /// <summary>The top-left h×w crop of a fractal large enough to cover it.</summary>
    public static double[] Crop(int h, int w, double decay, Rng rng)
    {
        var m = Generate(Math.Max(h, w), decay, rng, out int n);
        var res = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) res[y * w + x] = m[y * n + x];
        return res;
    }
}
