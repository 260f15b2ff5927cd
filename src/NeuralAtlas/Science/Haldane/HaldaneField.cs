namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// F, G and their first partial derivatives sampled on the N×N grid x_i = 2πi/N, y_j = 2πj/N (row-major, index
/// i·N + j, so axis 0 is x). Derivatives are exact (differentiated term by term), which is what the Chern–Weil
/// integral needs; the lattice method only uses the values.
/// </summary>
public sealed class HaldaneField
{
    public int N { get; }
    public HaldanePair Pair { get; }
    public double[] FRe { get; }
    public double[] FIm { get; }
    public double[] G { get; }
    public double[] FxRe { get; }
    public double[] FxIm { get; }
    public double[] FyRe { get; }
    public double[] FyIm { get; }
    public double[] Gx { get; }
    public double[] Gy { get; }

    private HaldaneField(HaldanePair pair, int n)
    {
        Pair = pair;
        N = n;
        int m = n * n;
        FRe = new double[m]; FIm = new double[m]; G = new double[m];
        FxRe = new double[m]; FxIm = new double[m]; FyRe = new double[m]; FyIm = new double[m];
        Gx = new double[m]; Gy = new double[m];
    }

    /// <summary>Samples the pair on an n×n grid (n ≥ 1).</summary>
    public static HaldaneField Sample(HaldanePair pair, int n)
    {
        if (n < 1) throw new AtlasArgumentException("grid", $"must be at least 1, got {n}");
        var f = new HaldaneField(pair, n);
        var (cos, sin) = Tables(n);
        int K = HaldanePair.MaxFrequency;
        var ft = pair.FTerms();
        var gt = pair.GTerms();
        int nf = ft.Length, ng = gt.Length;
        // Per row i, each term's x-factor c·e^{i kx x_i}; the inner loop over j keeps the nine sums in registers
        // and writes each output once.
        Span<double> far = stackalloc double[nf], fai = stackalloc double[nf];
        Span<double> gar = stackalloc double[ng], gai = stackalloc double[ng];
        var fky = new double[nf][][];
        var fkx = new double[nf];
        var fkyv = new double[nf];
        for (int t = 0; t < nf; t++) { fky[t] = [cos[ft[t].Ky + K], sin[ft[t].Ky + K]]; fkx[t] = ft[t].Kx; fkyv[t] = ft[t].Ky; }
        var gky = new double[ng][][];
        var gkx = new double[ng];
        var gkyv = new double[ng];
        for (int t = 0; t < ng; t++) { gky[t] = [cos[gt[t].Ky + K], sin[gt[t].Ky + K]]; gkx[t] = gt[t].Kx; gkyv[t] = gt[t].Ky; }
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < nf; t++)
            {
                double cx = cos[ft[t].Kx + K][i], sx = sin[ft[t].Kx + K][i];
                far[t] = ft[t].Re * cx - ft[t].Im * sx;
                fai[t] = ft[t].Re * sx + ft[t].Im * cx;
            }
            for (int t = 0; t < ng; t++)
            {
                gar[t] = gt[t].A * cos[gt[t].Kx + K][i];
                gai[t] = gt[t].A * sin[gt[t].Kx + K][i];
            }
            int row = i * n;
            for (int j = 0; j < n; j++)
            {
                double fr = 0, fi = 0, fxr = 0, fxi = 0, fyr = 0, fyi = 0, g = 0, gx = 0, gy = 0;
                for (int t = 0; t < nf; t++)
                {
                    double cy = fky[t][0][j], sy = fky[t][1][j];
                    double tr = far[t] * cy - fai[t] * sy, ti = far[t] * sy + fai[t] * cy;
                    fr += tr; fi += ti;
                    fxr -= fkx[t] * ti; fxi += fkx[t] * tr;
                    fyr -= fkyv[t] * ti; fyi += fkyv[t] * tr;
                }
                for (int t = 0; t < ng; t++)
                {
                    double cy = gky[t][0][j], sy = gky[t][1][j];
                    // a·cas(φ) with a·e^{iφ} = (gar + i gai)(cy + i sy)
                    double c = gar[t] * cy - gai[t] * sy, s = gar[t] * sy + gai[t] * cy;
                    g += c + s;
                    double d = c - s;
                    gx += gkx[t] * d;
                    gy += gkyv[t] * d;
                }
                int p = row + j;
                f.FRe[p] = fr; f.FIm[p] = fi; f.FxRe[p] = fxr; f.FxIm[p] = fxi; f.FyRe[p] = fyr; f.FyIm[p] = fyi;
                f.G[p] = g; f.Gx[p] = gx; f.Gy[p] = gy;
            }
        }
        return f;
    }

    /// <summary>The section (R, Re F, Im F) with R = G + √(G² + |F|²), unnormalised, as the data set stores it.</summary>
    public void Section(Span<float> r, Span<float> fRe, Span<float> fIm)
    {
        for (int p = 0; p < G.Length; p++)
        {
            double e = Math.Sqrt(G[p] * G[p] + FRe[p] * FRe[p] + FIm[p] * FIm[p]);
            r[p] = (float)(G[p] + e);
            fRe[p] = (float)FRe[p];
            fIm[p] = (float)FIm[p];
        }
    }

    /// <summary>F, G and their derivatives at one point (x, y), for adaptive refinement between grid points.</summary>
    public static void EvaluateAt((int Kx, int Ky, double Re, double Im)[] fTerms, (int Kx, int Ky, double A)[] gTerms, double x, double y, Span<double> v)
    {
        int K = HaldanePair.MaxFrequency;
        // e^{ikx}, e^{iky} for k = −4…4 by repeated multiplication from one sincos each.
        Span<double> cxr = stackalloc double[2 * K + 1], cxi = stackalloc double[2 * K + 1];
        Span<double> cyr = stackalloc double[2 * K + 1], cyi = stackalloc double[2 * K + 1];
        Powers(x, cxr, cxi);
        Powers(y, cyr, cyi);
        double fr = 0, fi = 0, fxr = 0, fxi = 0, fyr = 0, fyi = 0, g = 0, gx = 0, gy = 0;
        foreach (var (kx, ky, re, im) in fTerms)
        {
            double er = cxr[kx + K] * cyr[ky + K] - cxi[kx + K] * cyi[ky + K], ei = cxr[kx + K] * cyi[ky + K] + cxi[kx + K] * cyr[ky + K];
            double tr = re * er - im * ei, ti = re * ei + im * er;
            fr += tr; fi += ti;
            fxr -= kx * ti; fxi += kx * tr;
            fyr -= ky * ti; fyi += ky * tr;
        }
        foreach (var (kx, ky, a) in gTerms)
        {
            double c = cxr[kx + K] * cyr[ky + K] - cxi[kx + K] * cyi[ky + K], s = cxr[kx + K] * cyi[ky + K] + cxi[kx + K] * cyr[ky + K];
            g += a * (c + s);
            double d = a * (c - s);
            gx += kx * d;
            gy += ky * d;
        }
        v[0] = fr; v[1] = fi; v[2] = g; v[3] = fxr; v[4] = fxi; v[5] = fyr; v[6] = fyi; v[7] = gx; v[8] = gy;
    }

    private static void Powers(double t, Span<double> re, Span<double> im)
    {
        int K = HaldanePair.MaxFrequency;
        var (s, c) = Math.SinCos(t);
        re[K] = 1; im[K] = 0;
        for (int k = 1; k <= K; k++)
        {
            re[K + k] = re[K + k - 1] * c - im[K + k - 1] * s;
            im[K + k] = re[K + k - 1] * s + im[K + k - 1] * c;
            re[K - k] = re[K + k];
            im[K - k] = -im[K + k];
        }
    }

    private static readonly Dictionary<int, (double[][], double[][])> _tables = new();

    private static (double[][] Cos, double[][] Sin) Tables(int n)
    {
        lock (_tables)
        {
            if (_tables.TryGetValue(n, out var t)) return t;
            int side = HaldanePair.Side, K = HaldanePair.MaxFrequency;
            var c = new double[side][];
            var s = new double[side][];
            for (int k = -K; k <= K; k++)
            {
                c[k + K] = new double[n];
                s[k + K] = new double[n];
                for (int i = 0; i < n; i++)
                {
                    // Reduce k·i mod n first so the angle is exact to the last bit on every machine.
                    long r = ((long)k * i % n + n) % n;
                    double ang = 2 * Math.PI * r / n;
                    c[k + K][i] = Math.Cos(ang);
                    s[k + K][i] = Math.Sin(ang);
                }
            }
            if (_tables.Count < 64) _tables[n] = (c, s);
            return (c, s);
        }
    }
}
