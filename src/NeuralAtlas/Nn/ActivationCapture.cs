using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// Records the outputs of named submodules through forward hooks, batch after batch (detached copies), so the
/// analyses can read any layer's activations: <c>using var cap = new ActivationCapture(model, ["conv1", "fc1"]);</c>
/// then run the model and read <see cref="Concatenated"/>.
/// </summary>
public sealed class ActivationCapture : IDisposable
{
    private readonly List<IDisposable> _handles = new();
    private readonly Dictionary<string, List<Tensor>> _batches = new();

    /// <summary>The captured layer names, in the order given.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>Hooks <paramref name="layers"/> of <paramref name="model"/> (dotted submodule names; node names for an
    /// imported ONNX graph — see <see cref="LayerTaps"/>).</summary>
    public ActivationCapture(Module model, IEnumerable<string> layers)
    {
        Layers = layers.ToList();
        if (Layers.Count == 0) throw new AtlasArgumentException("layers", "name at least one layer");
        foreach (var name in Layers)
        {
            var list = _batches[name] = new List<Tensor>();
            _handles.Add(LayerTaps.Observe(model, name, y => list.Add(y.Value.Clone())));
        }
    }

    /// <summary>Every named submodule except the root, in PyTorch's named_modules order.</summary>
    public static IReadOnlyList<string> AllLayers(Module model) => model.NamedModules().Skip(1).Select(m => m.Key).ToList();

    /// <summary>The outputs captured for <paramref name="layer"/>, one tensor per forward call.</summary>
    public IReadOnlyList<Tensor> Batches(string layer) => _batches.TryGetValue(layer, out var l) ? l
        : throw new AtlasArgumentException("layer", $"'{layer}' is not captured");

    /// <summary>All captured outputs of <paramref name="layer"/> concatenated along the batch dimension.</summary>
    public Tensor Concatenated(string layer)
    {
        var l = Batches(layer);
        if (l.Count == 0) throw new AtlasArgumentException("layer", $"'{layer}' has produced no output yet (run the model first)");
        return l.Count == 1 ? l[0] : Ops.Cat(l.ToList(), 0);
    }

    public void Clear()
    {
        foreach (var l in _batches.Values) l.Clear();
    }

    public void Dispose()
    {
        foreach (var h in _handles) h.Dispose();
        _handles.Clear();
    }
}
