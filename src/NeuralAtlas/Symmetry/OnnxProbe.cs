using NeuralAtlas.Autograd;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry;

/// <summary>
/// The shape every value of an ONNX graph takes on one example. The symmetry analyses read layer geometry from it (the
/// spatial size a convolution sees, how many positions a Flatten folds into each channel) because ONNX files often
/// leave intermediate shapes undeclared; one forward pass on zeros settles them.
/// </summary>
public static class OnnxProbe
{
    /// <summary>
    /// The graph input's shape for one example: the declared dimensions with the batch set to 1; an undeclared
    /// spatial dimension (axes 2 and 3 of a 4-D input) takes <paramref name="spatialFallback"/> when it is positive.
    /// </summary>
    public static int[] InputShape(OnnxModel model, int spatialFallback = 0)
    {
        var input = model.Inputs[0];
        if (input.Shape.Count == 0)
            throw new AtlasArgumentException("--onnx", $"{model.File}: input '{input.Name}' declares no shape; a graph with a declared input rank is needed");
        var shape = new int[input.Shape.Count];
        shape[0] = 1;
        for (int i = 1; i < shape.Length; i++)
        {
            if (int.TryParse(input.Shape[i], System.Globalization.CultureInfo.InvariantCulture, out int d) && d > 0) shape[i] = d;
            else if (shape.Length == 4 && i >= 2 && spatialFallback > 0) shape[i] = spatialFallback;
            else
                throw new AtlasArgumentException("--onnx", $"{model.File}: dimension {i} of input '{input.Name}' [{string.Join(", ", input.Shape)}] is '{input.Shape[i]}', " +
                    (shape.Length == 4 && i >= 2 ? "not a number; give the image size with --input-size" : "not a number; only the batch and spatial dimensions may be symbolic"));
        }
        return shape;
    }

    /// <summary>Runs <paramref name="graph"/> once on zeros of <paramref name="inputShape"/> and returns every value's shape.</summary>
    public static Dictionary<string, int[]> ValueShapes(OnnxModule graph, int[] inputShape) =>
        Values(graph, inputShape).ToDictionary(kv => kv.Key, kv => (int[])kv.Value.Shape.Clone(), StringComparer.Ordinal);

    /// <summary>Runs <paramref name="graph"/> once on zeros of <paramref name="inputShape"/> and returns every floating-point value.</summary>
    public static Dictionary<string, Tensor> Values(OnnxModule graph, int[] inputShape)
    {
        using var _ = GradMode.NoGrad();
        var values = graph.Run(new Var(Tensor.Zeros(inputShape)));
        return values.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is computed from initializers and constants alone (a weight sliced, transposed or
    /// reshaped inside the graph, as PyTorch exports attention's packed projections), so it is the same for every input.
    /// </summary>
    public static bool IsInputIndependent(OnnxModel model, string value)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var n in model.Nodes) foreach (var o in n.Outputs) producer[o] = n;
        var memo = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Check(string v)
        {
            if (v.Length == 0 || model.Initializers.ContainsKey(v)) return true;
            if (memo.TryGetValue(v, out bool known)) return known;
            memo[v] = false; // a cycle cannot occur in a valid graph; this also stops one
            bool r = producer.TryGetValue(v, out var n) && n.Inputs.All(Check);
            memo[v] = r;
            return r;
        }
        return Check(value);
    }
}
