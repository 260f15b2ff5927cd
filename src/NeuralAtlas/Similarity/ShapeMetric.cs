using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>How a fitted shape metric scores aligned representations.</summary>
public enum ShapeScore
{
    /// <summary>arccos of the normalised Frobenius inner product, in [0, π].</summary>
    Angular,
    /// <summary>Frobenius norm of the difference.</summary>
    Euclidean,
}

/// <summary>
/// The generalized shape metric of Williams, Kunz, Kornblith, Linderman (2021), as netrep's LinearMetric defines
/// it: center, partially whiten each side with Z = V·diag(α + (1−α)λ^(−1/2))·Vᵀ (eigen-pairs (λ, V) of XᵀX,
/// λ clipped at 1e-7, Z rescaled to preserve the total variance), zero-pad the narrower side, align with the
/// optimal rotation (SVD of X_wᵀY_w), and score the angle (or Euclidean distance) between the aligned matrices.
/// α = 1 allows rotations only (the angular Procrustes metric); α = 0 allows any invertible linear map (CCA-like).
/// <see cref="Fit"/> learns the means, whitening and rotations on one set of inputs; <see cref="ShapeMetricFit.Score"/>
/// evaluates them on another (cross-validation).
/// </summary>
public sealed class ShapeMetric : SimilarityMeasure
{
    public const double EigenvalueFloor = 1e-7;

    public ShapeMetric(double alpha = 1.0, ShapeScore score = ShapeScore.Angular)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new AtlasArgumentException("alpha", $"the shape metric's regularisation alpha must be in [0, 1], got {alpha}");
        Alpha = alpha;
        Score = score;
        var inv = Invariances.Orthogonal | Invariances.Permutation | Invariances.Translation;
        bool noWhitening = alpha > 1 - EigenvalueFloor;
        if (score == ShapeScore.Angular && (noWhitening || alpha == 0)) inv |= Invariances.IsotropicScaling;
        if (score == ShapeScore.Angular && alpha == 0) inv |= Invariances.InvertibleLinear | Invariances.PositiveScaledPermutation;
        Traits = new MeasureTraits(true, true, false, inv, 2);
    }

    public double Alpha { get; }
    public ShapeScore Score { get; }

    public override string Name => "shape-metric";
    public override string Description => $"generalized shape metric, alpha={Alpha}, {Score.ToString().ToLowerInvariant()} (Williams et al. 2021){(Score == ShapeScore.Angular ? ", in [0, π]" : "")}";
    public override MeasureTraits Traits { get; }

    protected override double ComputeCore(DMatrix x, DMatrix y) => Fit(x, y).Score(x, y);

    /// <summary>Learns centering, partial whitening and the aligning rotations from paired inputs.</summary>
    public ShapeMetricFit Fit(DMatrix x, DMatrix y)
    {
        Validate(x, y);
        int d = Math.Max(x.Cols, y.Cols);
        var xp = ShapeMetricFit.Pad(x, d);
        var yp = ShapeMetricFit.Pad(y, d);
        var mx = Representation.ColumnMeans(xp);
        var my = Representation.ColumnMeans(yp);
        var xc = Representation.Center(xp);
        var yc = Representation.Center(yp);
        Representation.RequireVariance(xc, x, "X", Name);
        Representation.RequireVariance(yc, y, "Y", Name);
        var zx = Whitening(xc);
        var zy = Whitening(yc);
        var xw = Blas.Gemm(xc, zx);
        var yw = Blas.Gemm(yc, zy);
        var svd = Decompositions.ThinSvd(Blas.Gemm(xw, yw, transA: true));
        return new ShapeMetricFit(this, x.Cols, y.Cols, mx, my, Blas.Gemm(zx, svd.U), Blas.Gemm(zy, svd.V));
    }

    private DMatrix Whitening(DMatrix xc)
    {
        int d = xc.Cols;
        if (Alpha > 1 - EigenvalueFloor) return DMatrix.Identity(d);
        var g = SymmetricGram.AtA(xc);
        SpectralBasis.Symmetrize(g);
        var eig = Decompositions.EigSymmetric(g);
        var lam = eig.Values.Select(l => Math.Max(l, EigenvalueFloor)).ToArray();
        var dv = lam.Select(l => Alpha + (1 - Alpha) / Math.Sqrt(l)).ToArray();
        double newVar = lam.Sum(l => Alpha * Alpha * l + 2 * Alpha * (1 - Alpha) * Math.Sqrt(l) + (1 - Alpha) * (1 - Alpha));
        double rescale = Math.Sqrt(lam.Sum() / newVar);
        var vs = eig.Vectors.Clone();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) vs[i, j] *= dv[j] * rescale;
        return Blas.Gemm(vs, eig.Vectors, transB: true);
    }
}

/// <summary>A fitted <see cref="ShapeMetric"/>: fixed means and alignment maps, applied to new paired inputs.</summary>
public sealed class ShapeMetricFit
{
    private readonly ShapeMetric _metric;
    private readonly int _dx, _dy;
    private readonly double[] _mx, _my;

    /// <summary>Maps the centered, padded X (and Y) into the common aligned space.</summary>
    public DMatrix Wx { get; }
    public DMatrix Wy { get; }

    internal ShapeMetricFit(ShapeMetric metric, int dx, int dy, double[] mx, double[] my, DMatrix wx, DMatrix wy)
    {
        _metric = metric;
        _dx = dx;
        _dy = dy;
        _mx = mx;
        _my = my;
        Wx = wx;
        Wy = wy;
    }

    /// <summary>The distance between X and Y after the fitted transforms (inputs must have the fitted widths).</summary>
    public double Score(DMatrix x, DMatrix y)
    {
        if (x.Cols != _dx || y.Cols != _dy)
            throw new ShapeMismatchException("shape-metric score", new[] { x.Cols, y.Cols }, new[] { _dx, _dy }, "score inputs need the widths the metric was fitted on");
        if (x.Rows != y.Rows)
            throw new ShapeMismatchException("shape-metric score", new[] { x.Rows, x.Cols }, new[] { y.Rows, y.Cols }, "both representations need one row per input");
        x.RequireFinite("X");
        y.RequireFinite("Y");
        var a = Blas.Gemm(Shift(Pad(x, Wx.Rows), _mx), Wx);
        var b = Blas.Gemm(Shift(Pad(y, Wy.Rows), _my), Wy);
        if (_metric.Score == ShapeScore.Euclidean)
        {
            double s = 0;
            for (int i = 0; i < a.Data.Length; i++) s += (a.Data[i] - b.Data[i]) * (a.Data[i] - b.Data[i]);
            return Math.Sqrt(s);
        }
        double na = Representation.SumSquares(a), nb = Representation.SumSquares(b);
        if (na == 0 || nb == 0)
            throw new AtlasArgumentException(na == 0 ? "X" : "Y", "shape-metric: the aligned representation is zero, so the angle is undefined");
        double corr = Representation.Dot(a.Data, b.Data) / Math.Sqrt(na * nb);
        return Math.Acos(Math.Clamp(corr, -1, 1));
    }

    internal static DMatrix Pad(DMatrix x, int d)
    {
        if (x.Cols == d) return x;
        var p = new DMatrix(x.Rows, d);
        for (int i = 0; i < x.Rows; i++) x.Row(i).CopyTo(p.Row(i));
        return p;
    }

    private static DMatrix Shift(DMatrix x, double[] mean)
    {
        var c = x.Clone();
        for (int i = 0; i < c.Rows; i++)
        {
            var row = c.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] -= mean[j];
        }
        return c;
    }
}
