using NeuralAtlas.IO;

namespace NeuralAtlas.Data;

/// <summary>
/// A folder holding an MNIST-layout data set: train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally gzip'd (.gz). This is how Fashion-MNIST, MNIST
/// and KMNIST ship.
/// </summary>
public static class IdxImageFolder
{
    public const string FashionMnistDefault = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] FashionMnistClasses =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    public static DatasetSplits LoadFashionMnist(string? dir = null) =>
        Load(dir ?? FashionMnistDefault, "fashion-mnist", FashionMnistClasses,
            "Install it with 'sudo apt-get install dataset-fashion-mnist' or pass --data DIR with the four IDX files " +
            "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)");

    /// <summary>Loads both splits; class names default to "0".."K-1" from the largest label.</summary>
    public static DatasetSplits Load(string dir, string? name = null, IReadOnlyList<string>? classNames = null, string? howToGet = null)
    {
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        howToGet ??= "Pass --data DIR with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz)";
        if (!Directory.Exists(dir)) throw new DatasetNotFoundException(name, $"{Path.GetFullPath(dir)} (no such folder)", howToGet);
        string Find(string stem)
        {
            foreach (var candidate in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx"), stem.Replace("-idx", ".idx") + ".gz" })
            {
                string p = Path.Combine(dir, candidate);
                if (File.Exists(p)) return p;
            }
            throw new DatasetNotFoundException(name!, $"{Path.GetFullPath(dir)} for {stem}[.gz]", howToGet!);
        }
        string trImg = Find("train-images-idx3-ubyte"), trLab = Find("train-labels-idx1-ubyte");
        string teImg = Find("t10k-images-idx3-ubyte"), teLab = Find("t10k-labels-idx1-ubyte");
        var (trainPix, trainLab, h, w) = Pair(trImg, trLab);
        var (testPix, testLab, h2, w2) = Pair(teImg, teLab);
        if (h2 != h || w2 != w) throw new AtlasFormatException(teImg, 8, $"test images of the training images' size {h}×{w}, not {h2}×{w2}");
        int classes = Math.Max(trainLab.DefaultIfEmpty(0).Max(), testLab.DefaultIfEmpty(0).Max()) + 1;
        classNames ??= Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new DatasetSplits(
            new ImageDataset(name + "/train", 1, h, w, trainPix, trainLab, classNames),
            new ImageDataset(name + "/test", 1, h, w, testPix, testLab, classNames));
    }

    private static (byte[] Pixels, int[] Labels, int H, int W) Pair(string imagesPath, string labelsPath)
    {
        var images = Idx.Read(imagesPath);
        if (images.DType != NdType.UInt8 || images.Rank != 3)
            throw new AtlasFormatException(imagesPath, 2, $"unsigned-byte images N×H×W (IDX type 08, 3 dimensions), got {images.DType} with {images.Rank} dimensions");
        var labels = Idx.Read(labelsPath);
        if (labels.DType != NdType.UInt8 || labels.Rank != 1)
            throw new AtlasFormatException(labelsPath, 2, $"unsigned-byte labels N (IDX type 08, 1 dimension), got {labels.DType} with {labels.Rank} dimensions");
        if (labels.Shape[0] != images.Shape[0])
            throw new AtlasFormatException(labelsPath, 4, $"{images.Shape[0]} labels, one per image in {imagesPath}, got {labels.Shape[0]}");
        var lab = new int[labels.Shape[0]];
        for (int i = 0; i < lab.Length; i++) lab[i] = labels.Data[i];
        return (images.Data, lab, images.Shape[1], images.Shape[2]);
    }
}
