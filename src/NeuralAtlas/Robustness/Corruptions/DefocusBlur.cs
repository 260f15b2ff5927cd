using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Convolution with a disk of radius 3, 4, 6, 8, 10 pixels whose edge is softened by a small Gaussian (aliasing blur).</summary>
public sealed class DefocusBlur : Corruption
{
    private static readonly (double Radius, double Alias)[] Params = { (3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5) };
    public override string Name => "defocus_blur";
    public override string Family => "blur";

    public static double[,] Disk(double radius, double aliasSigma)
    {
        int r = (int)Math.Max(8, radius);
        int n = 2 * r + 1;
        var k = new double[n * n];
        for (int y = -r; y <= r; y++)
            for (int x = -r; x <= r; x++)
                k[(y + r) * n + x + r] = x * x + y * y <= radius * radius ? 1 : 0;
        var blurred = ImagePlanes.GaussianBlur(k, n, n, aliasSigma);
        double s = blurred.Sum();
        var res = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) res[i, j] = blurred[i * n + j] / s;
        return res;
    }

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (radius, alias) = Pick(Params, severity);
        var kernel = Disk(radius, alias);
        return planes.Select(p => ImagePlanes.Convolve(p, h, w, kernel)).ToArray();
    }
}
