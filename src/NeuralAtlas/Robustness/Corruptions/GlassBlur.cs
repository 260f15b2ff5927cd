using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Frosted glass: Gaussian blur, then local pixel shuffling (each pixel swapped with a random neighbour within
/// δ, sweeping the image from the bottom-right, repeated), then Gaussian blur again. All channels move together.
/// </summary>
public sealed class GlassBlur : Corruption
{
    private static readonly (double Sigma, int Delta, int Iterations)[] Params = { (0.7, 1, 2), (0.9, 2, 1), (1, 2, 3), (1.1, 3, 2), (1.5, 4, 2) };
    public override string Name => "glass_blur";
    public override string Family => "blur";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (sigma, delta, iterations) = Pick(Params, severity);
        var p = planes.Select(x => ImagePlanes.GaussianBlur(x, h, w, sigma)).ToArray();
        for (int it = 0; it < iterations; it++)
            for (int y = h - delta - 1; y >= delta; y--)
                for (int x = w - delta - 1; x >= delta; x--)
                {
                    int dx = rng.NextInt(-delta, delta + 1), dy = rng.NextInt(-delta, delta + 1);
                    int a = y * w + x, b = (y + dy) * w + x + dx;
                    foreach (var plane in p) (plane[a], plane[b]) = (plane[b], plane[a]);
                }
        return p.Select(x => ImagePlanes.GaussianBlur(x, h, w, sigma)).ToArray();
    }
}
