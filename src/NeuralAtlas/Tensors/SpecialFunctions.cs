namespace NeuralAtlas.Tensors;

/// <summary>Scalar special functions .NET lacks, accurate to double precision (the float kernels round once).</summary>
public static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>The error function erf(x).</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            // Maclaurin series: alternating but at |x| < 2.5 the cancellation costs at most ~3 of double's 16 digits.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 80; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return TwoOverSqrtPi * sum;
        }
        double r = 1 - Erfc(ax);
        return x < 0 ? -r : r;
    }

    /// <summary>The complementary error function 1 − erf(x), accurate in the tail.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 2.5) return 1 - Erf(x);
        if (x > 27) return 0;
        // Continued fraction erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up;
        // for x ≥ 2.5 sixty levels converge far below double rounding.
        double f = x;
        for (int k = 60; k >= 1; k--) f = x + (k * 0.5) / f;
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
