using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Seeded samples from manifolds of known dimension, the ground truth for intrinsic-dimension estimators: each is
/// embedded in R^D by a random rotation (so no coordinate is special) and optionally blurred by isotropic Gaussian
/// noise of standard deviation σ in all D directions.
/// </summary>
public static class ManifoldSamples
{
    /// <summary>n standard Gaussian points of a d-dimensional linear subspace of R^D.</summary>
    public static DMatrix LinearSubspace(int n, int d, int ambient, ulong seed, double noise = 0)
    {
        Check(n, d, ambient, d);
        var rng = new Rng(seed);
        var x = new DMatrix(n, ambient);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i, j] = rng.Normal();
        return Finish(x, rng, noise);
    }

    /// <summary>n uniform points of the unit sphere S^d ⊂ R^(d+1) ⊆ R^D.</summary>
    public static DMatrix Sphere(int n, int d, int ambient, ulong seed, double noise = 0)
    {
        Check(n, d, ambient, d + 1);
        var rng = new Rng(seed);
        var x = new DMatrix(n, ambient);
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j <= d; j++) { double v = rng.Normal(); x[i, j] = v; s += v * v; }
            s = Math.Sqrt(s);
            for (int j = 0; j <= d; j++) x[i, j] /= s;
        }
        return Finish(x, rng, noise);
    }

    /// <summary>n uniform points of the flat torus (S¹)^m ⊂ R^(2m) ⊆ R^D, a product of unit circles (dimension m).</summary>
    public static DMatrix Torus(int n, int circles, int ambient, ulong seed, double noise = 0)
    {
        Check(n, circles, ambient, 2 * circles);
        var rng = new Rng(seed);
        var x = new DMatrix(n, ambient);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < circles; c++)
            {
                double t = 2 * Math.PI * rng.NextDouble();
                x[i, 2 * c] = Math.Cos(t);
                x[i, 2 * c + 1] = Math.Sin(t);
            }
        return Finish(x, rng, noise);
    }

    /// <summary>The Swiss roll (t cos t, h, t sin t), t ∈ 1.5π[1, 3], h ∈ [0, 21] (dimension 2) in R^D.</summary>
    public static DMatrix SwissRoll(int n, int ambient, ulong seed, double noise = 0)
    {
        Check(n, 2, ambient, 3);
        var rng = new Rng(seed);
        var x = new DMatrix(n, ambient);
        for (int i = 0; i < n; i++)
        {
            double t = 1.5 * Math.PI * (1 + 2 * rng.NextDouble());
            x[i, 0] = t * Math.Cos(t);
            x[i, 1] = 21 * rng.NextDouble();
            x[i, 2] = t * Math.Sin(t);
        }
        return Finish(x, rng, noise);
    }

    private static void Check(int n, int d, int ambient, int needed)
    {
        if (n < 1) throw new AtlasArgumentException("n", $"must be positive, got {n}");
        if (d < 1) throw new AtlasArgumentException("d", $"must be positive, got {d}");
        if (ambient < needed) throw new AtlasArgumentException("ambient", $"this manifold needs at least {needed} ambient dimensions, got {ambient}");
    }

    private static DMatrix Finish(DMatrix x, Rng rng, double noise)
    {
        if (!(noise >= 0)) throw new AtlasArgumentException("noise", $"must be non-negative, got {noise}");
        var q = RandomRotation(x.Cols, rng);
        var y = Blas.Gemm(x, q);
        if (noise > 0)
            for (int i = 0; i < y.Data.Length; i++) y.Data[i] += noise * rng.Normal();
        return y;
    }

    /// <summary>A Haar-random orthogonal D×D matrix (QR of a Gaussian matrix with the signs of R's diagonal fixed).</summary>
    public static DMatrix RandomRotation(int dim, Rng rng)
    {
        var g = new DMatrix(dim, dim);
        for (int i = 0; i < g.Data.Length; i++) g.Data[i] = rng.Normal();
        // Modified Gram–Schmidt on the columns.
        var q = new DMatrix(dim, dim);
        for (int j = 0; j < dim; j++)
        {
            var v = new double[dim];
            for (int i = 0; i < dim; i++) v[i] = g[i, j];
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < dim; i++) dot += q[i, p] * v[i];
                for (int i = 0; i < dim; i++) v[i] -= dot * q[i, p];
            }
            double norm = Math.Sqrt(v.Sum(t => t * t));
            for (int i = 0; i < dim; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }
}
