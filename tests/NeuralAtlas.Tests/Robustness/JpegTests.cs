using System.Text.Json;
using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Jpeg;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Robustness;

/// <summary>Our JPEG codec against libjpeg (through PIL, tools/fixtures/robustness_jpeg.py) in both directions.</summary>
public class JpegTests
{
    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var s in new[] { "scene_rgb", "scene_gray" })
            foreach (int q in new[] { 7, 25, 75, 95 }) d.Add(s, q);
        return d;
    }

    private static (byte[] Px, int H, int W, int C) Scene(string name)
    {
        var meta = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("robustness", "jpeg_meta.json"))).RootElement.GetProperty(name);
        int h = meta.GetProperty("height").GetInt32(), w = meta.GetProperty("width").GetInt32(), c = meta.GetProperty("channels").GetInt32();
        return (File.ReadAllBytes(Fixtures.Path("robustness", $"{name}_{h}x{w}x{c}.raw")), h, w, c);
    }

    private static void WithinOne(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1, $"largest difference {worst} levels"); // the bound; in practice the codecs agree exactly
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OurEncoderIsDeterministicAndLibjpegDecodesItLikeOurDecoder(string scene, int q)
    {
        var (px, h, w, c) = Scene(scene);
        var ours = JpegEncoder.Encode(px, w, h, c, q);
        // The committed file was written by this encoder; libjpeg's decoding of it is the reference.
        Assert.Equal(File.ReadAllBytes(Fixtures.Path("robustness", $"{scene}_ours_q{q}.jpg")), ours);
        var decoded = JpegDecoder.Decode(ours);
        Assert.Equal((w, h, c), (decoded.Width, decoded.Height, decoded.Channels));
        WithinOne(File.ReadAllBytes(Fixtures.Path("robustness", $"{scene}_ours_q{q}.pil.raw")), decoded.Pixels);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OurDecoderReadsLibjpegFilesWithinOneLevel(string scene, int q)
    {
        string path = Fixtures.Path("robustness", $"{scene}_pil_q{q}.jpg");
        var decoded = JpegDecoder.Decode(File.ReadAllBytes(path), path);
        WithinOne(File.ReadAllBytes(path + ".raw"), decoded.Pixels);
    }

    [Fact]
    public void LowerQualitySpendsFewerBitsAndLosesMore()
    {
        var (px, h, w, c) = Scene("scene_rgb");
        double prevBytes = double.MaxValue, prevErr = -1;
        foreach (int q in new[] { 95, 75, 25, 7 })
        {
            var file = JpegEncoder.Encode(px, w, h, c, q);
            var dec = JpegDecoder.Decode(file).Pixels;
            double err = px.Zip(dec, (a, b) => (a - b) * (double)(a - b)).Average();
            Assert.True(file.Length < prevBytes, $"q{q}: {file.Length} bytes");
            Assert.True(err > prevErr, $"q{q}: mse {err}");
            prevBytes = file.Length;
            prevErr = err;
        }
    }

    [Fact]
    public void QualityScalingFollowsIjg()
    {
        // IJG: q=50 keeps the Annex K table; q=100 gives all ones; q=25 doubles it (scale 200%).
        Assert.Equal(JpegTables.LuminanceQuant, JpegTables.Scale(JpegTables.LuminanceQuant, 50));
        Assert.All(JpegTables.Scale(JpegTables.LuminanceQuant, 100), v => Assert.Equal(1, v));
        Assert.Equal(32, JpegTables.Scale(JpegTables.LuminanceQuant, 25)[0]);
    }

    [Fact]
    public void CorruptFilesGiveTypedErrorsWithOffsets()
    {
        var (px, h, w, c) = Scene("scene_gray");
        var good = JpegEncoder.Encode(px, w, h, c, 50);
        var e1 = Assert.Throws<AtlasFormatException>(() => JpegDecoder.Decode(new byte[] { 1, 2, 3, 4 }, "x.jpg"));
        Assert.Equal(0, e1.Offset);
        Assert.Contains("x.jpg", e1.Message);
        for (int cut = 2; cut < good.Length - 2; cut += Math.Max(1, good.Length / 37))
        {
            var truncated = good.AsSpan(0, cut).ToArray();
            Assert.Throws<AtlasFormatException>(() => JpegDecoder.Decode(truncated, "t.jpg"));
        }
        var progressive = (byte[])good.Clone();
        int sof = Array.FindIndex(progressive, 2, b => b == 0xC0);
        progressive[sof] = 0xC2;
        Assert.Contains("progressive", Assert.Throws<AtlasFormatException>(() => JpegDecoder.Decode(progressive, "p.jpg")).Message);
    }

    [Fact]
    public void EncoderRejectsBadArguments()
    {
        Assert.Throws<AtlasArgumentException>(() => JpegEncoder.Encode(new byte[8], 2, 2, 2, 50));
        Assert.Throws<AtlasArgumentException>(() => JpegEncoder.Encode(new byte[4], 2, 2, 1, 0));
        Assert.Throws<AtlasArgumentException>(() => JpegEncoder.Encode(Array.Empty<byte>(), 0, 0, 1, 50));
        Assert.Throws<ShapeMismatchException>(() => JpegEncoder.Encode(new byte[3], 2, 2, 1, 50));
    }
}
