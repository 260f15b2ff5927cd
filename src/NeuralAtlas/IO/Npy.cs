using System.Buffers.Binary;
using System.Text;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// numpy's .npy format (format versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a version, a little-endian
/// header length (2 bytes in v1, 4 in v2/v3), a Python-dict header {'descr', 'fortran_order', 'shape'} and the raw
/// data. Reading accepts little- and big-endian dtypes and Fortran order, and always returns little-endian C order:
/// a fortran_order array is reordered so that element [i, j, ...] is the same as numpy's, with the same shape.
/// Writing produces version 1.0 (2.0 when the header does not fit in 65535 bytes), little-endian, C order.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    public static NdArray Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses an npy image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static NdArray Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            int n = Math.Min(bytes.Length, Magic.Length);
            int bad = 0;
            while (bad < n && bytes[bad] == Magic[bad]) bad++;
            throw new AtlasFormatException(name, bad, bad == bytes.Length ? "the npy magic \\x93NUMPY (file is truncated)" : "the npy magic \\x93NUMPY");
        }
        if (bytes.Length < 8) throw new AtlasFormatException(name, bytes.Length, "the 2-byte npy format version (file is truncated)");
        int major = bytes[6], minor = bytes[7];
        if (major is < 1 or > 3) throw new AtlasFormatException(name, 6, $"npy format version 1, 2 or 3, not {major}.{minor}");
        if (minor != 0) throw new AtlasFormatException(name, 7, $"npy format minor version 0, not {major}.{minor}");
        int lenSize = major == 1 ? 2 : 4;
        if (bytes.Length < 8 + lenSize) throw new AtlasFormatException(name, bytes.Length, $"the {lenSize}-byte npy header length (file is truncated)");
        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        long headerStart = 8 + lenSize;
        if (headerStart + headerLen > bytes.Length)
            throw new AtlasFormatException(name, bytes.Length, $"a {headerLen}-byte npy header (declared at offset 8) but the file ends first");
        if (headerLen > 100_000_000) throw new AtlasFormatException(name, 8, $"an npy header length under 100 MB, not {headerLen}");

        var headerBytes = bytes.Slice((int)headerStart, (int)headerLen);
        string header;
        try
        {
            header = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AtlasFormatException(name, headerStart, "a UTF-8 npy header (version 3.0)");
        }
        var dict = PyLiteral.ParseDict(header, name, headerStart);

        var (descr, descrAt) = Required(dict, "descr", name, headerStart);
        if (descr is not string ds) throw new AtlasFormatException(name, descrAt, "'descr' to be a simple dtype string such as '<f4' (structured dtypes are not supported)");
        var (dtype, bigEndian) = ParseDescr(ds, name, descrAt);
        var (fo, foAt) = Required(dict, "fortran_order", name, headerStart);
        if (fo is not bool fortran) throw new AtlasFormatException(name, foAt, "'fortran_order' to be True or False");
        var (sh, shAt) = Required(dict, "shape", name, headerStart);
        if (sh is not List<object?> dims) throw new AtlasFormatException(name, shAt, "'shape' to be a tuple of integers");
        var shape = new int[dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not long d || d < 0 || d > int.MaxValue)
                throw new AtlasFormatException(name, shAt, $"'shape' entries to be integers in [0, 2^31), entry {i} is {dims[i] ?? "None"}");
            shape[i] = (int)d;
            count = checked(count * d);
        }

        long dataStart = headerStart + headerLen;
        long dataLen = checked(count * dtype.ItemSize());
        long have = bytes.Length - dataStart;
        if (have < dataLen)
            throw new AtlasFormatException(name, bytes.Length, $"{dataLen} data bytes for {ds} {ShapeMismatchException.Format(shape)} starting at offset {dataStart}, but the file ends after {have}");
        if (have > dataLen)
            throw new AtlasFormatException(name, dataStart + dataLen, $"the end of the file after {dataLen} data bytes for {ds} {ShapeMismatchException.Format(shape)} ({have - dataLen} extra bytes)");
        if (dataLen > Array.MaxLength) throw new AtlasFormatException(name, dataStart, "an array under 2 GB");

        byte[] data = bytes.Slice((int)dataStart, (int)dataLen).ToArray();
        if (bigEndian) NdArray.SwapInPlace(data, dtype.ItemSize());
        if (fortran && shape.Length > 1) data = FortranToC(data, shape, dtype.ItemSize());
        return new NdArray(dtype, shape, data);
    }

    private static (object? Value, long Offset) Required(Dictionary<string, (object?, long)> d, string key, string name, long at) =>
        d.TryGetValue(key, out var v) ? v : throw new AtlasFormatException(name, at, $"the key '{key}' in the npy header dict");

    internal static (NdType Type, bool BigEndian) ParseDescr(string descr, string name, long at)
    {
        if (descr.Length < 2) throw new AtlasFormatException(name, at, $"a dtype string such as '<f4', not '{descr}'");
        char order = descr[0];
        string code = descr;
        if (order is '<' or '>' or '|' or '=') code = descr[1..];
        else order = '=';
        NdType? t = code switch
        {
            "b1" or "?" => NdType.Bool,
            "u1" => NdType.UInt8,
            "i1" => NdType.Int8,
            "u2" => NdType.UInt16,
            "i2" => NdType.Int16,
            "u4" => NdType.UInt32,
            "i4" => NdType.Int32,
            "u8" => NdType.UInt64,
            "i8" => NdType.Int64,
            "f2" => NdType.Float16,
            "f4" => NdType.Float32,
            "f8" => NdType.Float64,
            _ => null,
        };
        if (t is null)
            throw new AtlasFormatException(name, at, $"a numeric dtype (b1, i1/i2/i4/i8, u1/u2/u4/u8, f2/f4/f8), not '{descr}'");
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        return (t.Value, big && t.Value.ItemSize() > 1);
    }

    /// <summary>Reorders column-major element bytes into row-major order for the same shape.</summary>
    private static byte[] FortranToC(byte[] src, int[] shape, int itemSize)
    {
        int rank = shape.Length;
        long count = src.LongLength / itemSize;
        var dst = new byte[src.Length];
        var fStride = new long[rank];
        long acc = 1;
        for (int i = 0; i < rank; i++) { fStride[i] = acc; acc *= shape[i]; }
        var idx = new int[rank];
        long f = 0;
        for (long c = 0; c < count; c++)
        {
            Buffer.BlockCopy(src, (int)(f * itemSize), dst, (int)(c * itemSize), itemSize);
            // Advance the C-order index (last dimension fastest) and track the Fortran offset with it.
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                f += fStride[d];
                if (idx[d] < shape[d]) break;
                f -= fStride[d] * idx[d];
                idx[d] = 0;
            }
        }
        return dst;
    }

    public static void Write(string path, Tensor t) => Write(path, NdArray.FromTensor(t));

    public static void Write(string path, double[] data, int[] shape) => Write(path, NdArray.FromDoubles(data, shape));

    public static void Write(string path, NdArray a) => AtomicFile.Write(path, s => WriteTo(s, a));

    public static byte[] ToBytes(NdArray a)
    {
        using var ms = new MemoryStream();
        WriteTo(ms, a);
        return ms.ToArray();
    }

    public static void WriteTo(Stream s, NdArray a)
    {
        if (a.DType == NdType.BFloat16)
            throw new AtlasArgumentException("dtype", "numpy has no bfloat16; convert to float32 (ToTensor) before writing npy");
        string descr = (a.DType.ItemSize() == 1 ? "|" : "<") + a.DType.NumpyName();
        string shape = a.Rank == 1 ? $"({a.Shape[0]},)" : "(" + string.Join(", ", a.Shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int major = 1;
        int prefix = 10;
        // numpy pads so that the data starts at a multiple of 64 bytes, and ends the header with '\n'.
        int total = prefix + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        if (padded - prefix > ushort.MaxValue)
        {
            major = 2;
            prefix = 12;
            total = prefix + dict.Length + 1;
            padded = (total + 63) / 64 * 64;
        }
        int headerLen = padded - prefix;
        var head = new byte[padded];
        Magic.CopyTo(head, 0);
        head[6] = (byte)major;
        head[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(8), (ushort)headerLen);
        else BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), (uint)headerLen);
        Encoding.ASCII.GetBytes(dict, head.AsSpan(prefix));
        head.AsSpan(prefix + dict.Length, padded - prefix - dict.Length - 1).Fill((byte)' ');
        head[padded - 1] = (byte)'\n';
        s.Write(head);
        s.Write(a.Data);
    }
}
