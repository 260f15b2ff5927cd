using System.Globalization;

namespace NeuralAtlas.Topology;

/// <summary>
/// C++ iostream's default float formatting (printf "%g" with 6 significant digits), so text output matches
/// Ripser's character for character: 6 significant digits, trailing zeros dropped, scientific notation when the
/// decimal exponent is below −4 or at least 6, exponent with sign and at least two digits.
/// </summary>
public static class CFloatFormat
{
    public static string G6(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        if (v == 0) return double.IsNegative(v) ? "-0" : "0";
        // "E5" rounds correctly to 6 significant digits; its exponent is the one %g decides with.
        string e = v.ToString("E5", CultureInfo.InvariantCulture); // -d.dddddE+ddd
        int ePos = e.IndexOf('E');
        int exp = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mant = e[..ePos];
        if (exp < -4 || exp >= 6)
        {
            mant = TrimZeros(mant);
            string sign = exp < 0 ? "-" : "+";
            int a = Math.Abs(exp);
            return mant + "e" + sign + (a < 10 ? "0" + a : a.ToString(CultureInfo.InvariantCulture));
        }
        string f = v.ToString("F" + (5 - exp).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return TrimZeros(f);
    }

    private static string TrimZeros(string s)
    {
        if (!s.Contains('.')) return s;
        s = s.TrimEnd('0');
        return s.EndsWith('.') ? s[..^1] : s;
    }
}
