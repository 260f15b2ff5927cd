using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Small image-processing kernels the corruptions share, on one channel plane (row-major h×w, double): Gaussian
/// and arbitrary 2-D convolution with reflected borders, bilinear sampling, centred zoom. Kept here rather than in
/// Tensors because they work in double on single planes and mirror scipy.ndimage's border handling.
/// </summary>
internal static class ImagePlanes
{
    public static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        // scipy.ndimage 'reflect': d c b a | a b c d | d c b a
        int period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }

    public static double[] GaussianKernel1D(double sigma, double truncate = 4.0)
    {
        int r = Math.Max(1, (int)(truncate * sigma + 0.5));
        var k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= s;
        return k;
    }

    /// <summary>The plane with <paramref name="ry"/> rows and <paramref name="rx"/> columns of reflected border on each side.</summary>
    private static double[] PadReflect(double[] p, int h, int w, int ry, int rx)
    {
        int pw = w + 2 * rx, ph = h + 2 * ry;
        var padded = new double[ph * pw];
        for (int y = 0; y < ph; y++)
        {
            int sy = Reflect(y - ry, h);
            for (int x = 0; x < pw; x++) padded[y * pw + x] = p[sy * w + Reflect(x - rx, w)];
        }
        return padded;
    }

    public static double[] GaussianBlur(double[] p, int h, int w, double sigma)
    {
        if (sigma <= 0) return (double[])p.Clone();
        var k = GaussianKernel1D(sigma);
        int r = k.Length / 2;
        var kernelRow = new double[1, k.Length];
        var kernelCol = new double[k.Length, 1];
        for (int i = 0; i < k.Length; i++) kernelRow[0, i] = kernelCol[i, 0] = k[i];
        return Convolve(Convolve(p, h, w, kernelRow), h, w, kernelCol);
    }

    /// <summary>
    /// 2-D correlation with an odd-sized kernel, reflected borders. Each non-zero tap adds a shifted copy of the padded
    /// plane row by row with SIMD, which is fast for the dense disks and long line kernels the blurs use.
    /// </summary>
    public static double[] Convolve(double[] p, int h, int w, double[,] kernel)
    {
        int kh = kernel.GetLength(0), kw = kernel.GetLength(1), ry = kh / 2, rx = kw / 2;
        var taps = new List<(int Dy, int Dx, double V)>();
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                if (kernel[i, j] != 0) taps.Add((i, j, kernel[i, j]));
        var padded = PadReflect(p, h, w, ry, rx);
        int pw = w + 2 * rx;
        var res = new double[p.Length];
        Parallel.For(0, h, y =>
        {
            var row = res.AsSpan(y * w, w);
            foreach (var (dy, dx, v) in taps)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(padded.AsSpan((y + dy) * pw + dx, w), v, row, row);
        });
        return res;
    }

    /// <summary>Bilinear sample at (y, x) with clamped borders.</summary>
    public static double Sample(double[] p, int h, int w, double y, double x)
    {
        y = Math.Clamp(y, 0, h - 1);
        x = Math.Clamp(x, 0, w - 1);
        int y0 = (int)y, x0 = (int)x, y1 = Math.Min(y0 + 1, h - 1), x1 = Math.Min(x0 + 1, w - 1);
        double fy = y - y0, fx = x - x0;
        return (1 - fy) * ((1 - fx) * p[y0 * w + x0] + fx * p[y0 * w + x1]) + fy * ((1 - fx) * p[y1 * w + x0] + fx * p[y1 * w + x1]);
    }

    /// <summary>Zoom about the centre by factor z ≥ 1 (the central 1/z of the image stretched to full size).</summary>
    public static double[] CenterZoom(double[] p, int h, int w, double z)
    {
        var res = new double[p.Length];
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        Parallel.For(0, h, y =>
        {
            for (int x = 0; x < w; x++) res[y * w + x] = Sample(p, h, w, cy + (y - cy) / z, cx + (x - cx) / z);
        });
        return res;
    }

    public static double[][] ToPlanes(Tensor image)
    {
        RequireImage(image);
        int c = image.Shape[0], n = image.Shape[1] * image.Shape[2];
        var planes = new double[c][];
        for (int i = 0; i < c; i++)
        {
            planes[i] = new double[n];
            for (int j = 0; j < n; j++) planes[i][j] = image.Data[i * n + j];
        }
        return planes;
    }

    public static Tensor FromPlanes(double[][] planes, int h, int w, bool clip = true)
    {
        var t = new Tensor(planes.Length, h, w);
        int n = h * w;
        for (int i = 0; i < planes.Length; i++)
            for (int j = 0; j < n; j++)
            {
                double v = planes[i][j];
                t.Data[i * n + j] = (float)(clip ? Math.Clamp(v, 0, 1) : v);
            }
        return t;
    }

    public static void RequireImage(Tensor image)
    {
        if (image.Rank != 3 || image.Shape[0] < 1 || image.Shape[1] < 1 || image.Shape[2] < 1)
            throw new ShapeMismatchException("corruption", $"expects one image C×H×W with C, H, W ≥ 1, got {ShapeMismatchException.Format(image.Shape)}");
        foreach (float v in image.Data)
            if (!float.IsFinite(v))
                throw new AtlasArgumentException("image", "contains NaN or infinite values");
    }
}
