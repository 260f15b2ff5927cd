namespace NeuralAtlas.Data;

/// <summary>
/// Data sets by name, as the <c>--data</c> option takes them: "synthetic" (generated in code from the seed, no
/// files needed), "fashion-mnist" (IDX files in /usr/share/datasets/fashion-mnist, or <paramref name="dataDir"/>),
/// a folder of MNIST-layout IDX files, or a folder of PNGs in class sub-folders (train/CLASS, test/CLASS).
/// </summary>
public static class Datasets
{
    public const string Help = "synthetic (generated from --seed, no files needed), fashion-mnist (from " +
                               IdxImageFolder.FashionMnistDefault + "; apt-get install dataset-fashion-mnist), " +
                               "a folder with train/t10k-images-idx3-ubyte and -labels-idx1-ubyte (optionally .gz), " +
                               "or a folder of PNGs as train/CLASS/*.png and test/CLASS/*.png";

    public static readonly IReadOnlyList<string> Names = new[] { "synthetic", "fashion-mnist" };

    /// <param name="spec">"synthetic", "fashion-mnist", or a folder path.</param>
    /// <param name="dataDir">Where fashion-mnist lives when not in its default folder.</param>
    /// <param name="seed">Seed of the synthetic set (ignored for files).</param>
    public static DatasetSplits Load(string spec, string? dataDir = null, int seed = 0)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new AtlasArgumentException("--data", $"expected {Help}");
        switch (spec)
        {
            case "synthetic":
                return SyntheticImages.Load(seed);
            case "fashion-mnist":
            case "fashion_mnist":
                return IdxImageFolder.LoadFashionMnist(dataDir);
        }
        if (Directory.Exists(spec)) return PngImageFolder.LooksLikeOne(spec) ? PngImageFolder.Load(spec) : IdxImageFolder.Load(spec);
        throw new DatasetNotFoundException(spec, $"{Path.GetFullPath(spec)} (not a data set name and no such folder)", $"--data takes {Help}");
    }
}
