using NeuralAtlas.Tensors;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>
/// A dense double-precision matrix, row-major: the type analyses use where cancellation matters (CKA, CCA,
/// distances for persistence, spectra). Models compute in float32 <see cref="Tensor"/>s; analyses convert once
/// with <see cref="FromTensor"/>. Products, SVD and symmetric eigendecomposition are in <see cref="Blas"/> and
/// <see cref="Decompositions"/>.
/// </summary>
public sealed class DMatrix
{
    public int Rows { get; }
    public int Cols { get; }
    public double[] Data { get; }

    public DMatrix(int rows, int cols)
    {
        if (rows < 0 || cols < 0) throw new AtlasArgumentException("shape", $"negative matrix size {rows}×{cols}");
        Rows = rows;
        Cols = cols;
        Data = new double[checked(rows * cols)];
    }

    public DMatrix(int rows, int cols, double[] data)
    {
        if (data.Length != (long)rows * cols)
            throw new ShapeMismatchException("DMatrix", $"{rows}×{cols} needs {(long)rows * cols} values, got {data.Length}");
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public double this[int i, int j]
    {
        get => Data[i * Cols + j];
        set => Data[i * Cols + j] = value;
    }

    public Span<double> Row(int i) => Data.AsSpan(i * Cols, Cols);

    public static DMatrix FromRows(double[][] rows)
    {
        int r = rows.Length, c = r == 0 ? 0 : rows[0].Length;
        var m = new DMatrix(r, c);
        for (int i = 0; i < r; i++)
        {
            if (rows[i].Length != c) throw new ShapeMismatchException("DMatrix.FromRows", $"row {i} has {rows[i].Length} values, row 0 has {c}");
            rows[i].CopyTo(m.Row(i));
        }
        return m;
    }

    public static DMatrix FromArray(double[,] a)
    {
        var m = new DMatrix(a.GetLength(0), a.GetLength(1));
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Cols; j++) m[i, j] = a[i, j];
        return m;
    }

    /// <summary>An n×d matrix from a tensor: the first dimension is n, the rest are flattened.</summary>
    public static DMatrix FromTensor(Tensor t)
    {
        if (t.Rank == 0) throw new ShapeMismatchException("DMatrix.FromTensor", "a scalar is not a matrix");
        int n = t.Shape[0];
        int d = n == 0 ? 0 : t.Numel / n;
        var m = new DMatrix(n, d);
        for (int i = 0; i < t.Numel; i++) m.Data[i] = t.Data[i];
        return m;
    }

    public Tensor ToTensor()
    {
        var t = new Tensor(Rows, Cols);
        for (int i = 0; i < Data.Length; i++) t.Data[i] = (float)Data[i];
        return t;
    }

    public static DMatrix Identity(int n)
    {
        var m = new DMatrix(n, n);
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    public DMatrix Clone() => new(Rows, Cols, (double[])Data.Clone());

    public DMatrix Transpose()
    {
        var t = new DMatrix(Cols, Rows);
        const int B = 32;
        for (int i0 = 0; i0 < Rows; i0 += B)
            for (int j0 = 0; j0 < Cols; j0 += B)
                for (int i = i0; i < Math.Min(i0 + B, Rows); i++)
                    for (int j = j0; j < Math.Min(j0 + B, Cols); j++)
                        t.Data[j * Rows + i] = Data[i * Cols + j];
        return t;
    }

    public double[,] ToArray()
    {
        var a = new double[Rows, Cols];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) a[i, j] = this[i, j];
        return a;
    }

    /// <summary>Throws naming <paramref name="argument"/> when any entry is NaN or infinite.</summary>
    public void RequireFinite(string argument)
    {
        for (int i = 0; i < Data.Length; i++)
            if (!double.IsFinite(Data[i]))
                throw new AtlasArgumentException(argument, $"entry ({i / Math.Max(Cols, 1)}, {i % Math.Max(Cols, 1)}) is {Data[i]}; values must be finite");
    }

    public override string ToString() => $"DMatrix[{Rows}×{Cols}]";
}
