using NeuralAtlas.Autograd;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>
/// A stitching layer as autograd parameters, started from its closed-form fit: affine and sparse W, b; low-rank
/// W = UV (the reduced-rank solution factored by its SVD); permutation × scaling W = Sinkhorn(exp(L/τ))·diag(exp σ),
/// L started at the units' correlations plus 1 on the closed-form (Hungarian) matching and σ at the log of the fitted
/// scales, so the relaxation starts at the closed-form stitch and positive scales need no constraint.
/// </summary>
internal sealed class TrainableStitch
{
    private readonly StitchKind _kind;
    private readonly Var? _w, _u, _v, _logits, _logScale, _bias;
    private readonly double _tau;
    private readonly int _iterations;

    public IReadOnlyList<Var> Parameters { get; }

    public TrainableStitch(StitchLayer init, StitchKind kind, int rank, DMatrix? correlations, double tau, int iterations)
    {
        _kind = kind;
        _tau = tau;
        _iterations = iterations;
        var ps = new List<Var>();
        switch (kind)
        {
            case StitchKind.Affine:
            case StitchKind.Sparse:
                _w = F.Param(ToTensor(init.Weight));
                ps.Add(_w);
                break;
            case StitchKind.LowRank:
            {
                var svd = Decompositions.ThinSvd(init.Weight);
                int r = Math.Max(1, Math.Min(rank, svd.S.Length));
                var u = new DMatrix(init.Weight.Rows, r);
                var v = new DMatrix(r, init.Weight.Cols);
                for (int k = 0; k < r; k++)
                {
                    // Split the singular value evenly so both factors start on the same scale.
                    double sq = Math.Sqrt(svd.S[k]);
                    for (int i = 0; i < u.Rows; i++) u[i, k] = svd.U[i, k] * sq;
                    for (int j = 0; j < v.Cols; j++) v[k, j] = svd.V[j, k] * sq;
                }
                _u = F.Param(ToTensor(u));
                _v = F.Param(ToTensor(v));
                ps.Add(_u);
                ps.Add(_v);
                break;
            }
            case StitchKind.PermutationScaling:
            {
                ArgumentNullException.ThrowIfNull(correlations);
                int d = init.Weight.Cols;
                var scale = new Tensor(d);
                for (int j = 0; j < d; j++)
                {
                    double s = 0;
                    for (int i = 0; i < init.Weight.Rows; i++) s = Math.Max(s, init.Weight[i, j]);
                    // A unit the fit left at zero (dead, or anticorrelated) starts tiny but positive: exp(σ) never reaches 0.
                    scale.Data[j] = (float)Math.Log(Math.Max(s, 1e-4));
                }
                // The closed-form fit's matching gets a margin of 1 over the correlations: training starts at that
                // stitch (relaxed), and near-duplicate units (correlations within a few hundredths) do not swap on the
                // first steps' noise; the task loss must push a logit by about 1 to change the rounded permutation.
                var start = correlations.Clone();
                if (init.Permutation is { } perm)
                    for (int i = 0; i < perm.Length; i++)
                        if (perm[i] >= 0) start[i, perm[i]] += 1;
                _logits = F.Param(ToTensor(start));
                _logScale = F.Param(scale);
                ps.Add(_logits);
                ps.Add(_logScale);
                break;
            }
            default: throw new AtlasArgumentException("kind", $"unknown stitch kind {kind}");
        }
        if (kind != StitchKind.PermutationScaling)
        {
            _bias = F.Param(new Tensor(new[] { init.Bias.Length }, Array.ConvertAll(init.Bias, x => (float)x)));
            ps.Add(_bias);
        }
        Parameters = ps;
    }

    /// <summary>The (units of A × units of B) weight as a differentiable value; relaxed for permutation × scaling.</summary>
    public Var Weight() => _kind switch
    {
        StitchKind.LowRank => F.MatMul(_u!, _v!),
        StitchKind.PermutationScaling => F.Mul(Sinkhorn.Normalize(_logits!, _tau, _iterations), F.Exp(_logScale!)),
        _ => _w!,
    };

    public Var Apply(Var h) => ApplyUnits(h, Weight(), _bias);

    /// <summary>The proximal step of λ‖W‖₁ with step size t: soft-thresholding every weight by t·λ.</summary>
    public void SoftThreshold(double threshold)
    {
        var w = _w!.Value.Data;
        float t = (float)threshold;
        for (int i = 0; i < w.Length; i++) w[i] = w[i] > t ? w[i] - t : w[i] < -t ? w[i] + t : 0f;
    }

    /// <summary>
    /// The layer as trained; a permutation-scaling stitch is rounded to the permutation of largest Σ log P[i, π(i)]
    /// (Hungarian on log P). Sinkhorn only adds row and column constants to L/τ, so this is the permutation maximising
    /// the learned logits, whatever the iterations' convergence; maximising Σ P itself could prefer a different one.
    /// </summary>
    public StitchLayer Final()
    {
        if (_kind != StitchKind.PermutationScaling) return Snapshot(_kind);
        DMatrix p;
        using (GradMode.NoGrad()) p = ToDMatrix(Sinkhorn.LogNormalize(_logits!, _tau, _iterations).Value);
        var assignment = LinearAssignment.Solve(p, maximize: true).RowToColumn;
        var w = new DMatrix(p.Rows, p.Cols);
        var s = _logScale!.Value.Data;
        for (int i = 0; i < p.Rows; i++) w[i, assignment[i]] = Math.Exp(s[assignment[i]]);
        return new StitchLayer { Kind = _kind, Weight = w, Bias = new double[p.Cols], Permutation = assignment };
    }

    /// <summary>The relaxed permutation-scaling layer P·diag(s) (null for the other kinds).</summary>
    public StitchLayer? Relaxed() => _kind == StitchKind.PermutationScaling ? Snapshot(_kind) : null;

    private StitchLayer Snapshot(StitchKind kind)
    {
        Tensor w;
        using (GradMode.NoGrad()) w = Weight().Value;
        var bias = _bias is null ? new double[w.Shape[1]] : Array.ConvertAll(_bias.Value.Data, x => (double)x);
        return new StitchLayer { Kind = kind, Weight = ToDMatrix(w), Bias = bias };
    }

    /// <summary>h (samples × units, or [n, c, ...] with channels as units at every position) times W, plus b.</summary>
    internal static Var ApplyUnits(Var h, Var w, Var? b)
    {
        if (h.Rank < 2) throw new ShapeMismatchException("stitch", $"activations need a batch and a unit axis, got {ShapeMismatchException.Format(h.Shape)}");
        if (h.Shape[1] != w.Shape[0])
            throw new ShapeMismatchException("stitch", h.Shape, w.Shape, $"the stitch takes {w.Shape[0]} units, the activation has {h.Shape[1]}");
        if (h.Rank == 2)
        {
            var y = F.MatMul(h, w);
            return b is null ? y : F.Add(y, b);
        }
        int r = h.Rank, n = h.Shape[0], c = h.Shape[1], db = w.Shape[1];
        var toLast = new int[r];
        toLast[0] = 0;
        for (int k = 1; k < r - 1; k++) toLast[k] = k + 1;
        toLast[r - 1] = 1;
        var moved = F.Permute(h, toLast);
        int positions = h.Numel / (n * c);
        var flat = F.MatMul(F.Reshape(moved, n * positions, c), w);
        if (b is not null) flat = F.Add(flat, b);
        var outShape = (int[])moved.Shape.Clone();
        outShape[r - 1] = db;
        var back = new int[r];
        back[0] = 0;
        back[1] = r - 1;
        for (int k = 2; k < r; k++) back[k] = k - 1;
        return F.Permute(F.Reshape(flat, outShape), back);
    }

    internal static Tensor ToTensor(DMatrix m) => new(new[] { m.Rows, m.Cols }, Array.ConvertAll(m.Data, x => (float)x));

    private static DMatrix ToDMatrix(Tensor t)
    {
        var m = new DMatrix(t.Shape[0], t.Shape[1]);
        for (int i = 0; i < t.Data.Length; i++) m.Data[i] = t.Data[i];
        return m;
    }
}
