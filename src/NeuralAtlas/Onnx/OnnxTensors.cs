using System.Buffers.Binary;
using Google.Protobuf;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx.Proto;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Decodes ONNX TensorProtos (initializers, Constant values, tensor attributes) into <see cref="NdArray"/>s from
/// whichever place holds the data: raw_data (little-endian bytes), the typed fields (float_data, int32_data for the
/// small integer types, bool and float16/bfloat16 bits, int64_data, double_data, uint64_data for uint32/uint64), or
/// an external file named by external_data (location relative to the model's folder, offset, length).
/// </summary>
internal static class OnnxTensors
{
    public static string ElementTypeName(int t) => t switch
    {
        1 => "float32", 2 => "uint8", 3 => "int8", 4 => "uint16", 5 => "int16", 6 => "int32", 7 => "int64", 8 => "string",
        9 => "bool", 10 => "float16", 11 => "float64", 12 => "uint32", 13 => "uint64", 14 => "complex64", 15 => "complex128",
        16 => "bfloat16", 17 => "float8e4m3fn", 18 => "float8e4m3fnuz", 19 => "float8e5m2", 20 => "float8e5m2fnuz",
        21 => "uint4", 22 => "int4", 23 => "float4e2m1", 0 => "undefined",
        _ => $"type {t}",
    };

    public static NdType? ToNdType(int t) => t switch
    {
        1 => NdType.Float32, 2 => NdType.UInt8, 3 => NdType.Int8, 4 => NdType.UInt16, 5 => NdType.Int16, 6 => NdType.Int32,
        7 => NdType.Int64, 9 => NdType.Bool, 10 => NdType.Float16, 11 => NdType.Float64, 12 => NdType.UInt32,
        13 => NdType.UInt64, 16 => NdType.BFloat16,
        _ => null,
    };

    public static int FromNdType(NdType t) => t switch
    {
        NdType.Float32 => 1, NdType.UInt8 => 2, NdType.Int8 => 3, NdType.UInt16 => 4, NdType.Int16 => 5, NdType.Int32 => 6,
        NdType.Int64 => 7, NdType.Bool => 9, NdType.Float16 => 10, NdType.Float64 => 11, NdType.UInt32 => 12,
        NdType.UInt64 => 13, _ => 16,
    };

    /// <param name="file">The model file (errors name it; external data is found beside it).</param>
    /// <param name="where">Which tensor this is, for errors ("initializer 'fc.weight'").</param>
    public static NdArray Decode(TensorProto t, string file, string where)
    {
        var type = ToNdType(t.DataType)
                   ?? throw new AtlasFormatException(file, 0, $"{where}: a numeric tensor type, not {ElementTypeName(t.DataType)}", "tensor");
        if (t.Segment is not null) throw new AtlasFormatException(file, 0, $"{where}: a whole tensor (segmented tensors are not supported)", "tensor");
        var shape = new int[t.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = t.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new AtlasFormatException(file, 0, $"{where}: dimensions in [0, 2^31), got {d}", "tensor");
            shape[i] = (int)d;
            count = checked(count * d);
        }
        int size = type.ItemSize();
        long bytes = checked(count * size);
        if (bytes > Array.MaxLength) throw new AtlasFormatException(file, 0, $"{where}: a tensor under 2 GB", "tensor");

        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            return new NdArray(type, shape, ReadExternal(t, file, where, bytes));
        if (t.HasRawData)
        {
            if (t.RawData.Length != bytes)
                throw new AtlasFormatException(file, 0, $"{where}: {bytes} bytes of raw_data for {ElementTypeName(t.DataType)} {ShapeMismatchException.Format(shape)}, got {t.RawData.Length}", "tensor");
            return new NdArray(type, shape, t.RawData.ToByteArray());
        }

        var data = new byte[bytes];
        void Need(int have, string field)
        {
            if (have != count)
                throw new AtlasFormatException(file, 0, $"{where}: {count} values in {field} for shape {ShapeMismatchException.Format(shape)}, got {have}", "tensor");
        }
        switch (type)
        {
            case NdType.Float32:
                Need(t.FloatData.Count, "float_data");
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), t.FloatData[i]);
                break;
            case NdType.Float64:
                Need(t.DoubleData.Count, "double_data");
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), t.DoubleData[i]);
                break;
            case NdType.Int64:
                Need(t.Int64Data.Count, "int64_data");
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8 * i), t.Int64Data[i]);
                break;
            case NdType.UInt32:
            case NdType.UInt64:
                Need(t.Uint64Data.Count, "uint64_data");
                for (int i = 0; i < count; i++)
                {
                    if (type == NdType.UInt32) BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4 * i), checked((uint)t.Uint64Data[i]));
                    else BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8 * i), t.Uint64Data[i]);
                }
                break;
            default:
                // int32_data carries int32 and, widened, every smaller type: int8/16, uint8/16, bool, and the bit
                // patterns of float16 / bfloat16.
                Need(t.Int32Data.Count, "int32_data");
                for (int i = 0; i < count; i++)
                {
                    int v = t.Int32Data[i];
                    switch (size)
                    {
                        case 4: BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * i), v); break;
                        case 2: BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), unchecked((ushort)v)); break;
                        default: data[i] = unchecked((byte)v); break;
                    }
                }
                break;
        }
        return new NdArray(type, shape, data);
    }

    private static byte[] ReadExternal(TensorProto t, string file, string where, long bytes)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var kv in t.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset":
                    if (!long.TryParse(kv.Value, out offset) || offset < 0) throw new AtlasFormatException(file, 0, $"{where}: a non-negative external_data offset, got '{kv.Value}'", "tensor");
                    break;
                case "length":
                    if (!long.TryParse(kv.Value, out length) || length < 0) throw new AtlasFormatException(file, 0, $"{where}: a non-negative external_data length, got '{kv.Value}'", "tensor");
                    break;
            }
        }
        if (string.IsNullOrEmpty(location)) throw new AtlasFormatException(file, 0, $"{where}: an external_data 'location'", "tensor");
        // The specification makes location relative to the model's folder; refuse anything that escapes it.
        if (Path.IsPathRooted(location) || location.Replace('\\', '/').Split('/').Contains(".."))
            throw new AtlasFormatException(file, 0, $"{where}: an external_data location inside the model's folder, not '{location}'", "tensor");
        string dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        string path = Path.Combine(dir, location);
        if (!File.Exists(path))
            throw new AtlasFormatException(file, 0, $"{where}: its external data file {path} (missing; keep it beside the model)", "tensor");
        if (length < 0) length = bytes;
        if (length != bytes)
            throw new AtlasFormatException(file, 0, $"{where}: external_data length {bytes} for its shape, got {length}", "tensor");
        using var fs = File.OpenRead(path);
        if (offset + length > fs.Length)
            throw new AtlasFormatException(path, fs.Length, $"{length} bytes at offset {offset} for {where} of {file}, but the file ends first");
        var data = new byte[length];
        fs.Position = offset;
        fs.ReadExactly(data);
        return data;
    }

    public static TensorProto Encode(string name, NdArray a)
    {
        var t = new TensorProto { Name = name, DataType = FromNdType(a.DType), RawData = ByteString.CopyFrom(a.Data) };
        foreach (int d in a.Shape) t.Dims.Add(d);
        return t;
    }
}
