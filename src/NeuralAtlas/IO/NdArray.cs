using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// An array as a tensor file stores it: a shape, an element type, and the raw little-endian bytes in C (row-major)
/// order. Readers return it untouched so nothing is lost (int64 labels, float64 activations); callers convert
/// once with <see cref="ToTensor"/>, <see cref="ToDoubles"/>, <see cref="ToDMatrix"/> or <see cref="ToInt64s"/>.
/// </summary>
public sealed class NdArray
{
    public int[] Shape { get; }
    public NdType DType { get; }
    /// <summary>Little-endian element bytes in C order; exactly <see cref="Count"/> × item size long.</summary>
    public byte[] Data { get; }

    public long Count { get; }
    public int Rank => Shape.Length;

    public NdArray(NdType dtype, int[] shape, byte[] data)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ShapeMismatchException("NdArray", $"negative dimension in {ShapeMismatchException.Format(shape)}");
            n = checked(n * d);
        }
        if (data.LongLength != n * dtype.ItemSize())
            throw new ShapeMismatchException("NdArray", $"{dtype} {ShapeMismatchException.Format(shape)} needs {n * dtype.ItemSize()} bytes, got {data.LongLength}");
        DType = dtype;
        Shape = (int[])shape.Clone();
        Data = data;
        Count = n;
    }

    public static NdArray FromTensor(Tensor t) => From(t.Data, t.Shape);

    public static NdArray FromDoubles(double[] data, params int[] shape) => From(data, shape);

    public static NdArray FromInt64s(long[] data, params int[] shape) => From(data, shape);

    /// <summary>Wraps a typed array (float, double, Half, sbyte, byte, short, ushort, int, uint, long, ulong, bool).</summary>
    public static NdArray From<T>(T[] data, params int[] shape) where T : unmanaged
    {
        NdType dt = TypeOf<T>();
        byte[] bytes = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) SwapInPlace(bytes, dt.ItemSize());
        return new NdArray(dt, shape, bytes);
    }

    private static NdType TypeOf<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return NdType.Float32;
        if (typeof(T) == typeof(double)) return NdType.Float64;
        if (typeof(T) == typeof(Half)) return NdType.Float16;
        if (typeof(T) == typeof(sbyte)) return NdType.Int8;
        if (typeof(T) == typeof(byte)) return NdType.UInt8;
        if (typeof(T) == typeof(short)) return NdType.Int16;
        if (typeof(T) == typeof(ushort)) return NdType.UInt16;
        if (typeof(T) == typeof(int)) return NdType.Int32;
        if (typeof(T) == typeof(uint)) return NdType.UInt32;
        if (typeof(T) == typeof(long)) return NdType.Int64;
        if (typeof(T) == typeof(ulong)) return NdType.UInt64;
        if (typeof(T) == typeof(bool)) return NdType.Bool;
        throw new AtlasArgumentException("T", $"{typeof(T).Name} is not an element type tensor files can hold");
    }

    internal static void SwapInPlace(byte[] bytes, int itemSize)
    {
        if (itemSize == 1) return;
        for (int i = 0; i + itemSize <= bytes.Length; i += itemSize) Array.Reverse(bytes, i, itemSize);
    }

    /// <summary>Every element as a double (exact for all types except 64-bit integers beyond 2^53).</summary>
    public double[] ToDoubles()
    {
        var r = new double[Count];
        ReadOnlySpan<byte> b = Data;
        switch (DType)
        {
            case NdType.Float64: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]); break;
            case NdType.Float32: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]); break;
            case NdType.Float16: for (int i = 0; i < r.Length; i++) r[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]); break;
            case NdType.BFloat16: for (int i = 0; i < r.Length; i++) r[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..])); break;
            case NdType.Bool: for (int i = 0; i < r.Length; i++) r[i] = b[i] != 0 ? 1 : 0; break;
            case NdType.UInt8: for (int i = 0; i < r.Length; i++) r[i] = b[i]; break;
            case NdType.Int8: for (int i = 0; i < r.Length; i++) r[i] = (sbyte)b[i]; break;
            case NdType.UInt16: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]); break;
            case NdType.Int16: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt16LittleEndian(b[(2 * i)..]); break;
            case NdType.UInt32: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadUInt32LittleEndian(b[(4 * i)..]); break;
            case NdType.Int32: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(b[(4 * i)..]); break;
            case NdType.UInt64: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]); break;
            case NdType.Int64: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]); break;
        }
        return r;
    }

    /// <summary>A float32 tensor of the same shape (float64 and 64-bit integers are rounded to nearest float).</summary>
    public Tensor ToTensor()
    {
        if (DType == NdType.Float32)
        {
            var f = new float[Count];
            ReadOnlySpan<byte> b = Data;
            if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(b).CopyTo(f);
            else for (int i = 0; i < f.Length; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(4 * i)..]);
            return new Tensor(Shape, f);
        }
        double[] d = ToDoubles();
        var data = new float[d.Length];
        for (int i = 0; i < d.Length; i++) data[i] = (float)d[i];
        return new Tensor(Shape, data);
    }

    /// <summary>
    /// The array as an n×d double matrix: the first dimension is n and all trailing dimensions are flattened into d
    /// (a vector becomes n×1), which is how activations (N×C×H×W) enter the analyses.
    /// </summary>
    public DMatrix ToDMatrix()
    {
        if (Rank == 0) throw new AtlasArgumentException("array", "a scalar (shape ()) cannot be read as an n×d matrix");
        int n = Shape[0];
        long d = 1;
        for (int i = 1; i < Rank; i++) d *= Shape[i];
        if (d > int.MaxValue) throw new AtlasArgumentException("array", $"trailing dimensions {ShapeMismatchException.Format(Shape)} are too large for a matrix");
        return new DMatrix(n, (int)d, ToDoubles());
    }

    /// <summary>Every element as a 64-bit integer; floats must hold integral values, uint64 must fit in int64.</summary>
    public long[] ToInt64s()
    {
        var r = new long[Count];
        ReadOnlySpan<byte> b = Data;
        switch (DType)
        {
            case NdType.Int64: for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(8 * i)..]); return r;
            case NdType.UInt64:
                for (int i = 0; i < r.Length; i++)
                {
                    ulong u = BinaryPrimitives.ReadUInt64LittleEndian(b[(8 * i)..]);
                    if (u > long.MaxValue) throw new AtlasArgumentException("array", $"element {i} = {u} does not fit in int64");
                    r[i] = (long)u;
                }
                return r;
        }
        double[] d = ToDoubles();
        for (int i = 0; i < r.Length; i++)
        {
            if (DType.IsFloat() && (d[i] != Math.Floor(d[i]) || Math.Abs(d[i]) > 9.2e18))
                throw new AtlasArgumentException("array", $"element {i} = {d[i]} of a {DType} array is not an integer");
            r[i] = (long)d[i];
        }
        return r;
    }

    internal static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Round-to-nearest-even, as PyTorch converts float32 to bfloat16; NaN stays NaN.</summary>
    internal static ushort SingleToBFloat16(float f)
    {
        uint u = (uint)BitConverter.SingleToInt32Bits(f);
        if (float.IsNaN(f)) return (ushort)((u >> 16) | 0x40);
        u += 0x7FFF + ((u >> 16) & 1);
        return (ushort)(u >> 16);
    }

    public override string ToString() => $"{DType.NumpyName()} {ShapeMismatchException.Format(Shape)}";
}
