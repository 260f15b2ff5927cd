using System.Buffers.Binary;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class PngTests
{
    [Theory]
    [InlineData("png_gray")]
    [InlineData("png_gray_alpha")]
    [InlineData("png_rgb")]
    [InlineData("png_rgba")]
    [InlineData("png_palette")]
    [InlineData("png_palette4")]
    [InlineData("png_palette_trns")]
    [InlineData("png_1bit")]
    [InlineData("png_gray16")]
    [InlineData("png_filters")]
    public void DecodesWhatPilWroteToThePixelsPilReads(string name)
    {
        var img = Png.Read(Fixtures.Path("io", name + ".png"));
        var want = Npy.Read(Fixtures.Path("io", name + ".expected.npy"));
        Assert.Equal(new[] { img.Height, img.Width, img.Channels }, want.Shape);
        Assert.Equal(want.Data, img.Pixels);
    }

    [Fact]
    public void InterlacedImagesAreRefusedByName()
    {
        var e = Assert.Throws<AtlasFormatException>(() => Png.Read(Fixtures.Path("io", "png_interlaced.png")));
        Assert.Contains("Adam7", e.Message);
        Assert.Equal(8 + 8 + 12, e.Offset);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(3, null)]
    [InlineData(4, null)]
    [InlineData(3, 0)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    public void RoundTripsEveryChannelCountAndFilter(int channels, int? filter)
    {
        var rgb = Png.Read(Fixtures.Path("io", "png_rgba.png"));
        var px = new byte[rgb.Width * rgb.Height * channels];
        for (int i = 0; i < rgb.Width * rgb.Height; i++)
            for (int c = 0; c < channels; c++) px[i * channels + c] = rgb.Pixels[i * 4 + c];
        var img = new PngImage(rgb.Width, rgb.Height, channels, px);
        byte[] bytes = Png.Encode(img, filter);
        var back = Png.Parse(bytes, "mem");
        Assert.Equal(channels, back.Channels);
        Assert.Equal(px, back.Pixels);
        if (filter is int f)
        {
            // The first row's filter byte is the first byte of the inflated IDAT; check through our own decoder's view.
            Assert.Equal(f == 0 ? 0 : f, ReadFilterOfRow(bytes, 0, rgb.Width * channels));
        }
    }

    private static int ReadFilterOfRow(byte[] png, int row, int rowBytes)
    {
        int pos = 8;
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            if (type == "IDAT") idat.Write(png, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        return raw.ToArray()[row * (rowBytes + 1)];
    }

    [Fact]
    public void Crc32IsTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void TensorsConvertBothWays()
    {
        var t = Tensor.FromArray(new[] { 0f, 0.5f, 1f, 2f, -1f, 0.25f }, 2, 3);
        using var dir = new TempDir();
        Png.Write(dir.File("t.png"), t);
        var back = Png.Read(dir.File("t.png"));
        Assert.Equal(new byte[] { 0, 128, 255, 255, 0, 64 }, back.Pixels);
        var chw = back.ToTensor();
        Assert.Equal(new[] { 1, 2, 3 }, chw.Shape);
        Assert.Equal(128 / 255f, chw.Data[1]);
        Assert.Throws<AtlasArgumentException>(() => PngImage.FromTensor(Tensor.FromArray(new[] { float.NaN }, 1, 1)));
        var rgb = Png.Read(Fixtures.Path("io", "png_rgb.png"));
        var rt = rgb.ToTensor();
        Assert.Equal(rgb[4, 7, 2] / 255f, rt[2, 4, 7]);
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "png_palette_trns.png"));
        for (int len = 0; len < full.Length; len++)
        {
            var e = Assert.Throws<AtlasFormatException>(() => Png.Parse(full.AsSpan(0, len), "cut.png"));
            Assert.InRange(e.Offset, 0, len);
        }
    }

    private static void FixCrc(byte[] png, int chunkPos)
    {
        int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(chunkPos));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunkPos + 8 + len), Crc32.Compute(png.AsSpan(chunkPos + 4, len + 4)));
    }

    [Fact]
    public void BadSignatureCrcLengthsAndStreamsAreFormatErrors()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "png_rgb.png"));
        var bad = (byte[])full.Clone();
        bad[1] = (byte)'J';
        Assert.Equal(1, Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f")).Offset);

        bad = (byte[])full.Clone();
        bad[16] ^= 1; // width inside IHDR, CRC not updated
        var e = Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f"));
        Assert.Contains("CRC-32", e.Message);
        Assert.Equal(8 + 8 + 13, e.Offset);

        bad = (byte[])full.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(8), 5000); // IHDR claims 5000 bytes
        Assert.Contains("file ends first", Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f")).Message);

        bad = (byte[])full.Clone();
        bad[8 + 8 + 9] = 5; // colour type 5 does not exist
        FixCrc(bad, 8);
        Assert.Equal(8 + 8 + 9, Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f")).Offset);

        bad = (byte[])full.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bad.AsSpan(8 + 8 + 4), 10); // height 9 → 10: too little image data
        FixCrc(bad, 8);
        Assert.Contains("bytes of filtered image data", Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f")).Message);

        // Damage the deflate stream inside IDAT (with a correct chunk CRC), so only zlib can notice.
        bad = (byte[])full.Clone();
        int idat = 8 + 25;
        while (System.Text.Encoding.ASCII.GetString(bad, idat + 4, 4) != "IDAT") idat += 12 + BinaryPrimitives.ReadInt32BigEndian(bad.AsSpan(idat));
        int idatLen = BinaryPrimitives.ReadInt32BigEndian(bad.AsSpan(idat));
        bad[idat + 8 + idatLen - 2] ^= 0xFF; // inside the Adler-32 trailer
        FixCrc(bad, idat);
        e = Assert.Throws<AtlasFormatException>(() => Png.Parse(bad, "f"));
        Assert.Equal(idat, e.Offset);
    }

    [Fact]
    public void AnUnknownCriticalChunkIsAnErrorAndAnAncillaryOneIsSkipped()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "png_gray.png"));
        byte[] Insert(string type)
        {
            var chunk = new byte[12 + 3];
            BinaryPrimitives.WriteInt32BigEndian(chunk, 3);
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
            BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(11), Crc32.Compute(chunk.AsSpan(4, 7)));
            return full.Take(33).Concat(chunk).Concat(full.Skip(33)).ToArray();
        }
        Assert.Equal(Png.Read(Fixtures.Path("io", "png_gray.png")).Pixels, Png.Parse(Insert("teXt"), "f").Pixels);
        Assert.Contains("'QQQQ'", Assert.Throws<AtlasFormatException>(() => Png.Parse(Insert("QQQQ"), "f")).Message);
    }
}
