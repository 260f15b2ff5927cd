using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Data;

public class PngImageFolderTests
{
    private static void Write(string path, int w, int h, int channels, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var px = new byte[w * h * channels];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(value + i % channels);
        Png.Write(path, new PngImage(w, h, channels, px));
    }

    [Fact]
    public void ClassFoldersBecomeLabelsInOrdinalOrder()
    {
        using var dir = new TempDir();
        Write(dir.File("train/cat/a.png"), 4, 3, 1, 10);
        Write(dir.File("train/cat/b.png"), 4, 3, 1, 20);
        Write(dir.File("train/ant/a.png"), 4, 3, 1, 30);
        Write(dir.File("test/dog/x.png"), 4, 3, 1, 40);
        var d = Datasets.Load(dir.Path);
        Assert.Equal(new[] { "ant", "cat", "dog" }, d.Train.ClassNames);
        Assert.Equal(new[] { 0, 1, 1 }, d.Train.Labels);
        Assert.Equal(new[] { 2 }, d.Test.Labels);
        Assert.Equal((1, 3, 4), (d.Train.Channels, d.Train.Height, d.Train.Width));
        Assert.Equal(30, d.Train.Pixels[0]);
        Assert.Equal(40 / 255f, d.Test.Images(new[] { 0 }).Data[5]);
    }

    [Fact]
    public void MixedGrayAndColourBecomeRgbAndSizesMustAgree()
    {
        using var dir = new TempDir();
        Write(dir.File("train/a/g.png"), 2, 2, 1, 7);
        Write(dir.File("train/b/c.png"), 2, 2, 4, 100); // RGBA: R=100, G=101, B=102, alpha dropped
        Write(dir.File("test/a/g.png"), 2, 2, 2, 9);
        var d = Datasets.Load(dir.Path);
        Assert.Equal(3, d.Train.Channels);
        Assert.Equal(new byte[] { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 }, d.Train.Pixels.AsSpan(0, 12).ToArray());
        Assert.Equal(new byte[] { 100, 100, 100, 100, 101, 101, 101, 101, 102, 102, 102, 102 }, d.Train.Pixels.AsSpan(12, 12).ToArray());
        Write(dir.File("test/b/big.png"), 3, 2, 1, 0);
        var e = Assert.Throws<AtlasFormatException>(() => Datasets.Load(dir.Path));
        Assert.Contains("big.png", e.File);
        Directory.Delete(dir.File("test"), true);
        Assert.Throws<DatasetNotFoundException>(() => Datasets.Load(dir.Path));
    }
}
