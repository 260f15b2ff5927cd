using NeuralAtlas.Tensors;

namespace NeuralAtlas.Data;

/// <summary>One mini-batch: images B×C×H×W in [0, 1], their labels, and which dataset rows they are.</summary>
public sealed record Batch(Tensor Images, int[] Labels, int[] Indices);

/// <summary>
/// Seeded shuffling, batching and augmentation. Epoch e's order and augmentations depend only on (seed, e), so a
/// run can be repeated exactly, and epochs can be visited in any order.
/// </summary>
public sealed class DataLoader
{
    public ImageDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public int Seed { get; }
    public IReadOnlyList<IAugmentation> Augmentations { get; }

    public DataLoader(ImageDataset dataset, int batchSize, bool shuffle = true, int seed = 0,
        IReadOnlyList<IAugmentation>? augmentations = null, bool dropLast = false)
    {
        if (batchSize <= 0) throw new AtlasArgumentException("--batch-size", $"must be positive, got {batchSize}");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Augmentations = augmentations ?? Array.Empty<IAugmentation>();
    }

    public int BatchesPerEpoch => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    public IEnumerable<Batch> Epoch(int epoch = 0)
    {
        var rng = new Rng(unchecked((ulong)Seed * 0x9E3779B97F4A7C15UL + (ulong)epoch));
        int[] order = Shuffle ? rng.Permutation(Dataset.Count) : Enumerable.Range(0, Dataset.Count).ToArray();
        var augRng = rng.Fork();
        int size = Dataset.ImageSize;
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            int start = b * BatchSize;
            int n = Math.Min(BatchSize, Dataset.Count - start);
            var idx = order.AsSpan(start, n).ToArray();
            var images = Dataset.Images(idx);
            if (Augmentations.Count > 0)
                for (int i = 0; i < n; i++)
                {
                    var img = images.Data.AsSpan(i * size, size);
                    foreach (var a in Augmentations) a.Apply(img, Dataset.Channels, Dataset.Height, Dataset.Width, augRng);
                }
            var labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = Dataset.Labels[idx[i]];
            yield return new Batch(images, labels, idx);
        }
    }
}
