using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class TensorsCommandTests
{
    [Fact]
    public void ListsSafetensorsWithStatsAndMetadata()
    {
        var r = CliRunner.Run("tensors", Fixtures.Path("io", "st_dtypes.safetensors"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("safetensors, 12 tensors", r.Out);
        Assert.Contains("# metadata format = pt", r.Out);
        // u8 = [0, 255, 17]: min 0, max 255, mean 272/3.
        Assert.Contains("u8\tU8\t[3]\t0\t255\t90.6667\t0", r.Out);
        Assert.Contains("empty\tF32\t[0,3]\t-\t-\t-\t0", r.Out);
    }

    [Fact]
    public void ListsNpzAndNpy()
    {
        var r = CliRunner.Run("tensors", Fixtures.Path("io", "npz_stored.npz"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("labels\ti8\t[6]\t0\t3\t1.16667\t0", r.Out); // arange(6) % 4 = 0 1 2 3 0 1, mean 7/6
        r = CliRunner.Run("tensors", "--no-stats", Fixtures.Path("io", "npy_fortran.npy"));
        Assert.Contains("npy_fortran\tf8\t[2,3,4]", r.Out);
    }

    [Fact]
    public void UnknownFilesFailWithOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.txt"), "hi");
        var r = CliRunner.Run("tensors", dir.File("x.txt"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("atlas: error: ", r.Err);
        Assert.Equal(2, CliRunner.Run("tensors", dir.File("missing.npy")).ExitCode);
    }
}

public class TensorsCompareTests
{
    [Fact]
    public void ComparesTwoStateDictsByNameShapeAndValue()
    {
        using var dir = new TempDir();
        var sd = NeuralAtlas.IO.Checkpoint.Load(Fixtures.Path("io", "st_state_dict.safetensors"));
        sd["fc.bias"].Data[1] += 0.5f;
        sd.Remove("bn1.num_batches_tracked");
        sd["extra"] = NeuralAtlas.Tensors.Tensor.FromArray(new[] { 1f }, 1);
        NeuralAtlas.IO.Checkpoint.Save(dir.File("ours.safetensors"), sd);
        var r = CliRunner.Run("tensors", Fixtures.Path("io", "st_state_dict.safetensors"), "--against", dir.File("ours.safetensors"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("missing: bn1.num_batches_tracked []", r.Out);
        Assert.Contains("unexpected: extra [1]", r.Out);
        Assert.Contains("fc.bias\t0.5", r.Out);
        Assert.Contains("conv1.weight\t0\n", r.Out.Replace("\r", ""));
        var same = CliRunner.Run("tensors", Fixtures.Path("io", "st_state_dict.safetensors"), "--against", Fixtures.Path("io", "st_state_dict.safetensors"));
        Assert.Equal(0, same.ExitCode);
    }
}
