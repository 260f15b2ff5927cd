using NeuralAtlas.Data;

namespace NeuralAtlas.Tests.Data;

public class DataLoaderTests
{
    private static readonly ImageDataset Small = SyntheticImages.Generate(103, seed: 3);

    [Fact]
    public void EachEpochVisitsEveryImageOnceInASeededOrder()
    {
        var loader = new DataLoader(Small, batchSize: 10, shuffle: true, seed: 42);
        Assert.Equal(11, loader.BatchesPerEpoch);
        var e0 = loader.Epoch(0).ToList();
        Assert.Equal(11, e0.Count);
        Assert.Equal(3, e0[^1].Labels.Length);
        var order0 = e0.SelectMany(b => b.Indices).ToArray();
        Assert.Equal(Enumerable.Range(0, 103), order0.OrderBy(i => i));
        Assert.NotEqual(Enumerable.Range(0, 103), order0);
        Assert.Equal(order0, loader.Epoch(0).SelectMany(b => b.Indices));
        Assert.NotEqual(order0, loader.Epoch(1).SelectMany(b => b.Indices));
        Assert.NotEqual(order0, new DataLoader(Small, 10, true, seed: 43).Epoch(0).SelectMany(b => b.Indices));
    }

    [Fact]
    public void BatchesCarryTheRightImagesAndLabels()
    {
        var loader = new DataLoader(Small, batchSize: 8, shuffle: true, seed: 1, dropLast: true);
        Assert.Equal(12, loader.BatchesPerEpoch);
        foreach (var b in loader.Epoch(2))
        {
            Assert.Equal(new[] { 8, 1, 28, 28 }, b.Images.Shape);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(Small.Labels[b.Indices[i]], b.Labels[i]);
                Assert.Equal(Small.Pixels[b.Indices[i] * 784 + 400] / 255f, b.Images.Data[i * 784 + 400]);
            }
        }
        var plain = new DataLoader(Small, batchSize: 50, shuffle: false);
        Assert.Equal(Enumerable.Range(0, 103), plain.Epoch(5).SelectMany(b => b.Indices));
    }

    [Fact]
    public void AugmentedBatchesAreReproducibleAndDifferFromTheOriginals()
    {
        var aug = Augmentations.Parse("crop:2,flip,rotate:10,noise:0.05");
        Assert.Equal(4, aug.Count);
        var a = new DataLoader(Small, 16, true, 7, aug).Epoch(0).First();
        var b = new DataLoader(Small, 16, true, 7, aug).Epoch(0).First();
        Assert.Equal(a.Images.Data, b.Images.Data);
        Assert.Equal(a.Indices, b.Indices);
        var clean = Small.Images(a.Indices);
        Assert.NotEqual(clean.Data, a.Images.Data);
        Assert.All(a.Images.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void BadArgumentsAreTypedErrors()
    {
        Assert.Throws<AtlasArgumentException>(() => new DataLoader(Small, 0));
        Assert.Throws<AtlasArgumentException>(() => Augmentations.Parse("blur:3"));
        Assert.Throws<AtlasArgumentException>(() => Augmentations.Parse("noise:-1"));
        Assert.Empty(Augmentations.Parse("none"));
    }
}
