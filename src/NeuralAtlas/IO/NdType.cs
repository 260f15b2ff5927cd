namespace NeuralAtlas.IO;

/// <summary>
/// Element types that the tensor file formats (npy/npz, safetensors, IDX) carry. Values are kept in their stored
/// type by <see cref="NdArray"/> and converted only when asked, so integer data (labels, counters) stays exact.
/// </summary>
public enum NdType
{
    Bool,
    UInt8,
    Int8,
    UInt16,
    Int16,
    UInt32,
    Int32,
    UInt64,
    Int64,
    Float16,
    BFloat16,
    Float32,
    Float64,
}

public static class NdTypes
{
    public static int ItemSize(this NdType t) => t switch
    {
        NdType.Bool or NdType.UInt8 or NdType.Int8 => 1,
        NdType.UInt16 or NdType.Int16 or NdType.Float16 or NdType.BFloat16 => 2,
        NdType.UInt32 or NdType.Int32 or NdType.Float32 => 4,
        _ => 8,
    };

    public static bool IsFloat(this NdType t) => t is NdType.Float16 or NdType.BFloat16 or NdType.Float32 or NdType.Float64;

    /// <summary>numpy's short name (the dtype string without byte order), e.g. "f4"; bfloat16 has none in numpy.</summary>
    public static string NumpyName(this NdType t) => t switch
    {
        NdType.Bool => "b1",
        NdType.UInt8 => "u1",
        NdType.Int8 => "i1",
        NdType.UInt16 => "u2",
        NdType.Int16 => "i2",
        NdType.UInt32 => "u4",
        NdType.Int32 => "i4",
        NdType.UInt64 => "u8",
        NdType.Int64 => "i8",
        NdType.Float16 => "f2",
        NdType.Float32 => "f4",
        NdType.Float64 => "f8",
        _ => "bf16",
    };

    /// <summary>The safetensors dtype string ("F32", "BOOL", ...).</summary>
    public static string SafetensorsName(this NdType t) => t switch
    {
        NdType.Bool => "BOOL",
        NdType.UInt8 => "U8",
        NdType.Int8 => "I8",
        NdType.UInt16 => "U16",
        NdType.Int16 => "I16",
        NdType.UInt32 => "U32",
        NdType.Int32 => "I32",
        NdType.UInt64 => "U64",
        NdType.Int64 => "I64",
        NdType.Float16 => "F16",
        NdType.BFloat16 => "BF16",
        NdType.Float32 => "F32",
        _ => "F64",
    };

    public static NdType? FromSafetensorsName(string s) => s switch
    {
        "BOOL" => NdType.Bool,
        "U8" => NdType.UInt8,
        "I8" => NdType.Int8,
        "U16" => NdType.UInt16,
        "I16" => NdType.Int16,
        "U32" => NdType.UInt32,
        "I32" => NdType.Int32,
        "U64" => NdType.UInt64,
        "I64" => NdType.Int64,
        "F16" => NdType.Float16,
        "BF16" => NdType.BFloat16,
        "F32" => NdType.Float32,
        "F64" => NdType.Float64,
        _ => null,
    };
}
