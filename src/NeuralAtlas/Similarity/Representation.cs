using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>Numerical building blocks shared by the measures (centering, norms, orthonormal bases).</summary>
internal static class Representation
{
    /// <summary>A copy with every column's mean removed.</summary>
    public static DMatrix Center(DMatrix x)
    {
        var c = x.Clone();
        var mean = ColumnMeans(x);
        for (int i = 0; i < c.Rows; i++)
        {
            var row = c.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] -= mean[j];
        }
        return c;
    }

    public static double[] ColumnMeans(DMatrix x)
    {
        var mean = new double[x.Cols];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < row.Length; j++) mean[j] += row[j];
        }
        for (int j = 0; j < mean.Length; j++) mean[j] /= Math.Max(1, x.Rows);
        return mean;
    }

    public static double SumSquares(DMatrix x) => SumSquares(x.Data);

    public static double SumSquares(double[] a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return s;
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// Throws when a centered representation has (numerically) no variance: every sample equal. <paramref name="original"/>
    /// is the uncentered input, whose scale decides what counts as zero.
    /// </summary>
    public static void RequireVariance(DMatrix centered, DMatrix original, string argument, string measure)
    {
        double scale = Math.Max(SumSquares(original), double.Epsilon);
        double ss = SumSquares(centered);
        if (ss == 0 || ss <= 1e-26 * scale)
            throw new AtlasArgumentException(argument, $"{measure} is undefined when every sample is the same (zero variance after centering)");
    }

    public static DMatrix ScaleInPlace(DMatrix x, double s)
    {
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] *= s;
        return x;
    }

    public static DMatrix Scaled(DMatrix x, double s)
    {
        var r = new DMatrix(x.Rows, x.Cols);
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = x.Data[i] * s;
        return r;
    }

    /// <summary>The first <paramref name="k"/> columns.</summary>
    public static DMatrix LeadingColumns(DMatrix x, int k)
    {
        var r = new DMatrix(x.Rows, k);
        for (int i = 0; i < x.Rows; i++) x.Row(i)[..k].CopyTo(r.Row(i));
        return r;
    }

    /// <summary>Sum of squares of every entry of AᵀB, without forming it when that is cheaper via the Gram matrices.</summary>
    public static double FrobeniusSquaredOfProduct(DMatrix a, DMatrix b)
    {
        var m = Blas.Gemm(a, b, transA: true);
        return SumSquares(m);
    }

    /// <summary>Euclidean distance squared between all rows, computed directly (no cancellation from the Gram trick).</summary>
    public static DMatrix SquaredDistances(DMatrix x)
    {
        int n = x.Rows, d = x.Cols;
        var dist = new DMatrix(n, n);
        var data = x.Data;
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) }, i =>
        {
            int bi = i * d;
            for (int j = i + 1; j < n; j++)
            {
                int bj = j * d;
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    double t = data[bi + k] - data[bj + k];
                    s += t * t;
                }
                dist.Data[i * n + j] = s;
                dist.Data[j * n + i] = s;
            }
        });
        return dist;
    }
}
