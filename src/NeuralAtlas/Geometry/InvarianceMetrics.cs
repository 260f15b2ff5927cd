using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>Invariance and equivariance of one layer under one action, and the accuracy on the transformed inputs.</summary>
public sealed record LayerInvariance(string Layer, double Invariance, double? Equivariance);

public sealed record ActionInvariance(string Action, IReadOnlyList<LayerInvariance> Layers, double? Accuracy, double? BaselineAccuracy);

/// <summary>
/// Invariance and equivariance separated from accuracy (Kvinge et al., arXiv 2210.03773): for layer f and action g,
/// invariance deviation = mean_i ‖f(g·x_i) − f(x_i)‖ / mean_{i≠j} ‖f(x_i) − f(x_j)‖, and for spatial feature maps
/// equivariance deviation = mean_i ‖f(g·x_i) − g·f(x_i)‖ over the same normaliser, so 0 means exact and 1 means
/// "as different as two different inputs", comparable across layers and models.
/// </summary>
public static class InvarianceMetrics
{
    public static IReadOnlyList<ActionInvariance> Compute(Module model, Tensor images, int[]? labels, IReadOnlyList<ImageAction> actions, IReadOnlyList<string> layers)
    {
        if (images.Rank != 4 || images.Shape[0] < 2) throw new ShapeMismatchException("invariance", $"expected at least 2 images N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        model.Eval();
        var baseOut = Run(model, images, layers, out var baseLogits);
        var norm = layers.Select(l => MeanPairDistance(baseOut[l])).ToArray();
        double? baseAcc = labels is null ? null : Accuracy(baseLogits, labels);
        var result = new List<ActionInvariance>();
        foreach (var g in actions)
        {
            var moved = Run(model, g.Apply(images), layers, out var logits);
            var per = new List<LayerInvariance>();
            for (int l = 0; l < layers.Count; l++)
            {
                var a = moved[layers[l]];
                var b = baseOut[layers[l]];
                double inv = MeanRowDistance(a, b) / norm[l];
                double? eq = null;
                if (g.ActsOnFeatureMaps && b.Rank == 4 && (b.Shape[2] == b.Shape[3] || !g.Name.StartsWith("rot", StringComparison.Ordinal)))
                    eq = MeanRowDistance(a, g.Apply(b)) / norm[l];
                per.Add(new LayerInvariance(layers[l], inv, eq));
            }
            result.Add(new ActionInvariance(g.Name, per, labels is null ? null : Accuracy(logits, labels), baseAcc));
        }
        return result;
    }

    private static Dictionary<string, Tensor> Run(Module model, Tensor x, IReadOnlyList<string> layers, out Tensor logits)
    {
        var outs = new Dictionary<string, Tensor>();
        var hooks = new List<IDisposable>();
        try
        {
            // Layers are submodule names, or node names of an imported ONNX graph (LayerTaps reads either).
            foreach (var l in layers) hooks.Add(LayerTaps.Observe(model, l, o => outs[l] = o.Value));
            using var off = GradMode.NoGrad();
            logits = model.Forward(new Var(x)).Value;
        }
        finally { foreach (var h in hooks) h.Dispose(); }
        foreach (var l in layers)
            if (!outs.ContainsKey(l)) throw new AtlasArgumentException("layers", $"layer '{l}' was not called in the forward pass");
        return outs;
    }

    private static double MeanRowDistance(Tensor a, Tensor b)
    {
        int n = a.Shape[0], d = a.Numel / n;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double r = 0;
            for (int j = 0; j < d; j++) { double t = a.Data[i * d + j] - (double)b.Data[i * d + j]; r += t * t; }
            s += Math.Sqrt(r);
        }
        return s / n;
    }

    private static double MeanPairDistance(Tensor a)
    {
        int n = a.Shape[0], d = a.Numel / n;
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int k = i + 1; k < n; k++)
            {
                double r = 0;
                for (int j = 0; j < d; j++) { double t = a.Data[i * d + j] - (double)a.Data[k * d + j]; r += t * t; }
                s += Math.Sqrt(r);
            }
        double mean = s / (n * (n - 1) / 2.0);
        if (!(mean > 0)) throw new AtlasArgumentException("images", "every input gives the same representation at some layer; the normalised deviation is undefined");
        return mean;
    }

    private static double Accuracy(Tensor logits, int[] labels)
    {
        int n = logits.Shape[0], c = logits.Numel / n, right = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (logits.Data[i * c + j] > logits.Data[i * c + best]) best = j;
            if (best == labels[i]) right++;
        }
        return (double)right / n;
    }
}
