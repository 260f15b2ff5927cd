namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// A Haldane pair (G, F) of trigonometric polynomials on the torus T² = [0, 2π)², with Fourier indices k = (kx, ky)
/// in −K…K (K = <see cref="MaxFrequency"/> = 4, so every coefficient array is 9×9, row = kx + 4, column = ky + 4):
/// <code>
///   F(x, y) = Σ_k f_k · exp(i (kx x + ky y))            (f_k complex)
///   G(x, y) = Σ_k g_k · cas(kx x + ky y),  cas t = cos t + sin t   (g_k real)
/// </code>
/// The Hartley ("cas") basis makes a real 9×9 array describe every real trigonometric polynomial on the box
/// exactly once (a·cos(k·θ) is g_k = g_{−k} = a/2; b·sin(k·θ) is g_k = b/2, g_{−k} = −b/2), so <c>g_coeffs</c> is a
/// plain real 9×9 array. The pair defines a line bundle on T² where F and G have no common zero: the upper
/// eigenline of the 2×2 Hermitian matrix [[G, F̄], [F, −G]], spanned by the section (R, F), R = G + √(G² + |F|²).
/// </summary>
public sealed class HaldanePair
{
    public const int MaxFrequency = 4;
    public const int Side = 2 * MaxFrequency + 1;

    /// <summary>Real parts of f_k, 9×9 row-major (kx + 4, ky + 4).</summary>
    public double[] FReal { get; }
    /// <summary>Imaginary parts of f_k, 9×9 row-major.</summary>
    public double[] FImag { get; }
    /// <summary>Hartley coefficients g_k of G, 9×9 row-major.</summary>
    public double[] G { get; }

    public HaldanePair(double[] fReal, double[] fImag, double[] g)
    {
        Check(fReal, nameof(fReal));
        Check(fImag, nameof(fImag));
        Check(g, nameof(g));
        FReal = (double[])fReal.Clone();
        FImag = (double[])fImag.Clone();
        G = (double[])g.Clone();
    }

    private static void Check(double[] a, string name)
    {
        if (a is null || a.Length != Side * Side)
            throw new AtlasArgumentException(name, $"expected {Side}×{Side} = {Side * Side} Fourier coefficients (indices −{MaxFrequency}…{MaxFrequency}), got {a?.Length ?? 0}");
        for (int i = 0; i < a.Length; i++)
            if (!double.IsFinite(a[i])) throw new AtlasArgumentException(name, $"coefficient {i} is {a[i]}, expected a finite number");
    }

    public static int Index(int kx, int ky)
    {
        if (Math.Abs(kx) > MaxFrequency || Math.Abs(ky) > MaxFrequency)
            throw new AtlasArgumentException("k", $"frequency ({kx}, {ky}) is outside −{MaxFrequency}…{MaxFrequency}");
        return (kx + MaxFrequency) * Side + ky + MaxFrequency;
    }

    /// <summary>Builds a pair term by term (F in the exponential basis, G as cosine and sine terms).</summary>
    public sealed class Builder
    {
        private readonly double[] _fr = new double[Side * Side], _fi = new double[Side * Side], _g = new double[Side * Side];

        /// <summary>Adds (re + i·im)·exp(i(kx x + ky y)) to F.</summary>
        public Builder F(int kx, int ky, double re, double im = 0)
        {
            int i = Index(kx, ky);
            _fr[i] += re;
            _fi[i] += im;
            return this;
        }

        /// <summary>Adds a·cas(kx x + ky y) to G.</summary>
        public Builder Cas(int kx, int ky, double a)
        {
            _g[Index(kx, ky)] += a;
            return this;
        }

        /// <summary>Adds a·cos(kx x + ky y) to G.</summary>
        public Builder Cos(int kx, int ky, double a)
        {
            if (kx == 0 && ky == 0) { _g[Index(0, 0)] += a; return this; }
            _g[Index(kx, ky)] += a / 2;
            _g[Index(-kx, -ky)] += a / 2;
            return this;
        }

        /// <summary>Adds b·sin(kx x + ky y) to G.</summary>
        public Builder Sin(int kx, int ky, double b)
        {
            if (kx == 0 && ky == 0) return this;
            _g[Index(kx, ky)] += b / 2;
            _g[Index(-kx, -ky)] -= b / 2;
            return this;
        }

        public HaldanePair Build() => new(_fr, _fi, _g);
    }

    /// <summary>
    /// F = sin x + i sin y, G = m + cos x + cos y: the Qi–Wu–Zhang two-band model, whose upper eigenline has
    /// Chern number +sign(m) for 0 &lt; |m| &lt; 2 and 0 for |m| &gt; 2 in the convention of <see cref="ChernNumber"/>
    /// (the map (sin x, sin y, m + cos x + cos y)/‖·‖ : T² → S² has degree −sign(m)).
    /// </summary>
    public static HaldanePair Qwz(double m) => new Builder()
        .F(1, 0, 0, -0.5).F(-1, 0, 0, 0.5)      // sin x = (e^{ix} − e^{−ix}) / 2i
        .F(0, 1, 0.5).F(0, -1, -0.5)            // i sin y = (e^{iy} − e^{−iy}) / 2
        .Cos(0, 0, m).Cos(1, 0, 1).Cos(0, 1, 1)
        .Build();

    /// <summary>Nonzero terms of F as (kx, ky, re, im), the form evaluation loops over.</summary>
    internal (int Kx, int Ky, double Re, double Im)[] FTerms()
    {
        var list = new List<(int, int, double, double)>();
        for (int a = 0; a < Side; a++)
            for (int b = 0; b < Side; b++)
            {
                int i = a * Side + b;
                if (FReal[i] != 0 || FImag[i] != 0) list.Add((a - MaxFrequency, b - MaxFrequency, FReal[i], FImag[i]));
            }
        return list.ToArray();
    }

    internal (int Kx, int Ky, double A)[] GTerms()
    {
        var list = new List<(int, int, double)>();
        for (int a = 0; a < Side; a++)
            for (int b = 0; b < Side; b++)
            {
                int i = a * Side + b;
                if (G[i] != 0) list.Add((a - MaxFrequency, b - MaxFrequency, G[i]));
            }
        return list.ToArray();
    }
}
