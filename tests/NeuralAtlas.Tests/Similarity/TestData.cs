using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Similarity;

/// <summary>Seeded random representations and transforms for property tests.</summary>
internal static class TestData
{
    public static DMatrix Gaussian(Rng rng, int n, int d, double scale = 1)
    {
        var m = new DMatrix(n, d);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = scale * rng.Normal();
        return m;
    }

    /// <summary>Two related representations of the same inputs: a ReLU layer and a tanh layer of a shared latent, plus noise.</summary>
    public static (DMatrix X, DMatrix Y) RelatedPair(Rng rng, int n = 60, int d1 = 8, int d2 = 6)
    {
        var z = Gaussian(rng, n, 4);
        var x = Blas.Gemm(z, Gaussian(rng, 4, d1));
        var y = Blas.Gemm(z, Gaussian(rng, 4, d2));
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = Math.Max(x.Data[i], 0) + 0.3 * rng.Normal() + 0.5;
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = Math.Tanh(y.Data[i]) + 0.3 * rng.Normal();
        return (x, y);
    }

    public static DMatrix RandomOrthogonal(Rng rng, int d)
    {
        var svd = Decompositions.ThinSvd(Gaussian(rng, d, d));
        return Blas.Gemm(svd.U, svd.V, transB: true);
    }

    public static DMatrix RandomPermutation(Rng rng, int d, bool positiveScaling = false)
    {
        var p = new DMatrix(d, d);
        int[] perm;
        do perm = rng.Permutation(d); while (perm.Select((v, i) => v == i).All(b => b));
        for (int i = 0; i < d; i++) p[i, perm[i]] = positiveScaling ? rng.Uniform(0.2, 5) : 1;
        return p;
    }

    public static DMatrix RandomInvertible(Rng rng, int d)
    {
        var a = Gaussian(rng, d, d);
        for (int i = 0; i < d; i++) a[i, i] += 3;
        return a;
    }

    public static DMatrix Translate(DMatrix x, Rng rng)
    {
        var r = x.Clone();
        var b = Enumerable.Range(0, x.Cols).Select(_ => 5 * rng.Normal()).ToArray();
        for (int i = 0; i < r.Rows; i++)
            for (int j = 0; j < r.Cols; j++) r[i, j] += b[j];
        return r;
    }

    public static DMatrix Scale(DMatrix x, double c)
    {
        var r = x.Clone();
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] *= c;
        return r;
    }
}
