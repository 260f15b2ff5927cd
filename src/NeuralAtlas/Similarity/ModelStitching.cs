using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>The family of the stitching layer between model A's layer and model B's.</summary>
public enum StitchKind
{
    /// <summary>h ↦ hW + b (a linear layer, or a 1×1 convolution on channels), least squares.</summary>
    Affine,
    /// <summary>h ↦ hPD, P a permutation and D positive diagonal (the ReLU intertwiner group): Hungarian on unit correlations, then nonnegative per-unit scales.</summary>
    PermutationScaling,
    /// <summary>Affine with a rank-r weight: reduced-rank regression (least squares projected on the top r directions of the fit).</summary>
    LowRank,
}

/// <summary>A fitted stitching layer, applied to A's activations in the (samples × units) layout.</summary>
public sealed class StitchLayer
{
    public required StitchKind Kind { get; init; }
    /// <summary>Weight (units of A × units of B) and bias (units of B).</summary>
    public required DMatrix Weight { get; init; }
    public required double[] Bias { get; init; }
    /// <summary>For <see cref="StitchKind.PermutationScaling"/>: unit i of A feeds unit Permutation[i] of B.</summary>
    public int[]? Permutation { get; init; }

    public DMatrix Apply(DMatrix h)
    {
        var r = Blas.Gemm(h, Weight);
        for (int i = 0; i < r.Rows; i++)
        {
            var row = r.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] += Bias[j];
        }
        return r;
    }
}

/// <summary>Accuracies of the two models and of the stitched one; penalty = mean(A, B) − stitched.</summary>
public sealed record StitchResult(string Layer, StitchKind Kind, double AccuracyA, double AccuracyB, double StitchedAccuracy, double Penalty, StitchLayer Stitch);

/// <summary>
/// Model stitching (Lenc &amp; Vedaldi 2015; Bansal, Nakkiran, Barak 2021; Godfrey et al. 2022): feed model A's
/// activations at a layer, through a small stitching layer, into the rest of model B, and report the stitched
/// accuracy and the stitching penalty. The stitching layer is fitted in closed form on A's and B's activations at
/// that layer (the least-squares initialisation of the papers; no gradient fine-tuning through B). Models must be
/// chains: their forward pass is their children applied in order (checked), as for the zoo's MLP.
/// Convolutional activations are stitched channel-wise (a 1×1 convolution: positions count as samples).
/// </summary>
public static class ModelStitching
{
    public static StitchResult Stitch(Module a, Module b, string layer, ImageDataset fit, ImageDataset test, StitchKind kind, int rank = 0)
    {
        if (fit.Count == 0 || test.Count == 0) throw new AtlasArgumentException("data", "stitching needs images to fit on and to test on");
        var probe = fit.Images(Math.Min(4, fit.Count));
        var chainA = Chain(a, "A", probe);
        var chainB = Chain(b, "B", probe);
        int ia = chainA.FindIndex(c => c.Key == layer), ib = chainB.FindIndex(c => c.Key == layer);
        if (ia < 0 || ib < 0)
            throw new AtlasArgumentException("layer", $"no child '{layer}' in {(ia < 0 ? "A" : "B")}; children: {string.Join(", ", (ia < 0 ? chainA : chainB).Select(c => c.Key))}");
        if (ib == chainB.Count - 1) throw new AtlasArgumentException("layer", $"'{layer}' is B's last layer: nothing of B is left after the stitch");
        var ha = Run(chainA, 0, ia + 1, fit.Images());
        var hb = Run(chainB, 0, ib + 1, fit.Images());
        var stitch = Fit(ToUnits(ha), ToUnits(hb), kind, rank);

        var accA = Accuracy(Run(chainA, 0, chainA.Count, test.Images()), test.Labels);
        var accB = Accuracy(Run(chainB, 0, chainB.Count, test.Images()), test.Labels);
        var mid = Run(chainA, 0, ia + 1, test.Images());
        var stitched = FromUnits(stitch.Apply(ToUnits(mid)), mid.Shape, stitch.Weight.Cols);
        double acc = Accuracy(Run(chainB, ib + 1, chainB.Count, stitched), test.Labels);
        return new StitchResult(layer, kind, accA, accB, acc, 0.5 * (accA + accB) - acc, stitch);
    }

    /// <summary>Fits the stitching layer from A's units to B's (rows are samples).</summary>
    public static StitchLayer Fit(DMatrix ha, DMatrix hb, StitchKind kind, int rank = 0)
    {
        if (ha.Rows != hb.Rows) throw new ShapeMismatchException("stitch", new[] { ha.Rows, ha.Cols }, new[] { hb.Rows, hb.Cols }, "activations of the same inputs");
        ha.RequireFinite("activations of A");
        hb.RequireFinite("activations of B");
        int da = ha.Cols, db = hb.Cols;
        switch (kind)
        {
            case StitchKind.PermutationScaling:
            {
                if (da != db) throw new AtlasArgumentException("kind", $"a permutation-scaling stitch needs equal widths, A has {da} units and B {db}");
                var match = NeuronMatching.Match(ha, hb);
                var w = new DMatrix(da, db);
                for (int i = 0; i < da; i++)
                {
                    int j = match.Assignment[i];
                    double num = 0, den = 0;
                    for (int s = 0; s < ha.Rows; s++) { num += ha[s, i] * hb[s, j]; den += ha[s, i] * ha[s, i]; }
                    w[i, j] = den > 0 ? Math.Max(0, num / den) : 0;
                }
                return new StitchLayer { Kind = kind, Weight = w, Bias = new double[db], Permutation = match.Assignment };
            }
            case StitchKind.Affine:
            case StitchKind.LowRank:
            {
                // Least squares on centered data (the bias absorbs the means), via the pseudo-inverse from a thin SVD.
                var ma = Representation.ColumnMeans(ha);
                var mb = Representation.ColumnMeans(hb);
                var ac = Representation.Center(ha);
                var bc = Representation.Center(hb);
                var svd = Decompositions.ThinSvd(ac);
                double tol = svd.S.Length == 0 ? 0 : svd.S[0] * Math.Max(ac.Rows, ac.Cols) * 1e-13;
                var utb = Blas.Gemm(svd.U, bc, transA: true); // r × db
                for (int k = 0; k < svd.S.Length; k++)
                {
                    double inv = svd.S[k] > tol ? 1 / svd.S[k] : 0;
                    var row = utb.Row(k);
                    for (int j = 0; j < row.Length; j++) row[j] *= inv;
                }
                var w = Blas.Gemm(svd.V, utb); // da × db
                if (kind == StitchKind.LowRank)
                {
                    if (rank < 1) throw new AtlasArgumentException("rank", $"a low-rank stitch needs a rank of at least 1, got {rank}");
                    // Reduced-rank regression: project W onto the top directions of the fitted values A·W.
                    var fitted = Blas.Gemm(ac, w);
                    var fsvd = Decompositions.ThinSvd(fitted);
                    int r = Math.Min(rank, fsvd.S.Length);
                    var vr = Representation.LeadingColumns(fsvd.V, r);
                    w = Blas.Gemm(Blas.Gemm(w, vr), vr, transB: true);
                }
                var bias = new double[db];
                for (int j = 0; j < db; j++)
                {
                    double s = mb[j];
                    for (int i = 0; i < da; i++) s -= ma[i] * w[i, j];
                    bias[j] = s;
                }
                return new StitchLayer { Kind = kind, Weight = w, Bias = bias };
            }
            default: throw new AtlasArgumentException("kind", $"unknown stitch kind {kind}");
        }
    }

    /// <summary>The children of a chain model, after checking that running them in order is its forward pass.</summary>
    private static List<KeyValuePair<string, Module>> Chain(Module m, string which, Tensor probe)
    {
        m.Eval();
        var children = m.NamedChildren().ToList();
        if (children.Count < 2) throw new AtlasArgumentException(which, "stitching needs a model made of a chain of layers (its children)");
        Tensor whole;
        using (GradMode.NoGrad()) whole = m.Forward(new Var(probe)).Value;
        Tensor chained;
        try { chained = Run(children, 0, children.Count, probe); }
        catch (AtlasException) { chained = new Tensor(1); }
        double scale = whole.Data.Max(v => Math.Abs(v)) + 1;
        if (!chained.Shape.SequenceEqual(whole.Shape) || whole.Data.Zip(chained.Data).Any(p => Math.Abs(p.First - p.Second) > 1e-4 * scale))
            throw new AtlasArgumentException(which, $"{m.GetType().Name}'s forward pass is not its children ({string.Join(", ", children.Select(c => c.Key))}) applied in order, so it cannot be cut at a layer; stitching supports chain models such as the zoo's mlp");
        return children;
    }

    private static Tensor Run(List<KeyValuePair<string, Module>> chain, int from, int to, Tensor input)
    {
        using var ng = GradMode.NoGrad();
        var v = new Var(input);
        for (int i = from; i < to; i++) v = chain[i].Value.Forward(v);
        return v.Value;
    }

    /// <summary>[n, c] or [n, c, h, w] → (n·h·w) × c.</summary>
    private static DMatrix ToUnits(Tensor t)
    {
        var data = Array.ConvertAll(t.Data, v => (double)v);
        return ActivationLayout.ToMatrix(data, t.Shape, ConvLayout.SpatialAsSamples);
    }

    private static Tensor FromUnits(DMatrix m, int[] shape, int channels)
    {
        var outShape = (int[])shape.Clone();
        outShape[1] = channels;
        var t = new Tensor(outShape);
        int n = shape[0];
        int positions = m.Rows / n;
        for (int s = 0; s < n; s++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < positions; p++)
                    t.Data[((long)s * channels + c) * positions + p] = (float)m.Data[((long)s * positions + p) * channels + c];
        return t;
    }

    private static double Accuracy(Tensor logits, int[] labels) => ModeConnectivity.LossAndAccuracy(logits, labels).Accuracy;
}
