using System.IO.Compression;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// numpy's .npz: a zip archive of .npy files, one per array, named "KEY.npy" (numpy.savez stores them,
/// numpy.savez_compressed deflates them; both read). Keys keep the archive's order. Errors inside an array name
/// "archive.npz[KEY.npy]" and the byte offset within that entry.
/// </summary>
public static class Npz
{
    public static OrderedDictionary<string, NdArray> Read(string path)
    {
        using var fs = File.OpenRead(path);
        if (fs.Length < 4) throw new AtlasFormatException(path, fs.Length, "a zip archive (npz); the file is shorter than a zip signature");
        Span<byte> sig = stackalloc byte[4];
        fs.ReadExactly(sig);
        // Local file header, or the end-of-central-directory record of an empty archive.
        if (!(sig[0] == 'P' && sig[1] == 'K' && ((sig[2] == 3 && sig[3] == 4) || (sig[2] == 5 && sig[3] == 6))))
            throw new AtlasFormatException(path, 0, "the zip signature PK\\x03\\x04 of an npz archive");
        fs.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(fs, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            throw new AtlasFormatException(path, fs.Length, $"a valid zip central directory at the end of the npz archive ({e.Message})");
        }
        using (zip)
        {
            var result = new OrderedDictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                string key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                string where = $"{path}[{entry.FullName}]";
                if (entry.Length > Array.MaxLength) throw new AtlasFormatException(where, 0, "an array under 2 GB");
                byte[] bytes;
                try
                {
                    using var es = entry.Open();
                    using var ms = new MemoryStream((int)Math.Max(0, entry.Length));
                    es.CopyTo(ms);
                    bytes = ms.ToArray();
                }
                catch (InvalidDataException e)
                {
                    throw new AtlasFormatException(where, 0, $"an intact zip entry ({e.Message})");
                }
                if (!result.TryAdd(key, Npy.Parse(bytes, where)))
                    throw new AtlasFormatException(where, 0, $"each key once in the npz archive ('{key}' repeats)");
            }
            return result;
        }
    }

    /// <summary>Writes arrays as KEY.npy entries, stored (like numpy.savez) or deflated (like savez_compressed).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> entries, bool compress = false)
    {
        var list = entries.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, _) in list)
        {
            if (string.IsNullOrEmpty(k)) throw new AtlasArgumentException("entries", "an npz key must not be empty");
            if (!seen.Add(k)) throw new AtlasArgumentException("entries", $"the key '{k}' appears twice");
        }
        AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (k, a) in list)
            {
                var e = zip.CreateEntry(k + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var es = e.Open();
                Npy.WriteTo(es, a);
            }
        });
    }

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> entries, bool compress = false) =>
        Write(path, entries.Select(kv => KeyValuePair.Create(kv.Key, NdArray.FromTensor(kv.Value))), compress);
}
