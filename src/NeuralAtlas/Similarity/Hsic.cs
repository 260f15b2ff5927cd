using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Hilbert–Schmidt independence criterion estimators. The unbiased one (Song et al. 2012) is
/// HSIC₁(K, L) = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)), K̃ = K with its diagonal zeroed;
/// it needs n ≥ 4 and equals the inner product of the U-centered Gram matrices divided by n(n−3).
/// </summary>
public static class Hsic
{
    /// <summary>Unbiased HSIC of two n×n Gram matrices (their diagonals are ignored).</summary>
    public static double Unbiased(DMatrix k, DMatrix l)
    {
        int n = k.Rows;
        if (k.Cols != n || l.Rows != n || l.Cols != n)
            throw new ShapeMismatchException("hsic", new[] { k.Rows, k.Cols }, new[] { l.Rows, l.Cols }, "Gram matrices must be square and of the same size");
        if (n < 4) throw new AtlasArgumentException("n", $"unbiased HSIC needs at least 4 samples, got {n}");
        double trace = 0, sumK = 0, sumL = 0, rowDot = 0;
        for (int i = 0; i < n; i++)
        {
            double rk = 0, rl = 0;
            int b = i * n;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double kv = k.Data[b + j], lv = l.Data[b + j];
                trace += kv * lv;
                rk += kv;
                rl += lv;
            }
            sumK += rk;
            sumL += rl;
            rowDot += rk * rl;
        }
        return (trace + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * rowDot) / (n * (n - 3.0));
    }

    /// <summary>
    /// Unbiased HSIC with linear kernels K = XXᵀ, L = YYᵀ, through whichever of the feature-space form (cost
    /// n·d1·d2) or the Gram form (cost n²·(d1+d2)) is cheaper. Inputs are centered internally (HSIC₁ is invariant to
    /// translation) for numerical stability. Returns (HSIC(K,L), HSIC(K,K), HSIC(L,L)).
    /// </summary>
    public static (double Xy, double Xx, double Yy) UnbiasedLinear(DMatrix x, DMatrix y)
    {
        int n = x.Rows;
        if (n < 4) throw new AtlasArgumentException("n", $"unbiased HSIC needs at least 4 samples, got {n}");
        var xc = Representation.Center(x);
        var yc = Representation.Center(y);
        double d1 = x.Cols, d2 = y.Cols;
        double featureCost = d1 * d2 + d1 * d1 + d2 * d2, gramCost = (double)n * (d1 + d2) + 3.0 * n;
        if (gramCost < featureCost)
        {
            var k = SymmetricGram.AAt(xc);
            var l = SymmetricGram.AAt(yc);
            return (Unbiased(k, l), Unbiased(k, k), Unbiased(l, l));
        }
        var rx = RowSquares(xc);
        var ry = RowSquares(yc);
        double nx = rx.Sum(), ny = ry.Sum();
        double hxy = Debias(Representation.FrobeniusSquaredOfProduct(xc, yc), rx, ry, nx, ny, n);
        double hxx = Debias(Representation.FrobeniusSquaredOfProduct(xc, xc), rx, rx, nx, nx, n);
        double hyy = Debias(Representation.FrobeniusSquaredOfProduct(yc, yc), ry, ry, ny, ny, n);
        return (hxy, hxx, hyy);
    }

    // For centered X: 1ᵀK̃1 = −‖X‖², K̃1 = −r (r = squared row norms), so the general formula collapses to this.
    private static double Debias(double frob, double[] rx, double[] ry, double nx, double ny, int n) =>
        (frob - n / (n - 2.0) * Representation.Dot(rx, ry) + nx * ny / ((n - 1.0) * (n - 2.0))) / (n * (n - 3.0));

    private static double[] RowSquares(DMatrix x)
    {
        var r = new double[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            double s = 0;
            foreach (double v in x.Row(i)) s += v * v;
            r[i] = s;
        }
        return r;
    }
}
