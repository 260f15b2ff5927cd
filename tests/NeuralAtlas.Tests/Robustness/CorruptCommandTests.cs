using NeuralAtlas.IO;
using NeuralAtlas.Robustness;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Robustness;

public class CorruptCommandTests
{
    [Fact]
    public void WritesOneArrayPerCorruptionAndSeverityAndIsReproducible()
    {
        using var dir = new TempDir();
        var img = TestImages.Scene(20, 24, 3, seed: 1);
        Npy.Write(dir.File("img.npy"), img);
        var r = CliRunner.Run("corrupt", "--input", dir.File("img.npy"), "--corruption", "fog,pixelate", "--severity", "1,5", "--out", dir.File("c.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var all = Npz.Read(dir.File("c.npz"));
        Assert.Equal(new[] { "fog/s1", "fog/s5", "pixelate/s1", "pixelate/s5" }, all.Keys);
        Assert.Equal(img.Shape, all["fog/s1"].Shape);
        CliRunner.Run("corrupt", "--input", dir.File("img.npy"), "--corruption", "fog", "--severity", "1", "--out", dir.File("again.npz"));
        Assert.Equal(all["fog/s1"].Data, Npz.Read(dir.File("again.npz"))["fog/s1"].Data);
    }

    [Theory]
    [InlineData("--severity", "0")]
    [InlineData("--severity", "6")]
    [InlineData("--corruption", "rain")]
    [InlineData("--channels", "7")]
    public void BadArgumentsGiveOneClearLine(string option, string value)
    {
        using var dir = new TempDir();
        Npy.Write(dir.File("img.npy"), TestImages.Scene(8, 8, 3));
        var r = CliRunner.Run("corrupt", "--input", dir.File("img.npy"), option, value, "--out", dir.File("o"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("atlas: error:", r.Err);
        Assert.False(Directory.Exists(dir.File("o")) && Directory.GetFiles(dir.File("o")).Length > 0);
    }

    [Fact]
    public void RejectsImagesOutsideTheUnitRange()
    {
        using var dir = new TempDir();
        var img = TestImages.Scene(8, 8, 3);
        img.Data[3] = 2.5f;
        Npy.Write(dir.File("img.npy"), img);
        var r = CliRunner.Run("corrupt", "--input", dir.File("img.npy"), "--out", dir.File("o.npz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("[0, 1]", r.Err);
    }
}

public class CorruptPngTests
{
    [Fact]
    public void PngFolderInGivesPngFoldersOut()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        for (int i = 0; i < 2; i++) Png.Write(dir.File($"in/img{i}.png"), TestImages.Scene(16, 20, 3, seed: i));
        var r = CliRunner.Run("corrupt", "--input", dir.File("in"), "--corruption", "contrast", "--severity", "2", "--out", dir.File("out"));
        Assert.True(r.ExitCode == 0, r.Err);
        var back = Png.Read(dir.File("out/contrast/s2/img1.png")).ToTensor();
        Assert.Equal(new[] { 3, 16, 20 }, back.Shape);
        // Contrast keeps each channel's mean: the PNG round trip moves it by at most one 8-bit level.
        var src = Png.Read(dir.File("in/img1.png")).ToTensor();
        for (int c = 0; c < 3; c++)
            Assert.Equal(src.Data.Skip(c * 320).Take(320).Average(v => (double)v), back.Data.Skip(c * 320).Take(320).Average(v => (double)v), 0.004);
    }

    [Fact]
    public void FolderWithMixedSizesIsRefusedByName()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        Png.Write(dir.File("in/a.png"), TestImages.Scene(8, 8, 3));
        Png.Write(dir.File("in/b.png"), TestImages.Scene(9, 8, 3));
        var r = CliRunner.Run("corrupt", "--input", dir.File("in"), "--out", dir.File("o.npz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("b.png", r.Err);
    }
}
