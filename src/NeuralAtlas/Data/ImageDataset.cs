using NeuralAtlas.Tensors;

namespace NeuralAtlas.Data;

/// <summary>
/// A labelled image set held as 8-bit pixels (N×C×H×W, C order), the way image files store them: a quarter of the
/// memory of floats, and converted to [0, 1] floats only per batch. Labels are class indices in [0, ClassCount).
/// </summary>
public sealed class ImageDataset
{
    public string Name { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;
    public int ImageSize => Channels * Height * Width;

    public ImageDataset(string name, int channels, int height, int width, byte[] pixels, int[] labels, IReadOnlyList<string> classNames)
    {
        if (channels <= 0 || height <= 0 || width <= 0) throw new AtlasArgumentException("shape", $"image size {channels}×{height}×{width} must be positive");
        long size = (long)channels * height * width;
        if (pixels.LongLength != size * labels.Length)
            throw new ShapeMismatchException("ImageDataset", $"{labels.Length} labels of {channels}×{height}×{width} images need {size * labels.Length} pixels, got {pixels.LongLength}");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new AtlasArgumentException("labels", $"label {labels[i]} of image {i} is outside the {classNames.Count} classes of {name}");
        Name = name;
        Count = labels.Length;
        Channels = channels;
        Height = height;
        Width = width;
        Pixels = pixels;
        Labels = labels;
        ClassNames = classNames;
    }

    // pixel / 255 exactly as torchvision's ToTensor rounds it (a division, not a multiplication by 1/255).
    private static readonly float[] Scale = Enumerable.Range(0, 256).Select(v => v / 255f).ToArray();

    /// <summary>Images <paramref name="indices"/> as a float tensor B×C×H×W with values pixel/255 in [0, 1].</summary>
    public Tensor Images(ReadOnlySpan<int> indices)
    {
        int size = ImageSize;
        var data = new float[indices.Length * size];
        for (int b = 0; b < indices.Length; b++)
        {
            int i = indices[b];
            if ((uint)i >= (uint)Count) throw new AtlasArgumentException("indices", $"image {i} is outside {Name}'s {Count} images");
            var src = Pixels.AsSpan(i * size, size);
            var dst = data.AsSpan(b * size, size);
            for (int k = 0; k < size; k++) dst[k] = Scale[src[k]];
        }
        return new Tensor(new[] { indices.Length, Channels, Height, Width }, data);
    }

    /// <summary>The first <paramref name="count"/> images (all when count ≥ Count) as one tensor.</summary>
    public Tensor Images(int count = int.MaxValue) => Images(Enumerable.Range(0, Math.Min(count, Count)).ToArray());

    /// <summary>The first <paramref name="count"/> images as their own dataset (for quick runs and tests).</summary>
    public ImageDataset Take(int count)
    {
        if (count < 0) throw new AtlasArgumentException("count", "must be non-negative");
        int n = Math.Min(count, Count);
        return new ImageDataset(Name, Channels, Height, Width, Pixels.AsSpan(0, n * ImageSize).ToArray(), Labels.AsSpan(0, n).ToArray(), ClassNames);
    }

    public override string ToString() => $"{Name}: {Count} images {Channels}×{Height}×{Width}, {ClassCount} classes";
}

/// <summary>A data set's train and test splits.</summary>
public sealed record DatasetSplits(ImageDataset Train, ImageDataset Test);
