using NeuralAtlas.IO;

namespace NeuralAtlas.Data;

/// <summary>A contact sheet of a data set: one row per class, the first few images of each, for a quick look.</summary>
public static class ImageGrid
{
    /// <summary>Builds a PNG image with <paramref name="perClass"/> images per class row and 2-pixel gaps.</summary>
    public static PngImage Build(ImageDataset d, int perClass = 8)
    {
        if (perClass <= 0) throw new AtlasArgumentException("--per-class", $"must be positive, got {perClass}");
        const int gap = 2;
        int c = d.Channels is 1 or 3 ? d.Channels : 1;
        int rows = d.ClassCount, h = d.Height, w = d.Width;
        int gw = perClass * (w + gap) + gap, gh = rows * (h + gap) + gap;
        var px = new byte[gw * gh * c];
        Array.Fill(px, (byte)64);
        var filled = new int[rows];
        int hw = h * w;
        for (int i = 0; i < d.Count; i++)
        {
            int k = d.Labels[i];
            if (filled[k] >= perClass) continue;
            int ox = gap + filled[k] * (w + gap), oy = gap + k * (h + gap);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        px[((oy + y) * gw + ox + x) * c + ch] = d.Pixels[(long)i * d.ImageSize + ch * hw + y * w + x];
            filled[k]++;
        }
        return new PngImage(gw, gh, c, px);
    }
}
