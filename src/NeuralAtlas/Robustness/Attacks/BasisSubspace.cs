using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>The span of k orthonormal vectors (rows of a k×D matrix Q); projection is QᵀQv.</summary>
public sealed class BasisSubspace : Subspace
{
    private readonly DMatrix _q;
    public override int Dim => _q.Rows;
    public override string Description { get; }
    public override bool IsCoordinate => false;

    /// <summary>Checks orthonormality (to 1e-6) and refuses a basis that is not, rather than silently orthonormalising.</summary>
    public BasisSubspace(DMatrix q, string description) : base(q.Cols)
    {
        if (q.Rows == 0) throw new AtlasArgumentException("subspace", "the basis is empty");
        var g = Blas.AAt(q);
        for (int i = 0; i < g.Rows; i++)
            for (int j = 0; j < g.Cols; j++)
                if (Math.Abs(g[i, j] - (i == j ? 1 : 0)) > 1e-6)
                    throw new AtlasArgumentException("subspace", $"basis rows are not orthonormal (Gram entry ({i}, {j}) = {g[i, j]:G6}); orthonormalise them first (e.g. with BasisSubspace.Orthonormalise)");
        _q = q;
        Description = description;
    }

    /// <summary>Orthonormal rows spanning the same space (thin SVD); rank-deficient directions are dropped.</summary>
    public static DMatrix Orthonormalise(DMatrix rows)
    {
        var svd = Decompositions.ThinSvd(rows.Transpose());
        double tol = svd.S.Length == 0 ? 0 : svd.S[0] * 1e-10 * Math.Max(rows.Rows, rows.Cols);
        int r = svd.S.Count(s => s > tol);
        var q = new DMatrix(r, rows.Cols);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < rows.Cols; j++) q[i, j] = svd.U[j, i];
        return q;
    }

    public static BasisSubspace Random(int d, int k, Rng rng)
    {
        var g = new DMatrix(k, d);
        for (int i = 0; i < g.Data.Length; i++) g.Data[i] = rng.Normal();
        return new BasisSubspace(Orthonormalise(g), $"random {k}-dimensional subspace");
    }

    /// <summary>The orthonormal 2-D DCT-II basis images with both frequencies below k, in every channel (dimension C·k²).</summary>
    public static BasisSubspace LowFrequencyDct(int c, int h, int w, int k)
    {
        var q = new DMatrix(c * k * k, c * h * w);
        int row = 0;
        for (int ch = 0; ch < c; ch++)
            for (int u = 0; u < k; u++)
                for (int v = 0; v < k; v++, row++)
                {
                    double au = u == 0 ? Math.Sqrt(1.0 / h) : Math.Sqrt(2.0 / h), av = v == 0 ? Math.Sqrt(1.0 / w) : Math.Sqrt(2.0 / w);
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            q[row, (ch * h + y) * w + x] = au * av * Math.Cos(Math.PI * (2 * y + 1) * u / (2 * h)) * Math.Cos(Math.PI * (2 * x + 1) * v / (2 * w));
                }
        return new BasisSubspace(q, $"lowest {k}×{k} DCT frequencies per channel");
    }

    /// <summary>Coefficients Qv.</summary>
    public double[] Coefficients(ReadOnlySpan<float> v)
    {
        var c = new double[Dim];
        for (int i = 0; i < Dim; i++)
        {
            var qi = _q.Row(i);
            double s = 0;
            for (int j = 0; j < qi.Length; j++) s += qi[j] * v[j];
            c[i] = s;
        }
        return c;
    }

    public void FromCoefficients(ReadOnlySpan<double> c, Span<float> v)
    {
        var acc = new double[AmbientDim];
        for (int i = 0; i < Dim; i++)
        {
            var qi = _q.Row(i);
            for (int j = 0; j < qi.Length; j++) acc[j] += c[i] * qi[j];
        }
        for (int j = 0; j < acc.Length; j++) v[j] = (float)acc[j];
    }

    public override void Project(Span<float> v)
    {
        if (v.Length != AmbientDim) throw new ShapeMismatchException("subspace projection", new[] { v.Length }, new[] { AmbientDim });
        FromCoefficients(Coefficients(v), v);
    }
}
