using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Camera motion: a one-sided line kernel with Gaussian weights (radius 10–20, σ 3–15) at a random angle in
/// [−45°, 45°], each tap split bilinearly between pixels.
/// </summary>
public sealed class MotionBlur : Corruption
{
    private static readonly (int Radius, double Sigma)[] Params = { (10, 3), (15, 5), (15, 8), (15, 12), (20, 15) };
    public override string Name => "motion_blur";
    public override string Family => "blur";

    public static double[,] Kernel(int radius, double sigma, double angleDegrees)
    {
        int n = 2 * radius + 1;
        var k = new double[n, n];
        double a = angleDegrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a), total = 0;
        for (int i = 0; i <= radius; i++)
        {
            double wgt = Math.Exp(-0.5 * i * i / (sigma * sigma));
            double x = radius + i * c, y = radius - i * s;
            int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
            double fx = x - x0, fy = y - y0;
            void Add(int yy, int xx, double v) { if (yy >= 0 && yy < n && xx >= 0 && xx < n) { k[yy, xx] += v; total += v; } }
            Add(y0, x0, wgt * (1 - fx) * (1 - fy));
            Add(y0, x0 + 1, wgt * fx * (1 - fy));
            Add(y0 + 1, x0, wgt * (1 - fx) * fy);
            Add(y0 + 1, x0 + 1, wgt * fx * fy);
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) k[i, j] /= total;
        return k;
    }

    internal static double[] Blur(double[] plane, int h, int w, int radius, double sigma, double angle) =>
        ImagePlanes.Convolve(plane, h, w, Kernel(radius, sigma, angle));

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (radius, sigma) = Pick(Params, severity);
        var kernel = Kernel(radius, sigma, rng.Uniform(-45, 45));
        return planes.Select(p => ImagePlanes.Convolve(p, h, w, kernel)).ToArray();
    }
}
