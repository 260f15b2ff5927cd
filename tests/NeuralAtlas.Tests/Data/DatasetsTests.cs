using System.Text.Json;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Data;

public class DatasetsTests
{
    [Fact]
    public void FashionMnistMatchesWhatNumpyReadFromTheSameFiles()
    {
        // The CI installs dataset-fashion-mnist; the facts were computed with gzip + numpy by io_formats.py.
        var facts = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("io", "fashion_mnist_facts.json"))).RootElement;
        var d = Datasets.Load("fashion-mnist");
        foreach (var (split, ds) in new[] { ("train", d.Train), ("test", d.Test) })
        {
            var f = facts.GetProperty(split);
            Assert.Equal(f.GetProperty("count").GetInt32(), ds.Count);
            Assert.Equal(f.GetProperty("first_labels").EnumerateArray().Select(x => x.GetInt32()), ds.Labels.Take(20));
            Assert.Equal(f.GetProperty("class_counts").EnumerateArray().Select(x => x.GetInt32()),
                Enumerable.Range(0, 10).Select(k => ds.Labels.Count(l => l == k)));
            Assert.Equal(f.GetProperty("image0_sum").GetInt64(), ds.Pixels.AsSpan(0, 784).ToArray().Sum(b => (long)b));
            Assert.Equal(f.GetProperty("last_image_sum").GetInt64(), ds.Pixels.AsSpan((ds.Count - 1) * 784, 784).ToArray().Sum(b => (long)b));
            Assert.Equal(f.GetProperty("pixel_mean").GetDouble(), ds.Pixels.Average(b => (double)b), 9);
            Assert.Equal(f.GetProperty("image0_row14").EnumerateArray().Select(x => (byte)x.GetInt32()), ds.Pixels.AsSpan(14 * 28, 28).ToArray());
        }
        Assert.Equal("Ankle boot", d.Train.ClassNames[d.Train.Labels[0]]);
    }

    [Fact]
    public void AMissingFolderSaysWhereItLookedAndHowToGetTheData()
    {
        using var dir = new TempDir();
        string missing = dir.File("nope");
        var e = Assert.Throws<DatasetNotFoundException>(() => Datasets.Load("fashion-mnist", missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Directory.CreateDirectory(missing);
        e = Assert.Throws<DatasetNotFoundException>(() => Datasets.Load("fashion-mnist", missing));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Throws<DatasetNotFoundException>(() => Datasets.Load(dir.File("not-a-name")));
        var r = CliRunner.Run("tensors", missing);
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void AnyFolderOfMnistLayoutIdxFilesLoads()
    {
        using var dir = new TempDir();
        var rng = new Random(4);
        byte[] Bytes(int n) { var b = new byte[n]; rng.NextBytes(b); return b; }
        Idx.Write(dir.File("train-images-idx3-ubyte.gz"), new NdArray(NdType.UInt8, new[] { 6, 4, 5 }, Bytes(120)), gzip: true);
        Idx.Write(dir.File("train-labels-idx1-ubyte"), new NdArray(NdType.UInt8, new[] { 6 }, new byte[] { 0, 1, 2, 0, 1, 2 }));
        Idx.Write(dir.File("t10k-images-idx3-ubyte"), new NdArray(NdType.UInt8, new[] { 2, 4, 5 }, Bytes(40)));
        Idx.Write(dir.File("t10k-labels-idx1-ubyte"), new NdArray(NdType.UInt8, new[] { 2 }, new byte[] { 2, 1 }));
        var d = Datasets.Load(dir.Path);
        Assert.Equal((6, 2, 3, 4, 5), (d.Train.Count, d.Test.Count, d.Train.ClassCount, d.Train.Height, d.Train.Width));
        Assert.Equal(new[] { 2, 1 }, d.Test.Labels);

        Idx.Write(dir.File("t10k-labels-idx1-ubyte"), new NdArray(NdType.UInt8, new[] { 3 }, new byte[] { 2, 1, 0 }));
        Assert.Contains("2 labels", Assert.Throws<AtlasFormatException>(() => Datasets.Load(dir.Path)).Message);
    }

    [Fact]
    public void SyntheticIsTheDefaultThatNeedsNoFiles()
    {
        var d = Datasets.Load("synthetic", seed: 0);
        Assert.Equal((SyntheticImages.DefaultTrainCount, SyntheticImages.DefaultTestCount), (d.Train.Count, d.Test.Count));
    }
}
