using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>Numerical checks of σ(Ax) = Bσ(x) on random inputs x ~ N(0, scale²·I).</summary>
public static class IntertwinerCheck
{
    /// <summary>max over samples and coordinates of |σ(Ax) − Bσ(x)|.</summary>
    public static double MaxResidual(Activation sigma, DMatrix a, DMatrix b, int samples, Rng rng, double scale = 2)
    {
        int n = a.Rows;
        double worst = 0;
        var x = new double[n];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < n; i++) x[i] = scale * rng.Normal();
            var lhs = sigma.Apply(MatVec(a, x));
            var rhs = MatVec(b, sigma.Apply(x));
            for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(lhs[i] - rhs[i]));
        }
        return worst;
    }

    /// <summary>
    /// How far A is from intertwining σ for every possible B: the relative least-squares residual
    /// min_B ‖σ(AX) − Bσ(X)‖_F / ‖σ(AX)‖_F over a random sample X. Zero (to rounding) for members of G_σ;
    /// clearly positive when no linear B exists.
    /// </summary>
    public static double BestLinearResidual(Activation sigma, DMatrix a, int samples, Rng rng, double scale = 2)
    {
        int n = a.Rows;
        if (samples < 4 * n) throw new AtlasArgumentException("samples", $"need at least 4n = {4 * n} samples for a least-squares B, got {samples}");
        var s = new DMatrix(samples, n);   // rows σ(x)ᵀ
        var y = new DMatrix(samples, n);   // rows σ(Ax)ᵀ
        var x = new double[n];
        for (int k = 0; k < samples; k++)
        {
            for (int i = 0; i < n; i++) x[i] = scale * rng.Normal();
            sigma.Apply(x).CopyTo(s.Row(k));
            sigma.Apply(MatVec(a, x)).CopyTo(y.Row(k));
        }
        // Least squares Y ≈ S Bᵀ: project Y on the column space of S via the thin SVD of S.
        var svd = Decompositions.ThinSvd(s);
        double tol = 1e-12 * (svd.S.Length == 0 ? 0 : svd.S[0]);
        double res = 0, norm = 0;
        var coef = new double[svd.S.Length];
        for (int c = 0; c < n; c++)
        {
            for (int r = 0; r < svd.S.Length; r++)
            {
                double d = 0;
                if (svd.S[r] > tol)
                    for (int k = 0; k < samples; k++) d += svd.U[k, r] * y[k, c];
                coef[r] = d;
            }
            for (int k = 0; k < samples; k++)
            {
                double fit = 0;
                for (int r = 0; r < svd.S.Length; r++) fit += svd.U[k, r] * coef[r];
                double e = y[k, c] - fit;
                res += e * e;
                norm += y[k, c] * y[k, c];
            }
        }
        return norm == 0 ? 0 : Math.Sqrt(res / norm);
    }

    internal static double[] MatVec(DMatrix a, ReadOnlySpan<double> x)
    {
        var y = new double[a.Rows];
        for (int i = 0; i < a.Rows; i++)
        {
            double s = 0;
            for (int j = 0; j < a.Cols; j++) s += a[i, j] * x[j];
            y[i] = s;
        }
        return y;
    }
}
