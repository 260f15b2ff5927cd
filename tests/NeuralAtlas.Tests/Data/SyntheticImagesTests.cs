using NeuralAtlas.Data;

namespace NeuralAtlas.Tests.Data;

public class SyntheticImagesTests
{
    [Fact]
    public void SameSeedSameBytesOtherSeedOtherBytes()
    {
        var a = SyntheticImages.Generate(200, seed: 5);
        var b = SyntheticImages.Generate(200, seed: 5);
        var c = SyntheticImages.Generate(200, seed: 6);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        var splits = SyntheticImages.Load(seed: 1, trainCount: 100, testCount: 100);
        Assert.NotEqual(splits.Train.Pixels, splits.Test.Pixels);
    }

    [Fact]
    public void BalancedTenClassesOf28x28GrayImagesInUnitRange()
    {
        var d = SyntheticImages.Generate(500, seed: 0);
        Assert.Equal((1, 28, 28, 10), (d.Channels, d.Height, d.Width, d.ClassCount));
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(50, d.Labels.Count(l => l == k)));
        var t = d.Images(10);
        Assert.Equal(new[] { 10, 1, 28, 28 }, t.Shape);
        Assert.All(t.Data, v => Assert.InRange(v, 0f, 1f));
        // Not constant images: the shape or texture makes real contrast.
        for (int i = 0; i < 10; i++)
        {
            var img = t.Data.AsSpan(i * 784, 784).ToArray();
            Assert.True(img.Max() - img.Min() > 0.3f, $"image {i} has no contrast");
        }
    }

    [Fact]
    public void NearestClassMeanIsFarFromPerfectButAboveChance()
    {
        // The set must not be solvable by a template: position, size, rotation and contrast vary per image.
        var s = SyntheticImages.Load(seed: 0, trainCount: 2000, testCount: 1000);
        int dim = s.Train.ImageSize;
        var means = new double[10, dim];
        var counts = new int[10];
        for (int i = 0; i < s.Train.Count; i++)
        {
            int y = s.Train.Labels[i];
            counts[y]++;
            for (int k = 0; k < dim; k++) means[y, k] += s.Train.Pixels[i * dim + k];
        }
        int correct = 0;
        for (int i = 0; i < s.Test.Count; i++)
        {
            int best = -1;
            double bestD = double.MaxValue;
            for (int c = 0; c < 10; c++)
            {
                double d = 0;
                for (int k = 0; k < dim; k++)
                {
                    double diff = s.Test.Pixels[i * dim + k] - means[c, k] / counts[c];
                    d += diff * diff;
                }
                if (d < bestD) { bestD = d; best = c; }
            }
            if (best == s.Test.Labels[i]) correct++;
        }
        double acc = correct / (double)s.Test.Count;
        Assert.InRange(acc, 0.2, 0.7);
    }
}
