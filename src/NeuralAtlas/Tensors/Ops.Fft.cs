namespace NeuralAtlas.Tensors;

/// <summary>Normalisation of the FFTs, as torch.fft's norm argument.</summary>
public enum FftNorm
{
    /// <summary>Forward unscaled, inverse scaled by 1/n (torch's default).</summary>
    Backward,
    /// <summary>Both directions scaled by 1/√n (unitary).</summary>
    Ortho,
    /// <summary>Forward scaled by 1/n, inverse unscaled.</summary>
    Forward,
}

/// <summary>
/// Discrete Fourier transforms with torch.fft's semantics. A complex tensor is a float tensor whose last
/// dimension has size 2 (real, imaginary), like torch.view_as_real; <c>dim</c> arguments of the complex
/// transforms count only the other ("logical") dimensions. Computed in double precision for any length (radix-2,
/// or Bluestein for other lengths), rounded to float once.
/// </summary>
public static partial class Ops
{
    /// <summary>A complex tensor [..., 2] from real and (optional) imaginary parts of the same shape.</summary>
    public static Tensor ToComplex(Tensor re, Tensor? im = null)
    {
        if (im is not null && !re.SameShape(im)) throw new ShapeMismatchException("complex", re.Shape, im.Shape);
        var res = new Tensor(re.Shape.Append(2).ToArray());
        for (int i = 0; i < re.Numel; i++) { res.Data[2 * i] = re.Data[i]; res.Data[2 * i + 1] = im?.Data[i] ?? 0; }
        return res;
    }

    /// <summary>Real part of a complex tensor [..., 2].</summary>
    public static Tensor Real(Tensor z) => ComplexPart(z, 0, "real");

    /// <summary>Imaginary part of a complex tensor [..., 2].</summary>
    public static Tensor Imag(Tensor z) => ComplexPart(z, 1, "imag");

    /// <summary>|z| of a complex tensor [..., 2].</summary>
    public static Tensor ComplexAbs(Tensor z)
    {
        CheckComplex("complex_abs", z);
        var res = new Tensor(z.Shape[..^1]);
        for (int i = 0; i < res.Numel; i++) res.Data[i] = (float)Math.Sqrt((double)z.Data[2 * i] * z.Data[2 * i] + (double)z.Data[2 * i + 1] * z.Data[2 * i + 1]);
        return res;
    }

    private static Tensor ComplexPart(Tensor z, int part, string op)
    {
        CheckComplex(op, z);
        var res = new Tensor(z.Shape[..^1]);
        for (int i = 0; i < res.Numel; i++) res.Data[i] = z.Data[2 * i + part];
        return res;
    }

    private static void CheckComplex(string op, Tensor z)
    {
        if (z.Rank < 1 || z.Shape[^1] != 2)
            throw new ShapeMismatchException(op, $"a complex tensor needs a last dimension of size 2 (real, imaginary), got {ShapeMismatchException.Format(z.Shape)}");
    }

    /// <summary>torch.fft.fft of a complex tensor along logical dimension <paramref name="dim"/>; n pads or trims.</summary>
    public static Tensor Fft(Tensor z, int? n = null, int dim = -1, FftNorm norm = FftNorm.Backward)
        => ComplexTransform("fft", z, n, dim, norm, inverse: false);

    /// <summary>torch.fft.ifft of a complex tensor.</summary>
    public static Tensor Ifft(Tensor z, int? n = null, int dim = -1, FftNorm norm = FftNorm.Backward)
        => ComplexTransform("ifft", z, n, dim, norm, inverse: true);

    /// <summary>torch.fft.rfft: real input, the n/2+1 non-negative frequencies as a complex tensor.</summary>
    public static Tensor Rfft(Tensor x, int? n = null, int dim = -1, FftNorm norm = FftNorm.Backward)
    {
        int d = Tensor.NormalizeAxis(dim, x.Rank);
        int len = n ?? x.Shape[d];
        if (len < 1) throw new AtlasArgumentException("n", $"rfft length must be positive, got {len}");
        var full = ComplexTransform("rfft", ToComplex(x), len, d, norm, inverse: false);
        return Narrow(full, d, 0, len / 2 + 1);
    }

    /// <summary>
    /// torch.fft.irfft: the inverse of rfft, a real signal of length n (default 2·(m−1) for m input frequencies);
    /// the imaginary parts of the zero (and Nyquist) frequencies are ignored, as in torch.
    /// </summary>
    public static Tensor Irfft(Tensor z, int? n = null, int dim = -1, FftNorm norm = FftNorm.Backward)
    {
        CheckComplex("irfft", z);
        int rank = z.Rank - 1;
        int d = Tensor.NormalizeAxis(dim, rank);
        int m = z.Shape[d];
        int len = n ?? 2 * (m - 1);
        if (len < 1) throw new AtlasArgumentException("n", $"irfft output length must be positive, got {len} (from {m} frequencies)");
        int bins = len / 2 + 1;
        var (outer, inner) = OuterInner(z.Shape[..^1], d);
        var outShape = z.Shape[..^1].ToArray();
        outShape[d] = len;
        var res = new Tensor(outShape);
        double scale = NormScale(norm, len, inverse: true);
        var plan = FftPlan.For(len);
        Parallelism.Chunks(outer * inner, Math.Max(1, 4096 / len), (s, e) =>
        {
            var re = new double[len];
            var im = new double[len];
            for (long line = s; line < e; line++)
            {
                long o = line / inner, i = line % inner;
                Array.Clear(re); Array.Clear(im);
                for (int k = 0; k < Math.Min(bins, m); k++)
                {
                    long at = ((o * m + k) * inner + i) * 2;
                    re[k] = z.Data[at]; im[k] = z.Data[at + 1];
                }
                im[0] = 0;
                if (len % 2 == 0) im[len / 2] = 0;
                for (int k = 1; k < bins; k++)
                    if (len - k > k) { re[len - k] = re[k]; im[len - k] = -im[k]; }
                plan.Inverse(re, im);
                for (int j = 0; j < len; j++) res.Data[(o * len + j) * inner + i] = (float)(re[j] * scale);
            }
        });
        return res;
    }

    /// <summary>torch.fft.fft2 over the last two logical dimensions (s: optional output sizes).</summary>
    public static Tensor Fft2(Tensor z, int[]? s = null, FftNorm norm = FftNorm.Backward)
        => Fft(Fft(z, s?[0], -2, norm), s?[1], -1, norm);

    /// <summary>torch.fft.ifft2 over the last two logical dimensions.</summary>
    public static Tensor Ifft2(Tensor z, int[]? s = null, FftNorm norm = FftNorm.Backward)
        => Ifft(Ifft(z, s?[0], -2, norm), s?[1], -1, norm);

    /// <summary>torch.fft.rfft2: rfft over the last dimension, then fft over the one before.</summary>
    public static Tensor Rfft2(Tensor x, int[]? s = null, FftNorm norm = FftNorm.Backward)
        => Fft(Rfft(x, s?[1], -1, norm), s?[0], -2, norm);

    /// <summary>torch.fft.irfft2: ifft over the second-to-last dimension, then irfft over the last.</summary>
    public static Tensor Irfft2(Tensor z, int[]? s = null, FftNorm norm = FftNorm.Backward)
        => Irfft(Ifft(z, s?[0], -2, norm), s?[1], -1, norm);

    /// <summary>
    /// torch.fft.fftshift: rolls each of <paramref name="dims"/> (default all) by ⌊n/2⌋, moving frequency 0 to the
    /// centre. With <paramref name="complex"/> the tensor is [..., 2] and dims count logical dimensions.
    /// </summary>
    public static Tensor FftShift(Tensor x, int[]? dims = null, bool complex = false) => Shift(x, dims, complex, inverse: false);

    /// <summary>torch.fft.ifftshift: the inverse of <see cref="FftShift"/> (roll by −⌊n/2⌋).</summary>
    public static Tensor IfftShift(Tensor x, int[]? dims = null, bool complex = false) => Shift(x, dims, complex, inverse: true);

    private static Tensor Shift(Tensor x, int[]? dims, bool complex, bool inverse)
    {
        if (complex) CheckComplex("fftshift", x);
        int rank = complex ? x.Rank - 1 : x.Rank;
        var ds = dims is null || dims.Length == 0 ? Enumerable.Range(0, rank).ToArray() : dims.Select(d => Tensor.NormalizeAxis(d, rank)).ToArray();
        var shifts = ds.Select(d => inverse ? -(x.Shape[d] / 2) : x.Shape[d] / 2).ToArray();
        return ds.Length == 0 ? x.Clone() : Roll(x, shifts, ds);
    }

    private static double NormScale(FftNorm norm, int n, bool inverse) => norm switch
    {
        FftNorm.Ortho => 1 / Math.Sqrt(n),
        FftNorm.Backward => inverse ? 1.0 / n : 1,
        _ => inverse ? 1 : 1.0 / n,
    };

    private static (long outer, long inner) OuterInner(int[] shape, int d)
    {
        long outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, inner);
    }

    private static Tensor ComplexTransform(string op, Tensor z, int? n, int dim, FftNorm norm, bool inverse)
    {
        CheckComplex(op, z);
        int rank = z.Rank - 1;
        if (rank == 0) throw new ShapeMismatchException(op, $"needs at least one logical dimension, got {ShapeMismatchException.Format(z.Shape)}");
        int d = Tensor.NormalizeAxis(dim, rank);
        int m = z.Shape[d];
        int len = n ?? m;
        if (len < 1) throw new AtlasArgumentException("n", $"{op} length must be positive, got {len}");
        var (outer, inner) = OuterInner(z.Shape[..^1], d);
        var outShape = (int[])z.Shape.Clone();
        outShape[d] = len;
        var res = new Tensor(outShape);
        double scale = NormScale(norm, len, inverse);
        var plan = FftPlan.For(len);
        int copy = Math.Min(m, len);
        Parallelism.Chunks(outer * inner, Math.Max(1, 4096 / len), (s, e) =>
        {
            var re = new double[len];
            var im = new double[len];
            for (long line = s; line < e; line++)
            {
                long o = line / inner, i = line % inner;
                Array.Clear(re); Array.Clear(im);
                for (int k = 0; k < copy; k++)
                {
                    long at = ((o * m + k) * inner + i) * 2;
                    re[k] = z.Data[at]; im[k] = z.Data[at + 1];
                }
                if (inverse) plan.Inverse(re, im); else plan.Forward(re, im);
                for (int k = 0; k < len; k++)
                {
                    long at = ((o * len + k) * inner + i) * 2;
                    res.Data[at] = (float)(re[k] * scale); res.Data[at + 1] = (float)(im[k] * scale);
                }
            }
        });
        return res;
    }
}
