using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// An 8-bit image as PNG holds it after decoding: H×W pixels of 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)
/// interleaved channels, row-major. Palette images decode to RGB (RGBA when they carry transparency).
/// </summary>
public sealed class PngImage
{
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }

    public PngImage(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new AtlasArgumentException("size", $"image size {width}×{height} must be positive");
        if (channels is < 1 or > 4) throw new AtlasArgumentException("channels", $"expected 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA), got {channels}");
        if (pixels.LongLength != (long)width * height * channels)
            throw new ShapeMismatchException("PngImage", $"{width}×{height}×{channels} needs {(long)width * height * channels} bytes, got {pixels.LongLength}");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public byte this[int y, int x, int c] => Pixels[(y * Width + x) * Channels + c];

    /// <summary>C×H×W float tensor with values pixel/255 in [0, 1] (channel-first, as models take images).</summary>
    public Tensor ToTensor()
    {
        int hw = Width * Height;
        var data = new float[Channels * hw];
        for (int i = 0; i < hw; i++)
            for (int c = 0; c < Channels; c++)
                data[c * hw + i] = Pixels[i * Channels + c] / 255f;
        return new Tensor(new[] { Channels, Height, Width }, data);
    }

    /// <summary>
    /// From a C×H×W (C = 1..4) or H×W tensor in [0, 1]; values are clamped and rounded to 8 bits. NaN is an error,
    /// not a silent black pixel.
    /// </summary>
    public static PngImage FromTensor(Tensor t)
    {
        int c, h, w;
        if (t.Rank == 2) { c = 1; h = t.Shape[0]; w = t.Shape[1]; }
        else if (t.Rank == 3) { c = t.Shape[0]; h = t.Shape[1]; w = t.Shape[2]; }
        else throw new AtlasArgumentException("image", $"expected an H×W or C×H×W tensor, got shape {ShapeMismatchException.Format(t.Shape)}");
        if (c is < 1 or > 4) throw new AtlasArgumentException("image", $"expected 1 to 4 channels, got {c}");
        int hw = h * w;
        var px = new byte[c * hw];
        for (int i = 0; i < hw; i++)
            for (int k = 0; k < c; k++)
            {
                float v = t.Data[k * hw + i];
                if (float.IsNaN(v)) throw new AtlasArgumentException("image", $"NaN at channel {k}, pixel ({i / w}, {i % w})");
                px[i * c + k] = (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
            }
        return new PngImage(w, h, c, px);
    }
}
