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
    /// <summary>Affine with a rank-r weight: reduced-rank regression (least squares projected on the top r directions of the fit); trained as W = UV.</summary>
    LowRank,
    /// <summary>Affine with an L1 penalty on W: least-squares start, then training with soft-thresholding (needs training steps to become sparse).</summary>
    Sparse,
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

    /// <summary>Fraction of the weights that are exactly zero.</summary>
    public double Sparsity => Weight.Data.Length == 0 ? 0 : Weight.Data.Count(x => x == 0) / (double)Weight.Data.Length;

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

/// <summary>
/// Accuracies of the two models and of the stitched one; penalty = mean(A, B) − stitched. <see cref="Layer"/> is A's
/// cut, <see cref="LayerB"/> where B resumes. With training, <see cref="Stitch"/> is the trained layer (a
/// permutation-scaling stitch rounded to a permutation), <see cref="ClosedFormAccuracy"/> the accuracy of its
/// closed-form start and <see cref="RelaxedAccuracy"/> that of the unrounded Sinkhorn relaxation.
/// </summary>
public sealed record StitchResult(string Layer, StitchKind Kind, double AccuracyA, double AccuracyB, double StitchedAccuracy, double Penalty, StitchLayer Stitch)
{
    public string LayerB { get; init; } = Layer;
    public double ClosedFormAccuracy { get; init; } = StitchedAccuracy;
    public double? RelaxedAccuracy { get; init; }
    public int TrainSteps { get; init; }
    /// <summary>Cross-entropy of the last training minibatch (null without training).</summary>
    public double? FinalLoss { get; init; }
}

/// <summary>
/// Model stitching (Lenc &amp; Vedaldi 2015; Bansal, Nakkiran, Barak 2021; Csiszárik et al. 2021; Godfrey et al. 2022):
/// feed model A's activations at a layer, through a small stitching layer, into model B at a layer (the rest of B
/// runs on the stitched value; B's own output at that layer is discarded), and report the stitched accuracy and the
/// stitching penalty. The stitch is fitted in closed form on A's and B's activations of the fitting images (the
/// least-squares initialisation of the papers) and optionally trained on B's task loss with both models frozen
/// (<see cref="StitchTraining"/>). Any model works: layers are cut and replaced through <see cref="LayerTaps"/>
/// (submodule names of zoo models, node names of imported ONNX graphs). Convolutional activations are stitched
/// channel-wise (a 1×1 convolution: positions count as samples), so the two layers' spatial sizes must agree.
/// </summary>
public static class ModelStitching
{
    private const int EvalBatch = 256;

    /// <summary>The closed-form stitch at the same layer name in both models.</summary>
    public static StitchResult Stitch(Module a, Module b, string layer, ImageDataset fit, ImageDataset test, StitchKind kind, int rank = 0) =>
        Stitch(a, b, new StitchOptions { LayerA = layer, LayerB = layer, Kind = kind, Rank = rank }, fit, test);

    public static StitchResult Stitch(Module a, Module b, StitchOptions o, ImageDataset fit, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        if (fit.Count < 2 || test.Count == 0) throw new AtlasArgumentException("data", $"stitching needs at least 2 images to fit on and 1 to test on, got {fit.Count} and {test.Count}");
        a.Eval();
        b.Eval();
        CheckNotOutput(b, o.LayerB, fit);
        var haFit = Capture(a, o.LayerA, "A", fit);
        var hbFit = Capture(b, o.LayerB, "B", fit);
        CheckShapes(haFit.Shape, hbFit.Shape, o);
        var ua = ToUnits(haFit);
        var ub = ToUnits(hbFit);
        var closed = Fit(ua, ub, o.Kind, o.Rank);

        var haTest = Capture(a, o.LayerA, "A", test);
        double accA = Accuracy(a, test), accB = Accuracy(b, test);
        double closedAcc = StitchedAccuracy(b, o.LayerB, closed, haTest, test);
        if (o.TrainSteps == 0)
            return new StitchResult(o.LayerA, o.Kind, accA, accB, closedAcc, 0.5 * (accA + accB) - closedAcc, closed) { LayerB = o.LayerB };

        var trainable = new TrainableStitch(closed, o.Kind, o.Rank, o.Kind == StitchKind.PermutationScaling ? Correlations(ua, ub) : null, o.Tau, o.SinkhornIterations);
        double loss = StitchTraining.Train(b, o.LayerB, haFit, fit, trainable, o);
        var final = trainable.Final();
        var relaxed = trainable.Relaxed();
        double acc = StitchedAccuracy(b, o.LayerB, final, haTest, test);
        return new StitchResult(o.LayerA, o.Kind, accA, accB, acc, 0.5 * (accA + accB) - acc, final)
        {
            LayerB = o.LayerB,
            ClosedFormAccuracy = closedAcc,
            RelaxedAccuracy = relaxed is null ? null : StitchedAccuracy(b, o.LayerB, relaxed, haTest, test),
            TrainSteps = o.TrainSteps,
            FinalLoss = loss,
        };
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
            case StitchKind.Sparse:
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
                return new StitchLayer { Kind = kind, Weight = w, Bias = bias }; // a sparse stitch starts dense: the L1 training makes it sparse
            }
            default: throw new AtlasArgumentException("kind", $"unknown stitch kind {kind}");
        }
    }

    /// <summary>Pearson correlations of every unit of A with every unit of B (dead units correlate 0 with everything).</summary>
    internal static DMatrix Correlations(DMatrix ha, DMatrix hb)
    {
        static DMatrix Standardize(DMatrix m)
        {
            var c = Representation.Center(m);
            var norm = new double[c.Cols];
            for (int i = 0; i < c.Rows; i++)
                for (int j = 0; j < c.Cols; j++) norm[j] += c[i, j] * c[i, j];
            for (int j = 0; j < c.Cols; j++) norm[j] = norm[j] > 0 ? 1 / Math.Sqrt(norm[j]) : 0;
            for (int i = 0; i < c.Rows; i++)
                for (int j = 0; j < c.Cols; j++) c[i, j] *= norm[j];
            return c;
        }
        var corr = Blas.Gemm(Standardize(ha), Standardize(hb), transA: true);
        for (int i = 0; i < corr.Data.Length; i++) corr.Data[i] = Math.Clamp(corr.Data[i], -1, 1);
        return corr;
    }

    /// <summary>A layer whose output is the model's output leaves nothing of B to run after the stitch.</summary>
    private static void CheckNotOutput(Module b, string layer, ImageDataset fit)
    {
        using var ng = GradMode.NoGrad();
        Var? seen = null;
        Var output;
        try
        {
            using (LayerTaps.Observe(b, layer, v => seen = v)) output = b.Forward(new Var(fit.Images(1)));
        }
        catch (AtlasArgumentException e) { throw new AtlasArgumentException("layer-b", $"model B: {e.Message}"); }
        if (seen is null) throw new AtlasArgumentException("layer-b", $"model B never computes layer '{layer}' in its forward pass");
        if (ReferenceEquals(seen, output)) throw new AtlasArgumentException("layer-b", $"'{layer}' is B's output layer: nothing of B is left after the stitch");
    }

    /// <summary>The layer's output on every image, batch by batch, without a tape.</summary>
    private static Tensor Capture(Module m, string layer, string which, ImageDataset data)
    {
        using var ng = GradMode.NoGrad();
        var parts = new List<Tensor>();
        for (int s = 0; s < data.Count; s += EvalBatch)
        {
            var idx = Enumerable.Range(s, Math.Min(EvalBatch, data.Count - s)).ToArray();
            try { parts.Add(LayerTaps.Outputs(m, new Var(data.Images(idx)), new[] { layer })[0].Value); }
            catch (AtlasArgumentException e) { throw new AtlasArgumentException(which == "A" ? "layer-a" : "layer-b", $"model {which}: {e.Message}"); }
        }
        return parts.Count == 1 ? parts[0] : Ops.Cat(parts, 0);
    }

    private static void CheckShapes(int[] a, int[] b, StitchOptions o)
    {
        bool ok = a.Length == b.Length && a.Length >= 2;
        for (int k = 2; ok && k < a.Length; k++) ok = a[k] == b[k];
        if (!ok)
            throw new ShapeMismatchException("stitch", a, b,
                $"A's '{o.LayerA}' and B's '{o.LayerB}' must have the same layout and the same sizes beyond the unit axis (axis 1; the stitch maps units, position by position)");
    }

    private static double Accuracy(Module m, ImageDataset test)
    {
        using var ng = GradMode.NoGrad();
        int correct = 0;
        for (int s = 0; s < test.Count; s += EvalBatch)
        {
            var idx = Enumerable.Range(s, Math.Min(EvalBatch, test.Count - s)).ToArray();
            correct += Correct(m.Forward(new Var(test.Images(idx))).Value, test.Labels, s);
        }
        return correct / (double)test.Count;
    }

    /// <summary>Accuracy of B resumed at <paramref name="layerB"/> on <paramref name="stitch"/>(A's activations).</summary>
    private static double StitchedAccuracy(Module b, string layerB, StitchLayer stitch, Tensor activationsA, ImageDataset test)
    {
        using var ng = GradMode.NoGrad();
        int correct = 0;
        for (int s = 0; s < test.Count; s += EvalBatch)
        {
            var idx = Enumerable.Range(s, Math.Min(EvalBatch, test.Count - s)).ToArray();
            var ha = StitchTraining.Rows(activationsA, idx);
            var stitched = FromUnits(stitch.Apply(ToUnits(ha)), ha.Shape, stitch.Weight.Cols);
            Var logits;
            using (LayerTaps.Replace(b, layerB, o =>
            {
                if (!o.Shape.SequenceEqual(stitched.Shape)) throw new ShapeMismatchException("stitch", o.Shape, stitched.Shape, $"B's '{layerB}' output and the stitched activation");
                return new Var(stitched);
            }))
                logits = b.Forward(new Var(test.Images(idx)));
            correct += Correct(logits.Value, test.Labels, s);
        }
        return correct / (double)test.Count;
    }

    private static int Correct(Tensor logits, int[] labels, int offset)
    {
        if (logits.Rank != 2) throw new ShapeMismatchException("stitch", $"the model's output must be [batch, classes] logits, got {ShapeMismatchException.Format(logits.Shape)}");
        int n = logits.Shape[0], c = logits.Shape[1], correct = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (logits.Data[i * c + j] > logits.Data[i * c + best]) best = j;
            if (best == labels[offset + i]) correct++;
        }
        return correct;
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

}
