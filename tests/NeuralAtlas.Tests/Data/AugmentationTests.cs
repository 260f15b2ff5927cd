using NeuralAtlas.Data;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Data;

public class AugmentationTests
{
    private static float[] Ramp(int c, int h, int w) => Enumerable.Range(0, c * h * w).Select(i => (i % 97) / 97f).ToArray();

    [Fact]
    public void FlipIsAMirrorAndTwoFlipsAreTheIdentity()
    {
        var img = Ramp(2, 5, 6);
        var x = (float[])img.Clone();
        var flip = new HorizontalFlip(1.0);
        flip.Apply(x, 2, 5, 6, new Rng(0));
        Assert.Equal(img[1 * 30 + 2 * 6 + 0], x[1 * 30 + 2 * 6 + 5]);
        flip.Apply(x, 2, 5, 6, new Rng(0));
        Assert.Equal(img, x);
        var never = (float[])img.Clone();
        new HorizontalFlip(0.0).Apply(never, 2, 5, 6, new Rng(0));
        Assert.Equal(img, never);
    }

    [Fact]
    public void CropIsATranslationWithZeroFill()
    {
        // A single bright pixel in the middle moves by at most the padding and keeps its value.
        var crop = new RandomCrop(3);
        var rng = new Rng(11);
        bool moved = false;
        for (int t = 0; t < 20; t++)
        {
            var x = new float[15 * 15];
            x[7 * 15 + 7] = 1f;
            crop.Apply(x, 1, 15, 15, rng);
            int at = Array.IndexOf(x, 1f);
            Assert.Equal(1f, x.Sum());
            Assert.InRange(Math.Abs(at / 15 - 7), 0, 3);
            Assert.InRange(Math.Abs(at % 15 - 7), 0, 3);
            moved |= at != 7 * 15 + 7;
        }
        Assert.True(moved);
        var img = Ramp(1, 6, 6);
        var same = (float[])img.Clone();
        new RandomCrop(0).Apply(same, 1, 6, 6, new Rng(1));
        Assert.Equal(img, same);
    }

    [Fact]
    public void RotationByARightAngleIsAnExactPermutation()
    {
        var img = Ramp(1, 7, 7);
        var x = (float[])img.Clone();
        RandomRotation.Rotate(x, 1, 7, 7, Math.PI / 2);
        // out(y, x) = in(sy, sx) with sx = cx - (y - cy), sy = cy + (x - cx): a quarter turn.
        for (int y = 0; y < 7; y++)
            for (int xx = 0; xx < 7; xx++)
                Assert.Equal(img[xx * 7 + (6 - y)], x[y * 7 + xx], 5);
        var zero = (float[])img.Clone();
        new RandomRotation(0).Apply(zero, 1, 7, 7, new Rng(2));
        Assert.Equal(img, zero);
    }

    [Fact]
    public void NoiseHasTheRequestedSpreadAndStaysInRange()
    {
        var x = Enumerable.Repeat(0.5f, 20000).ToArray();
        new GaussianNoise(0.1).Apply(x, 1, 100, 200, new Rng(9));
        double mean = x.Average(v => (double)v);
        double sd = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 0.495, 0.505);
        Assert.InRange(sd, 0.097, 0.103);
        var y = new float[] { 0f, 1f, 0f, 1f };
        new GaussianNoise(5).Apply(y, 1, 2, 2, new Rng(1));
        Assert.All(y, v => Assert.InRange(v, 0f, 1f));
    }
}
