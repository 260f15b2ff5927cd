using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>Frequency maps (H×W, fftshift-ed so the zero frequency is at the centre) and their radial profiles.</summary>
public sealed record FrequencyReport(int Height, int Width, double[] Sensitivity, double[] PowerSpectrum, double[] SensitivityRadial, double[] PowerRadial, double Correlation);

/// <summary>
/// Frequency sensitivity (arXiv 2210.01257): with the orthonormal 2-D DFT x̂ = Fx (unitary), the gradient of an output
/// with respect to x̂ is F·∇ₓ, so the sensitivity at frequency (k, l) is E|(F∇ₓ f)(k, l)|; the data's spectrum is
/// √E|x̂(k, l)|². Representation-cost theory predicts the two align; <see cref="Correlation"/> is the Pearson
/// correlation of their logarithms over all non-zero frequencies.
/// </summary>
public static class FrequencySensitivity
{
    /// <param name="logit">Output index to differentiate; null = each image's top logit.</param>
    public static FrequencyReport Compute(Module model, Tensor images, int? logit = null)
    {
        if (images.Rank != 4) throw new ShapeMismatchException("frequency", $"expected images N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        int n = images.Shape[0], c = images.Shape[1], h = images.Shape[2], w = images.Shape[3];
        model.Eval();
        var sens = new double[h * w];
        var power = new double[h * w];
        for (int i = 0; i < n; i++)
        {
            var x = Ops.Narrow(images, 0, i, 1);
            int target = logit ?? TopLogit(model, x);
            var g = Functional.Grad(xv =>
            {
                var y = model.Forward(xv);
                if (target < 0 || target >= y.Numel) throw new AtlasArgumentException("--logit", $"the model has {y.Numel} outputs, got {target}");
                return F.Reshape(F.Narrow(y, 1, target, 1), 1);
            })(x);
            for (int ch = 0; ch < c; ch++)
            {
                var (gr, gi) = Dft2(g.Data.AsSpan(ch * h * w, h * w), h, w);
                var (xr, xi) = Dft2(x.Data.AsSpan(ch * h * w, h * w), h, w);
                for (int k = 0; k < h * w; k++)
                {
                    sens[k] += Math.Sqrt(gr[k] * gr[k] + gi[k] * gi[k]);
                    power[k] += xr[k] * xr[k] + xi[k] * xi[k];
                }
            }
        }
        for (int k = 0; k < h * w; k++) { sens[k] /= n * c; power[k] = Math.Sqrt(power[k] / (n * c)); }
        var s = Shift(sens, h, w);
        var p = Shift(power, h, w);
        return new FrequencyReport(h, w, s, p, Radial(s, h, w), Radial(p, h, w), LogCorrelation(s, p, h, w));
    }

    /// <summary>Orthonormal 2-D DFT of a real H×W image (row-major): real and imaginary parts, unshifted.</summary>
    public static (double[] Re, double[] Im) Dft2(ReadOnlySpan<float> x, int h, int w) => OrthonormalDft2.Forward(x, h, w);

    /// <summary>
    /// High-pass filter: zero the centred square |k_v| ≤ ratio·H/2, |k_u| ≤ ratio·W/2 of the shifted spectrum of every
    /// channel and transform back (the result is real up to rounding; its real part is returned).
    /// </summary>
    public static Tensor HighPass(Tensor images, double ratio)
    {
        if (!(ratio >= 0 && ratio <= 1)) throw new AtlasArgumentException("--high-pass", $"the half-width ratio must be in [0, 1], got {ratio}");
        if (images.Rank != 4) throw new ShapeMismatchException("high-pass", $"expected images N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        int n = images.Shape[0], c = images.Shape[1], h = images.Shape[2], w = images.Shape[3];
        var outData = new float[images.Numel];
        for (int i = 0; i < n * c; i++)
        {
            var (re, im) = Dft2(images.Data.AsSpan(i * h * w, h * w), h, w);
            for (int k = 0; k < h; k++)
                for (int l = 0; l < w; l++)
                {
                    int fk = k <= h / 2 ? k : k - h, fl = l <= w / 2 ? l : l - w;
                    if (Math.Abs(fk) <= ratio * h / 2 && Math.Abs(fl) <= ratio * w / 2) { re[k * w + l] = 0; im[k * w + l] = 0; }
                }
            var back = OrthonormalDft2.InverseReal(re, im, h, w);
            for (int k = 0; k < h * w; k++) outData[i * h * w + k] = (float)back[k];
        }
        return new Tensor(images.Shape, outData);
    }

    private static int TopLogit(Module model, Tensor x)
    {
        using var off = GradMode.NoGrad();
        var y = model.Forward(new Var(x)).Value;
        int best = 0;
        for (int j = 1; j < y.Numel; j++) if (y.Data[j] > y.Data[best]) best = j;
        return best;
    }

    private static double[] Shift(double[] a, int h, int w)
    {
        var s = new double[h * w];
        for (int k = 0; k < h; k++)
            for (int l = 0; l < w; l++) s[((k + h / 2) % h) * w + (l + w / 2) % w] = a[k * w + l];
        return s;
    }

    // Mean over integer radii of the centred frequency (index 0 = DC).
    private static double[] Radial(double[] shifted, int h, int w)
    {
        int maxR = (int)Math.Ceiling(Math.Sqrt((h / 2.0) * (h / 2.0) + (w / 2.0) * (w / 2.0))) + 1;
        var sum = new double[maxR];
        var cnt = new int[maxR];
        for (int k = 0; k < h; k++)
            for (int l = 0; l < w; l++)
            {
                int r = (int)Math.Round(Math.Sqrt((k - h / 2) * (k - h / 2) + (l - w / 2) * (l - w / 2)));
                sum[r] += shifted[k * w + l]; cnt[r]++;
            }
        int used = Array.FindLastIndex(cnt, v => v > 0) + 1;
        return Enumerable.Range(0, used).Select(r => cnt[r] > 0 ? sum[r] / cnt[r] : 0).ToArray();
    }

    private static double LogCorrelation(double[] s, double[] p, int h, int w)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int k = 0; k < h * w; k++)
        {
            if (k == (h / 2) * w + w / 2 || !(s[k] > 0) || !(p[k] > 0)) continue;
            xs.Add(Math.Log(s[k])); ys.Add(Math.Log(p[k]));
        }
        if (xs.Count < 2) return double.NaN;
        double mx = xs.Average(), my = ys.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < xs.Count; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); syy += (ys[i] - my) * (ys[i] - my); }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
