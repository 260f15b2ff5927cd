namespace NeuralAtlas.Robustness.Attacks;

/// <summary>The ℓp norms attacks are bounded in, with their dual exponent q (1/p + 1/q = 1) and ball projections.</summary>
public enum LpNorm { Inf, L2, L1 }

public static class LpNorms
{
    public static LpNorm Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "inf" or "linf" or "l-inf" or "infinity" => LpNorm.Inf,
        "2" or "l2" => LpNorm.L2,
        "1" or "l1" => LpNorm.L1,
        _ => throw new AtlasArgumentException("norm", $"'{s}' is not one of inf, 2, 1"),
    };

    public static string Name(this LpNorm p) => p switch { LpNorm.Inf => "inf", LpNorm.L2 => "2", _ => "1" };

    /// <summary>p as a number (∞ for <see cref="LpNorm.Inf"/>).</summary>
    public static double P(this LpNorm p) => p switch { LpNorm.Inf => double.PositiveInfinity, LpNorm.L2 => 2, _ => 1 };

    /// <summary>The dual exponent q with 1/p + 1/q = 1.</summary>
    public static double DualQ(this LpNorm p) => p switch { LpNorm.Inf => 1, LpNorm.L2 => 2, _ => double.PositiveInfinity };

    public static double Norm(ReadOnlySpan<float> v, LpNorm p)
    {
        double s = 0;
        switch (p)
        {
            case LpNorm.Inf: foreach (float x in v) s = Math.Max(s, Math.Abs(x)); return s;
            case LpNorm.L2: foreach (float x in v) s += (double)x * x; return Math.Sqrt(s);
            default: foreach (float x in v) s += Math.Abs(x); return s;
        }
    }

    /// <summary>q-norm of a double vector for any q ≥ 1 (including ∞).</summary>
    public static double Norm(ReadOnlySpan<double> v, double q)
    {
        if (double.IsPositiveInfinity(q)) { double m = 0; foreach (double x in v) m = Math.Max(m, Math.Abs(x)); return m; }
        double s = 0;
        foreach (double x in v) s += Math.Pow(Math.Abs(x), q);
        return Math.Pow(s, 1 / q);
    }

    /// <summary>Euclidean projection onto the ℓp ball of radius ε, in place.</summary>
    public static void ProjectBall(Span<float> v, LpNorm p, double eps)
    {
        switch (p)
        {
            case LpNorm.Inf:
                for (int i = 0; i < v.Length; i++) v[i] = (float)Math.Clamp(v[i], -eps, eps);
                break;
            case LpNorm.L2:
                double n = Norm(v, LpNorm.L2);
                if (n > eps) { float s = (float)(eps / n); for (int i = 0; i < v.Length; i++) v[i] *= s; }
                break;
            default:
                ProjectL1(v, eps);
                break;
        }
    }

    /// <summary>Projection onto the ℓ1 ball by soft-thresholding at the level found by sorting (Duchi et al. 2008).</summary>
    private static void ProjectL1(Span<float> v, double eps)
    {
        if (Norm(v, LpNorm.L1) <= eps) return;
        var a = new double[v.Length];
        for (int i = 0; i < v.Length; i++) a[i] = Math.Abs(v[i]);
        Array.Sort(a);
        Array.Reverse(a);
        double cum = 0, theta = 0;
        for (int i = 0; i < a.Length; i++)
        {
            cum += a[i];
            double t = (cum - eps) / (i + 1);
            if (a[i] - t > 0) theta = t; else break;
        }
        for (int i = 0; i < v.Length; i++)
            v[i] = (float)(Math.Sign(v[i]) * Math.Max(Math.Abs(v[i]) - theta, 0));
        // Rounding to float can leave the norm a hair above ε; shrink by the excess so membership is exact.
        double n = Norm(v, LpNorm.L1);
        if (n > eps) { float s = (float)(eps / n * (1 - 1e-7)); for (int i = 0; i < v.Length; i++) v[i] *= s; }
    }
}
