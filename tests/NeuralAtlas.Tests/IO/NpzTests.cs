using System.IO.Compression;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class NpzTests
{
    [Theory]
    [InlineData("npz_stored.npz")]
    [InlineData("npz_deflated.npz")]
    public void ReadsWhatNumpyWroteInOrder(string file)
    {
        var d = Npz.Read(Fixtures.Path("io", file));
        var keys = ExpectedArrays.Get(file).GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToArray();
        Assert.Equal(keys, d.Keys.ToArray());
        foreach (var (k, a) in d) ExpectedArrays.AssertMatches(file + "/" + k, a);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTrips(bool compress)
    {
        var src = Npz.Read(Fixtures.Path("io", "npz_stored.npz"));
        using var dir = new TempDir();
        Npz.Write(dir.File("x.npz"), src, compress);
        var back = Npz.Read(dir.File("x.npz"));
        Assert.Equal(src.Keys, back.Keys);
        foreach (var (k, a) in src)
        {
            Assert.Equal(a.DType, back[k].DType);
            Assert.Equal(a.Shape, back[k].Shape);
            Assert.Equal(a.Data, back[k].Data);
        }
        using var zip = ZipFile.OpenRead(dir.File("x.npz"));
        Assert.All(zip.Entries, e => Assert.Equal(compress, e.CompressedLength < e.Length));
    }

    [Fact]
    public void WritesTensorDictionaries()
    {
        using var dir = new TempDir();
        var acts = new Dictionary<string, Tensor>
        {
            ["conv1"] = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f }, 1, 1, 2, 2),
            ["fc2"] = Tensor.FromArray(new[] { -1f, 0.5f }, 1, 2),
        };
        Npz.Write(dir.File("a.npz"), acts);
        var back = Npz.Read(dir.File("a.npz"));
        Assert.Equal(new[] { "conv1", "fc2" }, back.Keys.ToArray());
        Assert.Equal(acts["conv1"].Data, back["conv1"].ToTensor().Data);
        Assert.Equal(new[] { 1, 4 }, new[] { back["conv1"].ToDMatrix().Rows, back["conv1"].ToDMatrix().Cols });
    }

    [Fact]
    public void CorruptArchivesAreFormatErrors()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "npz_deflated.npz"));
        using var dir = new TempDir();
        foreach (int len in new[] { 0, 2, 10, 30, full.Length / 2, full.Length - 10 })
        {
            File.WriteAllBytes(dir.File("cut.npz"), full.AsSpan(0, len).ToArray());
            var e = Assert.Throws<AtlasFormatException>(() => Npz.Read(dir.File("cut.npz")));
            Assert.StartsWith(dir.File("cut.npz"), e.File);
        }
        File.WriteAllBytes(dir.File("npy.npz"), File.ReadAllBytes(Fixtures.Path("io", "npy_f4.npy")));
        Assert.Contains("zip signature", Assert.Throws<AtlasFormatException>(() => Npz.Read(dir.File("npy.npz"))).Message);
    }

    [Fact]
    public void ABrokenArrayInsideNamesTheEntry()
    {
        using var dir = new TempDir();
        using (var zip = ZipFile.Open(dir.File("b.npz"), ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("w.npy").Open();
            s.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M' });
        }
        var e = Assert.Throws<AtlasFormatException>(() => Npz.Read(dir.File("b.npz")));
        Assert.EndsWith("[w.npy]", e.File);
    }
}
