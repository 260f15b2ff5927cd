using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class IdxTests
{
    public static TheoryData<string> Files()
    {
        var d = new TheoryData<string>();
        foreach (var f in new[] { "idx_images.idx3-ubyte", "idx_labels.idx1-ubyte", "idx_i8.idx", "idx_i16.idx", "idx_i32.idx", "idx_f32.idx", "idx_f64.idx" })
        {
            d.Add(f);
            d.Add(f + ".gz");
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadsPlainAndGzippedIdx(string file)
    {
        ExpectedArrays.AssertMatches(file, Idx.Read(Fixtures.Path("io", file)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriterIsByteIdenticalToTheReferenceLayout(bool gzip)
    {
        string src = Fixtures.Path("io", "idx_f32.idx");
        var a = Idx.Read(src);
        using var dir = new TempDir();
        Idx.Write(dir.File("x.idx"), a, gzip);
        if (!gzip) Assert.Equal(File.ReadAllBytes(src), File.ReadAllBytes(dir.File("x.idx")));
        var back = Idx.Read(dir.File("x.idx"));
        Assert.Equal(a.Data, back.Data);
        Assert.Equal(a.Shape, back.Shape);
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "idx_images.idx3-ubyte"));
        for (int len = 0; len < full.Length; len++)
            Assert.Throws<AtlasFormatException>(() => Idx.Parse(full.AsSpan(0, len), "cut"));
    }

    [Fact]
    public void BadMagicLyingDimensionsAndCorruptGzipAreFormatErrors()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "idx_images.idx3-ubyte"));
        var bad = (byte[])full.Clone();
        bad[2] = 0x0A;
        Assert.Equal(2, Assert.Throws<AtlasFormatException>(() => Idx.Parse(bad, "f")).Offset);
        bad = (byte[])full.Clone();
        bad[0] = 0x42;
        Assert.Equal(0, Assert.Throws<AtlasFormatException>(() => Idx.Parse(bad, "f")).Offset);
        bad = (byte[])full.Clone();
        bad[7] = 6; // 3 images claimed as 6
        Assert.Contains("file ends", Assert.Throws<AtlasFormatException>(() => Idx.Parse(bad, "f")).Message);
        bad = (byte[])full.Clone();
        bad[4] = 0x80; // negative dimension
        Assert.Equal(4, Assert.Throws<AtlasFormatException>(() => Idx.Parse(bad, "f")).Offset);
        Assert.Contains("extra bytes", Assert.Throws<AtlasFormatException>(() => Idx.Parse(full.Concat(new byte[2]).ToArray(), "f")).Message);

        byte[] gz = File.ReadAllBytes(Fixtures.Path("io", "idx_images.idx3-ubyte.gz"));
        using var dir = new TempDir();
        var flipped = (byte[])gz.Clone();
        flipped[^6] ^= 0xFF; // inside the CRC32 trailer
        File.WriteAllBytes(dir.File("crc.gz"), flipped);
        Assert.Throws<AtlasFormatException>(() => Idx.Read(dir.File("crc.gz")));
        File.WriteAllBytes(dir.File("cut.gz"), gz.AsSpan(0, gz.Length / 2).ToArray());
        Assert.Throws<AtlasFormatException>(() => Idx.Read(dir.File("cut.gz")));
    }
}
