using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// Elastic transform (Simard et al., as in imagecorruptions): a random affine warp (three anchor points moved by
/// up to a·size) followed by a smooth random displacement field (uniform noise blurred with σ·size, scaled by
/// α·size), sampled bilinearly. Sizes relative to min(H, W), so any resolution gets the same look.
/// </summary>
public sealed class ElasticTransform : Corruption
{
    // imagecorruptions' table is not monotone in distortion (its severity 1 is a pure affine warp larger than
    // severity 2's); here both the affine and the elastic part grow with severity.
    private static readonly (double Alpha, double Sigma, double Affine)[] Params =
        { (0.03, 0.06, 0.02), (0.05, 0.06, 0.03), (0.08, 0.06, 0.04), (0.1, 0.05, 0.05), (0.12, 0.04, 0.06) };
    public override string Name => "elastic_transform";
    public override string Family => "digital";

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var (alphaR, sigmaR, affineR) = Pick(Params, severity);
        double size = Math.Min(h, w), alpha = alphaR * size, sigma = sigmaR * size, affine = affineR * size;
        // Affine map sending three anchor points to randomly displaced ones; inverse-map output pixels.
        double cy = h / 2.0, cx = w / 2.0, sq = size / 3;
        var src = new[] { (cy - sq, cx - sq), (cy - sq, cx + sq), (cy + sq, cx - sq) };
        var dst = src.Select(p => (p.Item1 + rng.Uniform(-affine, affine), p.Item2 + rng.Uniform(-affine, affine))).ToArray();
        var inv = SolveAffine(dst, src);
        var dx = new double[h * w];
        var dy = new double[h * w];
        if (alpha > 0 && sigma > 0)
        {
            for (int i = 0; i < dx.Length; i++) { dx[i] = rng.Uniform(-1, 1); dy[i] = rng.Uniform(-1, 1); }
            dx = ImagePlanes.GaussianBlur(dx, h, w, sigma);
            dy = ImagePlanes.GaussianBlur(dy, h, w, sigma);
            for (int i = 0; i < dx.Length; i++) { dx[i] *= alpha; dy[i] *= alpha; }
        }
        return planes.Select(p =>
        {
            var res = new double[p.Length];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double yy = y + dy[y * w + x], xx = x + dx[y * w + x];
                    double sy = inv[0] * yy + inv[1] * xx + inv[2], sx = inv[3] * yy + inv[4] * xx + inv[5];
                    res[y * w + x] = ImagePlanes.Sample(p, h, w, sy, sx);
                }
            return res;
        }).ToArray();
    }

    /// <summary>The affine map (y, x) ↦ (a y + b x + c, d y + e x + f) taking the three points <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static double[] SolveAffine((double Y, double X)[] from, (double Y, double X)[] to)
    {
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { from[0].Y, from[0].X, 1 }, { from[1].Y, from[1].X, 1 }, { from[2].Y, from[2].X, 1 },
        });
        var ry = m.Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(new[] { to[0].Y, to[1].Y, to[2].Y }));
        var rx = m.Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(new[] { to[0].X, to[1].X, to[2].X }));
        return new[] { ry[0], ry[1], ry[2], rx[0], rx[1], rx[2] };
    }
}
