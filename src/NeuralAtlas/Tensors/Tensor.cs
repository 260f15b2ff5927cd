namespace NeuralAtlas.Tensors;

/// <summary>
/// An N-d float32 tensor, row-major and always contiguous: <see cref="Data"/> holds exactly
/// <see cref="Numel"/> values in C order. Operations never return views, so a tensor owns its storage
/// (permute/transpose copy). Other parts of the class live beside this file, one concept each.
/// </summary>
public sealed partial class Tensor
{
    public int[] Shape { get; }
    public float[] Data { get; }

    public int Rank => Shape.Length;
    public int Numel => Data.Length;
    public Span<float> Span => Data;

    public Tensor(int[] shape, float[] data)
    {
        long n = ShapeSize(shape);
        if (data.Length != n)
            throw new ShapeMismatchException("Tensor", $"shape {ShapeMismatchException.Format(shape)} needs {n} values, got {data.Length}");
        Shape = (int[])shape.Clone();
        Data = data;
    }

    public Tensor(params int[] shape) : this(shape, new float[checked((int)ShapeSize(shape))]) { }

    public static long ShapeSize(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ShapeMismatchException("Tensor", $"negative dimension in {ShapeMismatchException.Format(shape)}");
            n = checked(n * d);
        }
        return n;
    }

    public static Tensor Zeros(params int[] shape) => new(shape);

    public static Tensor Full(int[] shape, float value)
    {
        var t = new Tensor(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    public static Tensor Scalar(float value) => new(Array.Empty<int>(), new[] { value });

    public static Tensor FromArray(float[] data, params int[] shape) => new(shape, data);

    /// <summary>Size of dimension <paramref name="dim"/>; negative counts from the end, as in PyTorch.</summary>
    public int Dim(int dim) => Shape[NormalizeAxis(dim, Rank)];

    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1) || (rank == 0 && a != 0))
            throw new AtlasArgumentException("axis", $"{axis} is out of range for a tensor of rank {rank}");
        return a;
    }

    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= Shape[i]; }
        return s;
    }

    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    private int Offset(int[] index)
    {
        if (index.Length != Rank)
            throw new AtlasArgumentException("index", $"{index.Length} indices for a tensor of rank {Rank}");
        int off = 0;
        for (int i = 0; i < Rank; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i])
                throw new AtlasArgumentException("index", $"index {index[i]} out of range for dimension {i} of size {Shape[i]}");
            off = off * Shape[i] + index[i];
        }
        return off;
    }

    /// <summary>Same data, new shape (one dimension may be -1). Copies nothing only in the sense of layout: the data array is shared.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ShapeMismatchException("reshape", "only one dimension can be -1");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Numel % known != 0)
                throw new ShapeMismatchException("reshape", Shape, shape, $"cannot infer the -1 dimension for {Numel} values");
            s[infer] = (int)(Numel / known);
        }
        if (ShapeSize(s) != Numel) throw new ShapeMismatchException("reshape", Shape, shape, $"{Numel} values do not fit");
        return new Tensor(s, Data);
    }

    public Tensor Clone() => new(Shape, (float[])Data.Clone());

    public bool SameShape(Tensor other) => Shape.AsSpan().SequenceEqual(other.Shape);

    public override string ToString() => $"Tensor{ShapeMismatchException.Format(Shape)}";
}
