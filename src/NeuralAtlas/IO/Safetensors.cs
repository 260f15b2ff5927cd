using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>What a safetensors file holds: tensors in file order and the optional string→string metadata.</summary>
public sealed record SafetensorsContent(OrderedDictionary<string, NdArray> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping
/// each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the byte buffer that
/// follows the header) plus an optional "__metadata__" object of strings, then the buffer. As in the reference
/// implementation, a file is valid only if the header is at most 100 MB, starts with '{', and the tensors tile the
/// buffer exactly: sorted by offset they start at 0, each begins where the previous ends (no overlap, no gap),
/// each spans exactly numel × itemsize bytes, and the last ends at the end of the file.
/// Checkpoints are safetensors of a state dict (see <see cref="Checkpoint"/>).
/// </summary>
public static class Safetensors
{
    public const long MaxHeaderBytes = 100_000_000;

    public static SafetensorsContent Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file", path);
        if (info.Length > Array.MaxLength) throw new AtlasFormatException(path, 0, "a safetensors file under 2 GB (larger files are not supported)");
        return Parse(File.ReadAllBytes(path), path);
    }

    private sealed record Entry(string Name, NdType Type, int[] Shape, ulong Begin, ulong End, long At);

    public static SafetensorsContent Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 8) throw new AtlasFormatException(name, bytes.Length, "the 8-byte little-endian header length (file is truncated)");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes) throw new AtlasFormatException(name, 0, $"a header length of at most {MaxHeaderBytes} bytes, not {n}");
        if (n < 2) throw new AtlasFormatException(name, 0, $"a header length of at least 2 bytes ({{}}), not {n}");
        if (8 + (long)n > bytes.Length)
            throw new AtlasFormatException(name, bytes.Length, $"a {n}-byte JSON header (declared at offset 0), but the file ends after {bytes.Length - 8} bytes of it");
        var header = bytes.Slice(8, (int)n);
        if (header[0] != (byte)'{') throw new AtlasFormatException(name, 8, "'{' starting the JSON header");

        var (entries, metadata) = ParseHeader(header, name);
        long dataStart = 8 + (long)n;
        ulong bufLen = (ulong)(bytes.Length - dataStart);

        foreach (var e in entries)
        {
            if (e.End < e.Begin) throw new AtlasFormatException(name, e.At, $"data_offsets [begin, end] with begin ≤ end for '{e.Name}', got [{e.Begin}, {e.End}]");
            ulong count = 1;
            foreach (int d in e.Shape) count = checked(count * (ulong)d);
            ulong need = count * (ulong)e.Type.ItemSize();
            if (e.End - e.Begin != need)
                throw new AtlasFormatException(name, e.At, $"'{e.Name}' ({e.Type.SafetensorsName()} {ShapeMismatchException.Format(e.Shape)}) to span {need} bytes, but data_offsets [{e.Begin}, {e.End}] span {e.End - e.Begin}");
        }
        // The tensors must tile the buffer: sorted by offset, no overlap, no gap, nothing outside.
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        ulong expected = 0;
        Entry? prev = null;
        foreach (var e in sorted)
        {
            if (e.Begin < expected)
                throw new AtlasFormatException(name, e.At, $"non-overlapping tensors: '{e.Name}' [{e.Begin}, {e.End}) overlaps '{prev!.Name}' [{prev.Begin}, {prev.End})");
            if (e.Begin > expected)
                throw new AtlasFormatException(name, e.At, $"'{e.Name}' to begin at buffer offset {expected} where the previous tensor ends, not {e.Begin} (a gap of {e.Begin - expected} bytes)");
            if (e.End > bufLen)
                throw new AtlasFormatException(name, e.At, $"'{e.Name}' data_offsets [{e.Begin}, {e.End}] within the {bufLen}-byte data buffer (file offset {dataStart}..{bytes.Length})");
            expected = e.End;
            prev = e;
        }
        if (expected != bufLen)
            throw new AtlasFormatException(name, dataStart + (long)expected, $"the end of the file after the last tensor ({bufLen - expected} bytes are not covered by any tensor)");

        var tensors = new OrderedDictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var e in entries)
            tensors.Add(e.Name, new NdArray(e.Type, e.Shape, bytes.Slice((int)(dataStart + (long)e.Begin), (int)(e.End - e.Begin)).ToArray()));
        return new SafetensorsContent(tensors, metadata);
    }

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(ReadOnlySpan<byte> header, string name)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var r = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            r.Read();
            if (r.TokenType != JsonTokenType.StartObject) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), "a JSON object as the header");
            while (true)
            {
                Next(ref r, name);
                if (r.TokenType == JsonTokenType.EndObject) break;
                string key = r.GetString()!;
                long keyAt = (8 + r.TokenStartIndex);
                if (!seen.Add(key)) throw new AtlasFormatException(name, keyAt, $"each name once in the header ('{key}' repeats)");
                Next(ref r, name);
                if (key == "__metadata__")
                {
                    if (r.TokenType == JsonTokenType.Null) continue;
                    if (r.TokenType != JsonTokenType.StartObject) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), "__metadata__ to be an object of strings");
                    while (true)
                    {
                        Next(ref r, name);
                        if (r.TokenType == JsonTokenType.EndObject) break;
                        string mk = r.GetString()!;
                        Next(ref r, name);
                        if (r.TokenType != JsonTokenType.String) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"a string value for __metadata__ key '{mk}'");
                        metadata[mk] = r.GetString()!;
                    }
                    continue;
                }
                if (r.TokenType != JsonTokenType.StartObject) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"an object {{dtype, shape, data_offsets}} for tensor '{key}'");
                string? dtype = null;
                long dtypeAt = keyAt;
                List<int>? shape = null;
                ulong[]? offsets = null;
                while (true)
                {
                    Next(ref r, name);
                    if (r.TokenType == JsonTokenType.EndObject) break;
                    string field = r.GetString()!;
                    long fieldAt = (8 + r.TokenStartIndex);
                    Next(ref r, name);
                    switch (field)
                    {
                        case "dtype":
                            if (r.TokenType != JsonTokenType.String) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"a string dtype for '{key}'");
                            dtype = r.GetString();
                            dtypeAt = (8 + r.TokenStartIndex);
                            break;
                        case "shape":
                            shape = new List<int>();
                            if (r.TokenType != JsonTokenType.StartArray) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"an array shape for '{key}'");
                            while (true)
                            {
                                Next(ref r, name);
                                if (r.TokenType == JsonTokenType.EndArray) break;
                                if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out int d) || d < 0)
                                    throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"shape entries of '{key}' to be integers in [0, 2^31)");
                                shape.Add(d);
                            }
                            break;
                        case "data_offsets":
                            if (r.TokenType != JsonTokenType.StartArray) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"data_offsets [begin, end] for '{key}'");
                            var offs = new List<ulong>();
                            while (true)
                            {
                                Next(ref r, name);
                                if (r.TokenType == JsonTokenType.EndArray) break;
                                if (r.TokenType != JsonTokenType.Number || !r.TryGetUInt64(out ulong o))
                                    throw new AtlasFormatException(name, (8 + r.TokenStartIndex), $"data_offsets of '{key}' to be non-negative integers");
                                offs.Add(o);
                            }
                            if (offs.Count != 2) throw new AtlasFormatException(name, fieldAt, $"exactly two data_offsets [begin, end] for '{key}', got {offs.Count}");
                            offsets = offs.ToArray();
                            break;
                        default:
                            throw new AtlasFormatException(name, fieldAt, $"only dtype, shape and data_offsets in the entry of '{key}', not '{field}'");
                    }
                }
                if (dtype is null || shape is null || offsets is null)
                    throw new AtlasFormatException(name, keyAt, $"dtype, shape and data_offsets for '{key}' ({(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")} is missing)");
                var t = NdTypes.FromSafetensorsName(dtype)
                        ?? throw new AtlasFormatException(name, dtypeAt, $"a dtype among BOOL, U8, I8, U16, I16, U32, I32, U64, I64, F16, BF16, F32, F64 for '{key}', not '{dtype}'");
                entries.Add(new Entry(key, t, shape.ToArray(), offsets[0], offsets[1], keyAt));
            }
            // Only padding may follow the object (the reference writer pads with spaces).
            if (r.Read()) throw new AtlasFormatException(name, (8 + r.TokenStartIndex), "only whitespace after the JSON header object");
        }
        catch (JsonException e)
        {
            throw new AtlasFormatException(name, 8 + r.BytesConsumed, $"valid JSON in the header ({FirstSentence(e.Message)})");
        }
        return (entries, metadata);
    }

    private static void Next(ref Utf8JsonReader r, string name)
    {
        if (!r.Read()) throw new AtlasFormatException(name, 8 + r.BytesConsumed, "more JSON: the header ends inside an object");
    }

    private static string FirstSentence(string m)
    {
        int i = m.IndexOf(". ", StringComparison.Ordinal);
        return i < 0 ? m.TrimEnd('.') : m[..i];
    }

    public static void Write(string path, IEnumerable<KeyValuePair<string, NdArray>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        byte[] header = BuildHeader(tensors.ToList(), metadata, out var list);
        AtomicFile.Write(path, s =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            s.Write(len);
            s.Write(header);
            foreach (var (_, a) in list) s.Write(a.Data);
        });
    }

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(kv => KeyValuePair.Create(kv.Key, NdArray.FromTensor(kv.Value))), metadata);

    private static byte[] BuildHeader(List<KeyValuePair<string, NdArray>> list, IReadOnlyDictionary<string, string>? metadata,
        out List<KeyValuePair<string, NdArray>> ordered)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, _) in list)
        {
            if (k == "__metadata__") throw new AtlasArgumentException("tensors", "'__metadata__' is reserved and cannot name a tensor");
            if (!seen.Add(k)) throw new AtlasArgumentException("tensors", $"the name '{k}' appears twice");
        }
        ordered = list;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            ulong off = 0;
            foreach (var (k, a) in list)
            {
                w.WriteStartObject(k);
                w.WriteString("dtype", a.DType.SafetensorsName());
                w.WriteStartArray("shape");
                foreach (int d in a.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(off);
                off += (ulong)a.Data.LongLength;
                w.WriteNumberValue(off);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // Pad with spaces so the data buffer starts 8-byte aligned, as the reference writer does.
        int len = (int)ms.Length;
        int padded = (len + 7) / 8 * 8;
        var header = new byte[padded];
        ms.GetBuffer().AsSpan(0, len).CopyTo(header);
        header.AsSpan(len).Fill((byte)' ');
        if (header.Length > MaxHeaderBytes) throw new AtlasArgumentException("tensors", "the header would exceed 100 MB");
        return header;
    }
}
