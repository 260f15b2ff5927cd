using NeuralAtlas.IO;

namespace NeuralAtlas.Data;

/// <summary>
/// A folder of PNG images sorted into one sub-folder per class, for each split — DIR/train/CLASS/*.png and
/// DIR/test/CLASS/*.png — the layout torchvision's ImageFolder reads. Classes are the sub-folder names in ordinal
/// order (the union over both splits); all images must share one size. Images are gray when every file is gray,
/// otherwise RGB (gray replicated, alpha dropped).
/// </summary>
public static class PngImageFolder
{
    public static bool LooksLikeOne(string dir) =>
        Directory.Exists(Path.Combine(dir, "train")) && Directory.EnumerateDirectories(Path.Combine(dir, "train")).Any();

    public static DatasetSplits Load(string dir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        const string how = "Expected DIR/train/CLASS/*.png and DIR/test/CLASS/*.png (one sub-folder per class)";
        foreach (var split in new[] { "train", "test" })
            if (!Directory.Exists(Path.Combine(dir, split)))
                throw new DatasetNotFoundException(name, $"{Path.GetFullPath(Path.Combine(dir, split))} (no such folder)", how);
        var classes = new[] { "train", "test" }
            .SelectMany(s => Directory.EnumerateDirectories(Path.Combine(dir, s)).Select(Path.GetFileName))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        var files = new[] { "train", "test" }.Select(s => classes
            .SelectMany((c, k) => Directory.Exists(Path.Combine(dir, s, c!))
                ? Directory.EnumerateFiles(Path.Combine(dir, s, c!), "*.png").Order(StringComparer.Ordinal).Select(f => (f, k))
                : Enumerable.Empty<(string, int)>())
            .ToList()).ToArray();
        if (files[0].Count == 0) throw new DatasetNotFoundException(name, $"{Path.GetFullPath(Path.Combine(dir, "train"))} (no .png files in its class folders)", how);

        var images = files.Select(list => list.Select(p => (Png.Read(p.Item1), p.Item1, p.Item2)).ToList()).ToArray();
        var first = images[0][0];
        int w = first.Item1.Width, h = first.Item1.Height;
        bool gray = images.SelectMany(x => x).All(x => x.Item1.Channels <= 2);
        int c = gray ? 1 : 3;
        var splits = new ImageDataset[2];
        for (int s = 0; s < 2; s++)
        {
            var list = images[s];
            var px = new byte[(long)list.Count * c * h * w];
            var labels = new int[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                var (img, path, label) = list[i];
                if (img.Width != w || img.Height != h)
                    throw new AtlasFormatException(path, 16, $"a {w}×{h} image like {first.Item2}, got {img.Width}×{img.Height}");
                labels[i] = label;
                long o = (long)i * c * h * w;
                for (int p = 0; p < h * w; p++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        // Gray sources fill every output channel; colour sources give R, G, B.
                        int src = img.Channels <= 2 ? 0 : ch;
                        px[o + (long)ch * h * w + p] = img.Pixels[p * img.Channels + src];
                    }
            }
            splits[s] = new ImageDataset($"{name}/{(s == 0 ? "train" : "test")}", c, h, w, px, labels, classes!);
        }
        return new DatasetSplits(splits[0], splits[1]);
    }
}
