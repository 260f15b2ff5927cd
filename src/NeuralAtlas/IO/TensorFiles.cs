namespace NeuralAtlas.IO;

/// <summary>Opens any tensor file (npy, npz, safetensors) by its content, for tools that accept all three.</summary>
public static class TensorFiles
{
    public sealed record Summary(double Min, double Max, double Mean, long NaNs);

    /// <summary>Reads a file, recognising the format from its first bytes rather than its extension.</summary>
    public static (string Format, OrderedDictionary<string, NdArray> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var head = new byte[8];
        int got;
        using (var fs = File.OpenRead(path)) got = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var none = new Dictionary<string, string>();
        if (got >= 6 && head[0] == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M' && head[4] == 'P' && head[5] == 'Y')
            return ("npy", new OrderedDictionary<string, NdArray> { [Path.GetFileNameWithoutExtension(path)] = Npy.Read(path) }, none);
        if (got >= 4 && head[0] == 'P' && head[1] == 'K')
            return ("npz", Npz.Read(path), none);
        if (got == 8)
        {
            var c = Safetensors.Read(path);
            return ("safetensors", c.Tensors, c.Metadata);
        }
        throw new AtlasFormatException(path, 0, "an npy (\\x93NUMPY), npz (zip) or safetensors (8-byte header length + JSON) file");
    }

    /// <summary>Min, max and mean over the non-NaN elements (NaN when there are none), and the NaN count.</summary>
    public static Summary Summarize(NdArray a)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long n = 0, nans = 0;
        foreach (double v in a.ToDoubles())
        {
            if (double.IsNaN(v)) { nans++; continue; }
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
            n++;
        }
        return n == 0 ? new Summary(double.NaN, double.NaN, double.NaN, nans) : new Summary(min, max, sum / n, nans);
    }
}
