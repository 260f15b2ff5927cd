namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// Eigenvalues (no vectors) of a small Hermitian matrix, managed: Householder reduction to a real symmetric
/// tridiagonal matrix, then implicit QL with Wilkinson-type shifts (bisection on Sturm counts if QL stalls). The convolution spectrum needs thousands of these
/// (one per frequency) of size ≤ a few hundred, where calling LAPACK with vectors and copies would dominate.
/// </summary>
public static class HermitianEigenvalues
{
    /// <summary>Eigenvalues ascending of the m×m Hermitian matrix re + i·im (row-major; both arrays are overwritten).</summary>
    public static double[] Compute(double[] re, double[] im, int m)
    {
        var d = new double[m];
        var e = new double[Math.Max(m - 1, 0)];
        Tridiagonalise(re, im, m, d, e);
        return ImplicitQl(d, e) ?? TridiagonalEigenvalues(d, e);
    }

    /// <summary>
    /// Reflects column k below the diagonal onto a multiple of e₁ for k = 0..m−3 with H = I − 2vvᴴ, updating the trailing
    /// block as A ← A − 2vwᴴ − 2wvᴴ + 4(vᴴw)vvᴴ, w = Av. Only the moduli of the resulting subdiagonal matter: a diagonal
    /// unitary similarity makes it real without changing eigenvalues.
    /// </summary>
    internal static void Tridiagonalise(double[] re, double[] im, int m, double[] d, double[] e)
    {
        var vr = new double[m];
        var vi = new double[m];
        var wr = new double[m];
        var wi = new double[m];
        for (int k = 0; k < m - 2; k++)
        {
            int s = k + 1;
            double norm2 = 0;
            for (int i = s; i < m; i++) norm2 += re[i * m + k] * re[i * m + k] + im[i * m + k] * im[i * m + k];
            double norm = Math.Sqrt(norm2);
            double x0r = re[s * m + k], x0i = im[s * m + k];
            double x0abs = Math.Sqrt(x0r * x0r + x0i * x0i);
            double tail2 = norm2 - x0abs * x0abs;
            if (norm == 0 || tail2 <= 1e-300 * Math.Max(norm2, 1e-300))
            {
                e[k] = x0abs;
                continue;
            }
            // alpha = −e^{i arg x0}‖x‖ avoids cancellation in v0 = x0 − alpha.
            double pr = x0abs == 0 ? 1 : x0r / x0abs, pi = x0abs == 0 ? 0 : x0i / x0abs;
            double ar = -pr * norm, ai = -pi * norm;
            for (int i = s; i < m; i++) { vr[i] = re[i * m + k]; vi[i] = im[i * m + k]; }
            vr[s] -= ar;
            vi[s] -= ai;
            double vn = 0;
            for (int i = s; i < m; i++) vn += vr[i] * vr[i] + vi[i] * vi[i];
            vn = 1 / Math.Sqrt(vn);
            for (int i = s; i < m; i++) { vr[i] *= vn; vi[i] *= vn; }
            // w = A22 v
            double cr = 0;
            for (int i = s; i < m; i++)
            {
                double sr = 0, si = 0;
                int row = i * m;
                for (int j = s; j < m; j++)
                {
                    double a = re[row + j], b = im[row + j];
                    sr += a * vr[j] - b * vi[j];
                    si += a * vi[j] + b * vr[j];
                }
                wr[i] = sr;
                wi[i] = si;
                cr += vr[i] * sr + vi[i] * si; // Re(vᴴw); vᴴAv is real for Hermitian A
            }
            // A22 ← A22 − 2 v wᴴ − 2 w vᴴ + 4c v vᴴ  =  A22 − v zᴴ − z vᴴ with z = 2w − 2c v.
            for (int i = s; i < m; i++) { wr[i] = 2 * wr[i] - 2 * cr * vr[i]; wi[i] = 2 * wi[i] - 2 * cr * vi[i]; }
            for (int i = s; i < m; i++)
            {
                int row = i * m;
                double a1r = vr[i], a1i = vi[i], b1r = wr[i], b1i = wi[i];
                for (int j = s; j < m; j++)
                {
                    // v_i conj(z_j) + z_i conj(v_j)
                    re[row + j] -= a1r * wr[j] + a1i * wi[j] + b1r * vr[j] + b1i * vi[j];
                    im[row + j] -= a1i * wr[j] - a1r * wi[j] + b1i * vr[j] - b1r * vi[j];
                }
            }
            e[k] = norm;
        }
        for (int i = 0; i < m; i++) d[i] = re[i * m + i];
        if (m >= 2)
        {
            double r = re[(m - 1) * m + m - 2], c = im[(m - 1) * m + m - 2];
            e[m - 2] = Math.Sqrt(r * r + c * c);
        }
    }

    /// <summary>
    /// Eigenvalues ascending of a symmetric tridiagonal matrix by implicit QL sweeps (plane rotations chased from the
    /// bottom of each unreduced block to its top, shift from the top 2×2); null if some eigenvalue needs > 60 sweeps.
    /// </summary>
    public static double[]? ImplicitQl(double[] diag, double[] off)
    {
        int m = diag.Length;
        var d = (double[])diag.Clone();
        var e = new double[m];
        Array.Copy(off, e, Math.Min(off.Length, Math.Max(m - 1, 0)));
        for (int l = 0; l < m; l++)
        {
            int iter = 0;
            while (true)
            {
                int mm = l;
                for (; mm < m - 1; mm++)
                {
                    double dd = Math.Abs(d[mm]) + Math.Abs(d[mm + 1]);
                    if (Math.Abs(e[mm]) <= 1.1102230246251565e-16 * dd) break;
                }
                if (mm == l) break;
                if (++iter > 60) return null;
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[mm] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double sn = 1, cs = 1, p = 0;
                int i = mm - 1;
                bool underflow = false;
                for (; i >= l; i--)
                {
                    double f = sn * e[i], b = cs * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[mm] = 0;
                        underflow = true;
                        break;
                    }
                    sn = f / r;
                    cs = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * sn + 2 * cs * b;
                    p = sn * r;
                    d[i + 1] = g + p;
                    g = cs * r - b;
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[mm] = 0;
            }
        }
        Array.Sort(d);
        return d;
    }

    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        if (a < b) (a, b) = (b, a);
        if (a == 0) return 0;
        double t = b / a;
        return a * Math.Sqrt(1 + t * t);
    }

    /// <summary>Eigenvalues ascending of the symmetric tridiagonal matrix (diagonal d, off-diagonal e), by bisection.</summary>
    public static double[] TridiagonalEigenvalues(double[] d, double[] e)
    {
        int m = d.Length;
        var result = new double[m];
        if (m == 0) return result;
        double lo = double.MaxValue, hi = double.MinValue, scale = 0;
        for (int i = 0; i < m; i++)
        {
            double r = (i > 0 ? Math.Abs(e[i - 1]) : 0) + (i < m - 1 ? Math.Abs(e[i]) : 0);
            lo = Math.Min(lo, d[i] - r);
            hi = Math.Max(hi, d[i] + r);
            scale = Math.Max(scale, Math.Abs(d[i]) + r);
        }
        if (scale == 0) return result;
        var e2 = new double[Math.Max(m - 1, 0)];
        for (int i = 0; i < m - 1; i++) e2[i] = e[i] * e[i];
        double maxE2 = e2.Length == 0 ? 0 : e2.Max();
        double pivMin = 1e-300 * Math.Max(1, maxE2);
        double tol = 2.5 * 1.1102230246251565e-16 * scale; // a few ulps of the spectral radius
        double left = lo - tol, right = hi + tol;
        for (int j = 0; j < m; j++)
        {
            double a = j == 0 ? left : Math.Max(left, result[j - 1]), b = right;
            for (int it = 0; it < 200 && b - a > tol; it++)
            {
                double mid = 0.5 * (a + b);
                if (CountBelow(d, e2, mid, pivMin) > j) b = mid; else a = mid;
            }
            result[j] = 0.5 * (a + b);
        }
        return result;
    }

    /// <summary>The number of eigenvalues below x: negative pivots of the LDLᵀ factorisation of T − xI (Sylvester).</summary>
    private static int CountBelow(double[] d, double[] e2, double x, double pivMin)
    {
        int count = 0;
        double q = d[0] - x;
        if (Math.Abs(q) < pivMin) q = -pivMin;
        if (q < 0) count++;
        for (int i = 1; i < d.Length; i++)
        {
            q = d[i] - x - e2[i - 1] / q;
            if (Math.Abs(q) < pivMin) q = -pivMin;
            if (q < 0) count++;
        }
        return count;
    }
}
