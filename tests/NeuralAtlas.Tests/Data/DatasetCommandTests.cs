using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Data;

public class DatasetCommandTests
{
    [Fact]
    public void DescribesTheSyntheticSetAndWritesAContactSheet()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("dataset", "--data", "synthetic", "--seed", "2", "--grid", dir.File("grid.png"), "--per-class", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("synthetic/train: 10000 images; synthetic/test: 2000 images; 1×28×28", r.Out);
        Assert.Contains("0\tdisk\t1000\t200", r.Out);
        var png = Png.Read(dir.File("grid.png"));
        // 3 images of 28 px with 2 px gaps across, 10 class rows down.
        Assert.Equal((3 * 30 + 2, 10 * 30 + 2, 1), (png.Width, png.Height, png.Channels));
    }

    [Fact]
    public void AMissingDataFolderIsOneLineSayingWhereItLooked()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("dataset", "--data", "fashion-mnist", "--data-dir", dir.File("nothing-here"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(dir.File("nothing-here"), r.Err);
        Assert.Contains("apt-get install dataset-fashion-mnist", r.Err);
    }
}
