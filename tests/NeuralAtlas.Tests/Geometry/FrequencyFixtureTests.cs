using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>The FFT-based transforms against numpy/torch (tools/fixtures/geometry_frequency.py) and closed forms.</summary>
public class FrequencyFixtureTests
{
    private static readonly Lazy<OrderedDictionary<string, NdArray>> Ref =
        new(() => Npz.Read(Fixtures.Path("geometry", "frequency_reference.npz")));

    public static TheoryData<int, int> Sizes => new() { { 28, 28 }, { 6, 8 }, { 7, 9 }, { 5, 12 } };

    [Theory, MemberData(nameof(Sizes))]
    public void OrthonormalFftEqualsNumpy(int h, int w)
    {
        string tag = $"{h}x{w}";
        var img = Ref.Value[$"image_{tag}"].ToDoubles().Select(v => (float)v).ToArray();
        var (re, im) = FrequencySensitivity.Dft2(img, h, w);
        var er = Ref.Value[$"fft_re_{tag}"].ToDoubles();
        var ei = Ref.Value[$"fft_im_{tag}"].ToDoubles();
        for (int k = 0; k < h * w; k++)
        {
            Assert.True(Math.Abs(re[k] - er[k]) < 1e-10, $"re[{k}]: {re[k]} vs numpy {er[k]}");
            Assert.True(Math.Abs(im[k] - ei[k]) < 1e-10, $"im[{k}]: {im[k]} vs numpy {ei[k]}");
        }
        var back = OrthonormalDft2.InverseReal(re, im, h, w);
        for (int k = 0; k < h * w; k++) Assert.True(Math.Abs(back[k] - img[k]) < 1e-10, $"round trip [{k}]");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void HighPassEqualsNumpy(int h, int w)
    {
        string tag = $"{h}x{w}";
        var img = Ref.Value[$"image_{tag}"].ToDoubles().Select(v => (float)v).ToArray();
        var t = new Tensor(new[] { 1, 1, h, w }, img);
        foreach (string r in new[] { "0.0", "0.25", "0.5" })
        {
            var hp = FrequencySensitivity.HighPass(t, double.Parse(r, System.Globalization.CultureInfo.InvariantCulture));
            var expect = Ref.Value[$"highpass_{tag}_{r}"].ToDoubles();
            for (int k = 0; k < h * w; k++)
                Assert.True(Math.Abs(hp.Data[k] - expect[k]) < 1e-5, $"ratio {r} [{k}]: {hp.Data[k]} vs numpy {expect[k]}");
        }
    }

    /// <summary>
    /// A linear logit y = ⟨w, x⟩ has gradient w everywhere, so its sensitivity map is |F w|. With w a pure cosine of
    /// frequency (a, b) that is, by hand, √(HW)/2 at ±(a, b) and 0 elsewhere; a second logit with another cosine
    /// shows the chosen logit is the one differentiated.
    /// </summary>
    [Fact]
    public void LinearModelMapIsItsWeightsFourierMagnitudeInClosedForm()
    {
        const int h = 12, w = 10;
        var lin = new Linear(h * w, 2, new Rng(1));
        var wd = lin.Weight.Value.Data;
        for (int m = 0; m < h; m++)
            for (int q = 0; q < w; q++)
            {
                wd[m * w + q] = (float)Math.Cos(2 * Math.PI * (2.0 * m / h + 3.0 * q / w));
                wd[h * w + m * w + q] = (float)Math.Cos(2 * Math.PI * (1.0 * m / h + 0.0 * q / w));
            }
        var model = new Sequential(new[] { new KeyValuePair<string, Module>("flatten", new Flatten()), new("fc", lin) });
        var rng = new Rng(2);
        var x = new Tensor(new[] { 3, 1, h, w }, Enumerable.Range(0, 3 * h * w).Select(_ => (float)rng.Normal()).ToArray());
        double peak = Math.Sqrt(h * w) / 2;
        foreach (var (logit, a, b) in new[] { (0, 2, 3), (1, 1, 0) })
        {
            var r = FrequencySensitivity.Compute(model, x, logit);
            for (int k = 0; k < h; k++)
                for (int l = 0; l < w; l++)
                {
                    // Shifted index (k, l) holds frequency (k − h/2, l − w/2).
                    int fk = k - h / 2, fl = l - w / 2;
                    bool atPeak = (fk == a && fl == b) || (fk == -a && fl == -b);
                    Assert.Equal(atPeak ? peak : 0, r.Sensitivity[k * w + l], 4);
                }
        }
    }
}
