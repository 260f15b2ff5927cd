using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralAtlas.IO;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code (0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32,
/// 0x0D f32, 0x0E f64), the number of dimensions, each dimension as a big-endian int32, then the big-endian data.
/// Files may be gzip-compressed (recognised by the gzip magic, not the name); offsets in errors then refer to the
/// decompressed stream. Data is returned as a little-endian <see cref="NdArray"/>.
/// </summary>
public static class Idx
{
    public static NdArray Read(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        bool gz = raw.Length >= 2 && raw[0] == 0x1F && raw[1] == 0x8B;
        string name = gz ? path + " (decompressed)" : path;
        return Parse(gz ? Gunzip(raw, path) : raw, name);
    }

    internal static byte[] Gunzip(byte[] raw, string path)
    {
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new AtlasFormatException(path, 0, $"an intact gzip stream ({e.Message})");
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new AtlasFormatException(path, raw.Length, $"a complete gzip stream ({e.Message})");
        }
    }

    public static NdArray Parse(ReadOnlySpan<byte> b, string name)
    {
        if (b.Length < 4) throw new AtlasFormatException(name, b.Length, "the 4-byte IDX magic (00 00 type ndim); the file is truncated");
        if (b[0] != 0 || b[1] != 0) throw new AtlasFormatException(name, b[0] != 0 ? 0 : 1, $"the IDX magic to start with two zero bytes, got {b[0]:X2} {b[1]:X2}");
        NdType t = b[2] switch
        {
            0x08 => NdType.UInt8,
            0x09 => NdType.Int8,
            0x0B => NdType.Int16,
            0x0C => NdType.Int32,
            0x0D => NdType.Float32,
            0x0E => NdType.Float64,
            _ => throw new AtlasFormatException(name, 2, $"an IDX type code 08, 09, 0B, 0C, 0D or 0E, not {b[2]:X2}"),
        };
        int rank = b[3];
        if (rank == 0) throw new AtlasFormatException(name, 3, "at least one IDX dimension");
        long dataStart = 4 + 4L * rank;
        if (b.Length < dataStart) throw new AtlasFormatException(name, b.Length, $"{rank} big-endian int32 dimensions after the magic; the file is truncated");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(b[(4 + 4 * i)..]);
            if (d < 0) throw new AtlasFormatException(name, 4 + 4 * i, $"a non-negative dimension, got {d}");
            shape[i] = d;
            count = checked(count * d);
        }
        long len = checked(count * t.ItemSize());
        long have = b.Length - dataStart;
        if (have < len) throw new AtlasFormatException(name, b.Length, $"{len} data bytes for shape {ShapeMismatchException.Format(shape)} from offset {dataStart}, but the file ends after {have}");
        if (have > len) throw new AtlasFormatException(name, dataStart + len, $"the end of the file after {len} data bytes ({have - len} extra bytes)");
        byte[] data = b.Slice((int)dataStart, (int)len).ToArray();
        NdArray.SwapInPlace(data, t.ItemSize());
        return new NdArray(t, shape, data);
    }

    public static void Write(string path, NdArray a, bool gzip = false)
    {
        byte code = a.DType switch
        {
            NdType.UInt8 => 0x08,
            NdType.Int8 => 0x09,
            NdType.Int16 => 0x0B,
            NdType.Int32 => 0x0C,
            NdType.Float32 => 0x0D,
            NdType.Float64 => 0x0E,
            _ => throw new AtlasArgumentException("dtype", $"IDX holds u8, i8, i16, i32, f32 or f64, not {a.DType}"),
        };
        if (a.Rank is 0 or > 255) throw new AtlasArgumentException("shape", "IDX needs 1 to 255 dimensions");
        var head = new byte[4 + 4 * a.Rank];
        head[2] = code;
        head[3] = (byte)a.Rank;
        for (int i = 0; i < a.Rank; i++) BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(4 + 4 * i), a.Shape[i]);
        byte[] data = (byte[])a.Data.Clone();
        NdArray.SwapInPlace(data, a.DType.ItemSize());
        AtomicFile.Write(path, s =>
        {
            if (!gzip) { s.Write(head); s.Write(data); return; }
            using var gz = new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true);
            gz.Write(head);
            gz.Write(data);
        });
    }
}
