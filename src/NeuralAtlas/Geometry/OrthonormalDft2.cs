using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// The orthonormal (unitary, torch's norm="ortho") 2-D DFT of one real H×W image and its inverse, in double
/// precision on the engine's FFT plans: rows, then columns, O(HW·(log H + log W)) for any size (Bluestein for
/// lengths that are not powers of two). Kept in double rather than going through <see cref="Ops.Fft2"/> because
/// that rounds to float between the two passes, and the sensitivity map averages many small gradients.
/// </summary>
public static class OrthonormalDft2
{
    /// <summary>X = F x with F unitary: real and imaginary parts, row-major, unshifted (frequency 0 at index 0).</summary>
    public static (double[] Re, double[] Im) Forward(ReadOnlySpan<float> x, int h, int w)
    {
        if (h < 1 || w < 1 || x.Length < h * w)
            throw new AtlasArgumentException("image", $"expected {h}×{w} = {h * w} values, got {x.Length}");
        var re = new double[h * w];
        var im = new double[h * w];
        for (int i = 0; i < h * w; i++) re[i] = x[i];
        Transform(re, im, h, w, inverse: false);
        return (re, im);
    }

    /// <summary>x = F⁻¹ X = F* X, returning the real part (exact for the spectrum of a real image up to rounding).</summary>
    public static double[] InverseReal(double[] re, double[] im, int h, int w)
    {
        if (re.Length != h * w || im.Length != h * w)
            throw new AtlasArgumentException("spectrum", $"expected {h}×{w} = {h * w} coefficients, got {re.Length} and {im.Length}");
        var r = (double[])re.Clone();
        var i = (double[])im.Clone();
        Transform(r, i, h, w, inverse: true);
        return r;
    }

    private static void Transform(double[] re, double[] im, int h, int w, bool inverse)
    {
        var row = FftPlan.For(w);
        for (int r = 0; r < h; r++)
        {
            var sr = re.AsSpan(r * w, w);
            var si = im.AsSpan(r * w, w);
            if (inverse) row.Inverse(sr, si); else row.Forward(sr, si);
        }
        var col = FftPlan.For(h);
        var cr = new double[h];
        var ci = new double[h];
        double scale = 1 / Math.Sqrt((double)h * w);
        for (int l = 0; l < w; l++)
        {
            for (int k = 0; k < h; k++) { cr[k] = re[k * w + l]; ci[k] = im[k * w + l]; }
            if (inverse) col.Inverse(cr, ci); else col.Forward(cr, ci);
            for (int k = 0; k < h; k++) { re[k * w + l] = cr[k] * scale; im[k * w + l] = ci[k] * scale; }
        }
    }
}
