using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn;

/// <summary>
/// One way to read or change a named layer's output in any model: a zoo or user <see cref="Module"/> (dotted submodule
/// names such as <c>layer2.1.relu</c>) or an imported ONNX graph (node names such as <c>/conv1/Conv</c>, or value
/// names). Analyses written against these calls (activation capture, neural frames, invariance, stitching) work on
/// both without knowing which they have. Every call returns a handle; dispose it to remove the tap.
/// </summary>
public static class LayerTaps
{
    /// <summary>Calls <paramref name="observer"/> with <paramref name="layer"/>'s output on every forward pass (the
    /// <see cref="Var"/> itself, so gradients and forward-mode tangents flow through it).</summary>
    public static IDisposable Observe(Module model, string layer, Action<Var> observer) =>
        model.TapLayer(layer, v => { observer(v); return v; });

    /// <summary>Replaces <paramref name="layer"/>'s output by <paramref name="replace"/>(output) for everything downstream.</summary>
    public static IDisposable Replace(Module model, string layer, Func<Var, Var> replace) => model.TapLayer(layer, replace);

    /// <summary>The tappable layer names of <paramref name="model"/> (graph models need a sample input to list them).</summary>
    public static IReadOnlyList<string> Names(Module model, Var sample) => model.LayerNames(sample);

    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> and returns the outputs of <paramref name="layers"/>
    /// (as <see cref="Var"/>s of this forward pass), in the order given; a layer the pass never reached is an error.</summary>
    public static Var[] Outputs(Module model, Var input, IReadOnlyList<string> layers)
    {
        var outs = new Var?[layers.Count];
        var handles = new List<IDisposable>(layers.Count);
        try
        {
            for (int l = 0; l < layers.Count; l++)
            {
                int li = l;
                handles.Add(Observe(model, layers[l], v => outs[li] = v));
            }
            model.Forward(input);
        }
        finally { foreach (var h in handles) h.Dispose(); }
        var result = new Var[layers.Count];
        for (int l = 0; l < layers.Count; l++)
            result[l] = outs[l] ?? throw new AtlasArgumentException("layers", $"layer '{layers[l]}' was not reached in the forward pass");
        return result;
    }
}
