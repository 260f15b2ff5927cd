using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Corruptions;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Robustness;

public class CorruptionTests
{
    private static readonly Tensor Scene = TestImages.Scene(64, 80, 3, seed: 1);

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in CorruptionCatalog.Common) d.Add(c.Name);
        return d;
    }

    private static double Psnr(Tensor a, Tensor b)
    {
        double mse = 0;
        for (int i = 0; i < a.Numel; i++) mse += (a.Data[i] - b.Data[i]) * (double)(a.Data[i] - b.Data[i]);
        mse /= a.Numel;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void KeepsShapeAndRangeAndIsDeterministicForASeed(string name)
    {
        var c = CorruptionCatalog.Get(name);
        foreach (int channels in new[] { 1, 3, 4 })
        {
            var img = TestImages.Scene(24, 30, channels, seed: 2);
            for (int s = 1; s <= 5; s++)
            {
                var a = c.Apply(img, s, new Rng(5));
                var b = c.Apply(img, s, new Rng(5));
                Assert.Equal(img.Shape, a.Shape);
                Assert.Equal(a.Data, b.Data);
                Assert.All(a.Data, v => Assert.InRange(v, 0f, 1f));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PsnrFallsAsSeverityRises(string name)
    {
        // Averaged over seeds so that a single unlucky draw (a motion angle, a frost pattern) cannot reorder levels.
        var c = CorruptionCatalog.Get(name);
        double prev = double.PositiveInfinity;
        for (int s = 1; s <= 5; s++)
        {
            double psnr = Enumerable.Range(0, 4).Average(seed => Psnr(Scene, c.Apply(Scene, s, new Rng(seed))));
            Assert.True(psnr < prev, $"{name}: severity {s} has PSNR {psnr:F2} dB, not below severity {s - 1}'s {prev:F2} dB");
            prev = psnr;
        }
    }

    [Fact]
    public void GaussianNoiseHasTheDeclaredStandardDeviation()
    {
        var gray = Tensor.Full(new[] { 1, 200, 200 }, 0.5f);
        for (int s = 1; s <= 2; s++) // σ ≤ 0.12: clipping at 0 and 1 is beyond 4σ
        {
            var r = new GaussianNoise().Apply(gray, s, new Rng(11));
            double mean = r.Data.Average(v => (double)v), sd = Math.Sqrt(r.Data.Average(v => (v - mean) * (v - mean)));
            Assert.Equal(0.5, mean, 0.003);
            Assert.Equal(GaussianNoise.Sigma[s - 1], sd, GaussianNoise.Sigma[s - 1] * 0.02);
        }
    }

    [Fact]
    public void ShotNoiseIsPoissonScaledByThePhotonCount()
    {
        var img = Tensor.Full(new[] { 1, 200, 200 }, 0.4f);
        for (int s = 1; s <= 5; s++)
        {
            double lam = ShotNoise.Photons[s - 1];
            var r = new ShotNoise().Apply(img, s, new Rng(3));
            // Poisson(0.4λ)/λ clipped at 1: compare with the exact moments of min(K, λ)/λ, K ~ Poisson(0.4λ).
            var counts = r.Data.Select(v => Math.Round(v * lam)).ToArray();
            Assert.All(counts.Zip(r.Data), p => Assert.Equal(p.First / lam, p.Second, 1e-6));
            double m1 = 0, m2 = 0, pk = Math.Exp(-0.4 * lam);
            for (int k = 0; k < 200; k++)
            {
                double v = Math.Min(k, lam) / lam;
                m1 += pk * v;
                m2 += pk * v * v;
                pk *= 0.4 * lam / (k + 1);
            }
            double mean = counts.Average() / lam, variance = counts.Average(k => (k / lam - mean) * (k / lam - mean));
            Assert.Equal(m1, mean, 0.005);
            Assert.Equal(m2 - m1 * m1, variance, (m2 - m1 * m1) * 0.05);
        }
    }

    [Fact]
    public void ImpulseNoiseReplacesTheDeclaredFractionWithSaltAndPepper()
    {
        var img = Tensor.Full(new[] { 2, 150, 150 }, 0.5f);
        for (int s = 1; s <= 5; s++)
        {
            var r = new ImpulseNoise().Apply(img, s, new Rng(9));
            int salt = r.Data.Count(v => v == 1f), pepper = r.Data.Count(v => v == 0f), other = r.Data.Count(v => v == 0.5f);
            Assert.Equal(r.Numel, salt + pepper + other);
            double amount = ImpulseNoise.Amount[s - 1];
            Assert.Equal(amount, (salt + pepper) / (double)r.Numel, amount * 0.06);
            Assert.Equal(0.5, salt / (double)(salt + pepper), 0.04);
        }
    }

    [Fact]
    public void ContrastAndBrightnessFollowTheirFormulas()
    {
        var r = new Contrast().Apply(Scene, 2, new Rng(0));
        int n = 64 * 80;
        for (int c = 0; c < 3; c++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += Scene.Data[c * n + i];
            mean /= n;
            for (int i = 0; i < n; i += 97) Assert.Equal((Scene.Data[c * n + i] - mean) * 0.3 + mean, r.Data[c * n + i], 1e-5);
        }
        // Brightness raises V = max(r, g, b) by c and keeps hue and saturation (the ratios between channels).
        var b = new Brightness().Apply(Scene, 1, new Rng(0));
        for (int i = 0; i < n; i += 101)
        {
            double v0 = Math.Max(Scene.Data[i], Math.Max(Scene.Data[n + i], Scene.Data[2 * n + i]));
            double v1 = Math.Max(b.Data[i], Math.Max(b.Data[n + i], b.Data[2 * n + i]));
            Assert.Equal(Math.Min(v0 + 0.1, 1), v1, 1e-5);
            if (v0 > 0.05) Assert.Equal(Scene.Data[n + i] / v0, b.Data[n + i] / v1, 1e-4);
        }
    }

    [Fact]
    public void DefocusKernelIsANormalisedDisk()
    {
        var k = DefocusBlur.Disk(6, 0.5);
        double sum = 0;
        foreach (double v in k) sum += v;
        Assert.Equal(1, sum, 1e-12);
        int c = k.GetLength(0) / 2;
        Assert.True(k[c, c] > 0 && k[c, c + 5] > 0);
        Assert.True(k[c, c + 8] < 1e-2 * k[c, c]); // beyond the radius only the small alias blur remains
    }

    [Fact]
    public void PerChannelApplicationLeavesOtherBandsUntouched()
    {
        var img = TestImages.Scene(20, 20, 4, seed: 3);
        var r = new GaussianNoise().Apply(img, 3, new Rng(1), new[] { 3 });
        int n = 400;
        Assert.Equal(img.Data.AsSpan(0, 3 * n).ToArray(), r.Data.AsSpan(0, 3 * n).ToArray());
        Assert.NotEqual(img.Data.AsSpan(3 * n, n).ToArray(), r.Data.AsSpan(3 * n, n).ToArray());
        Assert.Throws<AtlasArgumentException>(() => new GaussianNoise().Apply(img, 3, new Rng(1), new[] { 4 }));
    }

    [Fact]
    public void MultispectralFogAttenuatesShortWavelengthsMore()
    {
        // A black scene: the fogged value of each band is A·(1 − t_b), and t_b grows with the wavelength.
        var black = new Tensor(4, 16, 16);
        var fog = new MultispectralFog();
        var r = fog.Apply(black, 3, new Rng(2));
        double Band(int c) => r.Data.Skip(c * 256).Take(256).Average(v => (double)v);
        Assert.True(Band(2) > Band(1) && Band(1) > Band(0) && Band(0) > Band(3)); // blue > green > red > NIR
        Assert.Equal(fog.Transmission(1.0, 1.0, 550), Math.Exp(-1.0), 12);
        // With no wavelength dependence every band gets the same fog.
        var flat = new MultispectralFog { AngstromExponent = 0 }.Apply(black, 3, new Rng(2));
        Assert.Equal(flat.Data.AsSpan(0, 256).ToArray(), flat.Data.AsSpan(3 * 256, 256).ToArray());
    }

    [Fact]
    public void MultispectralSnowIsDimmerInTheNearInfrared()
    {
        var black = new Tensor(4, 32, 32);
        var r = new MultispectralSnow().Apply(black, 5, new Rng(4));
        double Band(int c) => r.Data.Skip(c * 1024).Take(1024).Average(v => (double)v);
        Assert.True(Band(3) < Band(1), $"NIR {Band(3)} vs green {Band(1)}");
        Assert.True(SpectralBands.SnowReflectance(550) > SpectralBands.SnowReflectance(850));
        Assert.Throws<AtlasArgumentException>(() => new MultispectralSnow { Wavelengths = new[] { 500.0 } }.Apply(black, 1, new Rng(0)));
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        var c = new GaussianNoise();
        Assert.Throws<AtlasArgumentException>(() => c.Apply(Scene, 0, new Rng(0)));
        Assert.Throws<AtlasArgumentException>(() => c.Apply(Scene, 6, new Rng(0)));
        Assert.Throws<ShapeMismatchException>(() => c.Apply(new Tensor(3, 0, 5), 1, new Rng(0)));
        Assert.Throws<ShapeMismatchException>(() => c.Apply(new Tensor(5, 5), 1, new Rng(0)));
        var nan = Scene.Clone();
        nan.Data[7] = float.NaN;
        Assert.Throws<AtlasArgumentException>(() => c.Apply(nan, 1, new Rng(0)));
        Assert.Contains("known:", Assert.Throws<AtlasArgumentException>(() => CorruptionCatalog.Get("rain")).Message);
    }
}
