using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>Loss and accuracy of the network with weights (1 − t)·θ_A + t·θ_B.</summary>
public sealed record ConnectivityPoint(double T, double Loss, double Accuracy);

/// <summary>
/// The straight path between two weight vectors and its barriers: the loss barrier
/// max_t [L(θ_t) − ((1 − t)L(θ_A) + t·L(θ_B))] and the accuracy barrier max_t [((1 − t)A_A + t·A_B) − A(θ_t)]
/// (Frankle et al. 2020; Entezari et al. 2022). Near-zero barriers mean the two solutions are linearly mode connected.
/// </summary>
public sealed record ConnectivityPath(IReadOnlyList<ConnectivityPoint> Points, double LossBarrier, double AccuracyBarrier, double BarrierT);

/// <summary>Linear mode connectivity of two trained networks of one architecture.</summary>
public static class ModeConnectivity
{
    /// <summary>
    /// Evaluates <paramref name="model"/> at <paramref name="steps"/> evenly spaced points t ∈ [0, 1] between state
    /// dicts <paramref name="a"/> and <paramref name="b"/> (parameters and buffers such as batch-norm statistics are
    /// interpolated alike) on <paramref name="data"/>: mean cross-entropy (in double) and top-1 accuracy. The model's
    /// own weights are restored afterwards (it is often network A itself, which later steps, such as aligning B to A,
    /// still need as A).
    /// </summary>
    public static ConnectivityPath Interpolate(Module model, IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b,
        ImageDataset data, int steps = 11, Action<int, int>? progress = null)
    {
        if (steps < 2) throw new AtlasArgumentException("steps", $"the path needs at least its two endpoints, got {steps}");
        if (data.Count == 0) throw new AtlasArgumentException("data", "no images to evaluate on");
        foreach (var key in a.Keys)
        {
            if (!b.TryGetValue(key, out var tb))
                throw new AtlasArgumentException("b", $"the second state dict has no '{key}': both networks must share one architecture");
            if (!tb.Shape.SequenceEqual(a[key].Shape))
                throw new ShapeMismatchException("mode connectivity", a[key].Shape, tb.Shape, $"'{key}' differs between the two networks");
        }
        foreach (var key in b.Keys)
            if (!a.ContainsKey(key)) throw new AtlasArgumentException("a", $"the first state dict has no '{key}': both networks must share one architecture");
        // Copies: the state dicts may share storage with the model, whose weights are overwritten below.
        a = a.ToDictionary(kv => kv.Key, kv => new Tensor(kv.Value.Shape, (float[])kv.Value.Data.Clone()));
        b = b.ToDictionary(kv => kv.Key, kv => new Tensor(kv.Value.Shape, (float[])kv.Value.Data.Clone()));
        var order = a.Keys.ToList();
        var original = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in model.StateDict()) original.Add(k, v.Clone());
        var points = new List<ConnectivityPoint>();
        try
        {
            for (int s = 0; s < steps; s++)
            {
                double t = (double)s / (steps - 1);
                var state = new OrderedDictionary<string, Tensor>();
                foreach (var key in order)
                {
                    var ta = a[key];
                    var tb = b[key];
                    var m = new Tensor(ta.Shape);
                    for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)((1 - t) * ta.Data[i] + t * tb.Data[i]);
                    state.Add(key, m);
                }
                model.LoadStateDict(state);
                var logits = Trainer.Predict(model, data);
                var (loss, acc) = LossAndAccuracy(logits, data.Labels);
                points.Add(new ConnectivityPoint(t, loss, acc));
                progress?.Invoke(s + 1, steps);
            }
        }
        finally
        {
            model.LoadStateDict(original);
        }
        double l0 = points[0].Loss, l1 = points[^1].Loss, a0 = points[0].Accuracy, a1 = points[^1].Accuracy;
        double lossBarrier = double.NegativeInfinity, accBarrier = double.NegativeInfinity, at = 0;
        foreach (var p in points)
        {
            double lb = p.Loss - ((1 - p.T) * l0 + p.T * l1);
            if (lb > lossBarrier) { lossBarrier = lb; at = p.T; }
            accBarrier = Math.Max(accBarrier, (1 - p.T) * a0 + p.T * a1 - p.Accuracy);
        }
        return new ConnectivityPath(points, lossBarrier, accBarrier, at);
    }

    /// <summary>
    /// The straight path between networks <paramref name="a"/> and <paramref name="b"/> (one architecture) without and/or
    /// with neuron alignment of B to A (<see cref="NeuronAlignment.ByActivations"/>, unit correlations over
    /// <paramref name="alignData"/>, default <paramref name="data"/>), evaluated on <paramref name="data"/>. The alignment
    /// is computed from the untouched networks before any path is evaluated; neither network's weights change.
    /// </summary>
    public static ConnectivityComparison Connect(Module a, Module b, ImageDataset data, ConnectivityAlignment align,
        ImageDataset? alignData = null, int alignCount = 512, int steps = 11)
    {
        var sa = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var sb = b.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var alignment = align == ConnectivityAlignment.None ? null : NeuronAlignment.ByActivations(a, b, alignData ?? data, alignCount);
        var unaligned = align == ConnectivityAlignment.Activations ? null : Interpolate(a, sa, sb, data, steps);
        var aligned = alignment is null ? null : Interpolate(a, sa, alignment.AlignedB, data, steps);
        return new ConnectivityComparison(unaligned, aligned, alignment);
    }

    /// <summary>Mean cross-entropy (log-sum-exp in double) and top-1 accuracy of logits [n, classes].</summary>
    public static (double Loss, double Accuracy) LossAndAccuracy(Tensor logits, int[] labels)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < n; i++)
        {
            var row = logits.Data.AsSpan(i * c, c);
            int arg = 0;
            double max = row[0];
            for (int j = 1; j < c; j++) if (row[j] > row[arg]) arg = j;
            max = row[arg];
            if (!double.IsFinite(max)) throw new AtlasArgumentException("model", $"logit of image {i} is {max}: the interpolated network diverges");
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(row[j] - max);
            int label = labels[i];
            if (label < 0 || label >= c) throw new AtlasArgumentException("labels", $"label {label} of image {i} is outside 0..{c - 1}");
            loss += max + Math.Log(sum) - row[label];
            if (arg == label) correct++;
        }
        return (loss / n, (double)correct / n);
    }
}
