using System.Collections.Concurrent;

namespace NeuralAtlas.Tensors;

/// <summary>
/// An unnormalised forward DFT of one length, in double precision: iterative radix-2 for powers of two, and
/// Bluestein's chirp-z algorithm (a power-of-two circular convolution) for every other length, so any length
/// costs O(n log n). Inverse transforms conjugate in and out. Plans are cached per length and are thread-safe.
/// </summary>
internal sealed class FftPlan
{
    private static readonly ConcurrentDictionary<int, FftPlan> Cache = new();

    private readonly int _n;
    private readonly double[]? _cos, _sin;          // radix-2 twiddles e^{-2πik/n}, k < n/2
    private readonly int[]? _rev;                   // bit reversal permutation
    private readonly FftPlan? _inner;               // Bluestein: the power-of-two plan of length m
    private readonly double[]? _wRe, _wIm;          // chirp e^{-iπk²/n}
    private readonly double[]? _bRe, _bIm;          // FFT of the conjugate chirp, wrapped to length m

    public static FftPlan For(int n) => Cache.GetOrAdd(n, len => new FftPlan(len));

    private FftPlan(int n)
    {
        _n = n;
        if (n <= 1) return;
        if ((n & (n - 1)) == 0)
        {
            _cos = new double[n / 2];
            _sin = new double[n / 2];
            for (int k = 0; k < n / 2; k++) { double a = -2 * Math.PI * k / n; _cos[k] = Math.Cos(a); _sin[k] = Math.Sin(a); }
            _rev = new int[n];
            int bits = System.Numerics.BitOperations.Log2((uint)n);
            for (int i = 0; i < n; i++)
            {
                int r = 0;
                for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
                _rev[i] = r;
            }
            return;
        }
        int m = 1;
        while (m < 2 * n - 1) m <<= 1;
        _inner = For(m);
        _wRe = new double[n]; _wIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            long k2 = (long)k * k % (2L * n); // keeps the angle exact for large k
            double a = -Math.PI * k2 / n;
            _wRe[k] = Math.Cos(a); _wIm[k] = Math.Sin(a);
        }
        _bRe = new double[m]; _bIm = new double[m];
        for (int k = 0; k < n; k++)
        {
            _bRe[k] = _wRe[k]; _bIm[k] = -_wIm[k];
            if (k > 0) { _bRe[m - k] = _wRe[k]; _bIm[m - k] = -_wIm[k]; }
        }
        _inner.Forward(_bRe, _bIm);
    }

    /// <summary>In place: X_k = Σ_j x_j e^{−2πijk/n}.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        int n = _n;
        if (n <= 1) return;
        if (_rev is not null)
        {
            for (int i = 0; i < n; i++)
            {
                int j = _rev[i];
                if (j > i) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
            }
            for (int size = 2; size <= n; size <<= 1)
            {
                int half = size >> 1, step = n / size;
                for (int start = 0; start < n; start += size)
                    for (int k = 0; k < half; k++)
                    {
                        double wr = _cos![k * step], wi = _sin![k * step];
                        int p = start + k, q = p + half;
                        double tr = re[q] * wr - im[q] * wi, ti = re[q] * wi + im[q] * wr;
                        re[q] = re[p] - tr; im[q] = im[p] - ti;
                        re[p] += tr; im[p] += ti;
                    }
            }
            return;
        }
        int m = _bRe!.Length;
        var ar = new double[m];
        var ai = new double[m];
        for (int k = 0; k < n; k++)
        {
            ar[k] = re[k] * _wRe![k] - im[k] * _wIm![k];
            ai[k] = re[k] * _wIm[k] + im[k] * _wRe[k];
        }
        _inner!.Forward(ar, ai);
        for (int k = 0; k < m; k++)
        {
            double r = ar[k] * _bRe[k] - ai[k] * _bIm![k], i = ar[k] * _bIm[k] + ai[k] * _bRe[k];
            ar[k] = r; ai[k] = -i; // conjugate: inverse FFT via the forward one
        }
        _inner.Forward(ar, ai);
        for (int k = 0; k < n; k++)
        {
            double cr = ar[k] / m, ci = -ai[k] / m;
            re[k] = cr * _wRe![k] - ci * _wIm![k];
            im[k] = cr * _wIm[k] + ci * _wRe[k];
        }
    }

    /// <summary>In place, unnormalised: x_j = Σ_k X_k e^{+2πijk/n}.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        for (int i = 0; i < im.Length; i++) im[i] = -im[i];
        Forward(re, im);
        for (int i = 0; i < im.Length; i++) im[i] = -im[i];
    }
}
