using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// An ONNX graph run by NeuralAtlas's own differentiable ops, so Backward, Grad and Jvp work on imported models.
/// Floating-point initializers become trainable parameters with their ONNX names (dotted names such as
/// "conv1.weight" become nested holder modules, so <see cref="Module.StateDict"/> keys equal the initializer names);
/// other initializers (shapes, indices) stay constants. Construction checks every operator and attribute before
/// anything runs and names the first node it cannot import. <see cref="Run"/> returns every node output too, for
/// activation capture at any named node.
/// </summary>
public sealed class OnnxModule : Module
{
    public OnnxModel Model { get; }
    private readonly Dictionary<string, Var> _params = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NdArray> _consts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Func<Var, Var>>> _taps = new(StringComparer.Ordinal);

    public OnnxModule(OnnxModel model)
    {
        Model = model;
        var bad = OnnxOperators.Unsupported(model);
        if (bad.Count > 0)
            throw new AtlasFormatException(model.File, bad[0].Index, $"operators NeuralAtlas can import; node '{bad[0].Name}' is {bad[0].QualifiedOp} " +
                $"({bad.Count} unsupported node{(bad.Count == 1 ? "" : "s")}: {string.Join(", ", bad.Select(n => n.QualifiedOp).Distinct())})", "node");
        var limits = OnnxOperators.AttributeProblems(model);
        if (limits.Count > 0)
            throw new AtlasFormatException(model.File, limits[0].Node.Index, $"attributes NeuralAtlas can import; node '{limits[0].Node.Name}' " +
                $"({limits[0].Node.OpType}) asks for {limits[0].Problem} ({limits.Count} such node{(limits.Count == 1 ? "" : "s")}; see 'atlas onnx inspect')", "node");
        if (model.Inputs.Count != 1)
            throw new AtlasFormatException(model.File, 0, $"a graph with one input, got {model.Inputs.Count}", "input");
        // Float initializers are trainable weights, except those read only as Resize's roi or scales (sampling
        // geometry, not parameters of the function).
        var geometry = model.Nodes.Where(x => x.OpType == "Resize").SelectMany(x => x.Inputs.Skip(1)).ToHashSet(StringComparer.Ordinal);
        var weights = model.Nodes.SelectMany(x => x.OpType == "Resize" ? x.Inputs.Take(1) : x.Inputs).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, a) in model.Initializers)
        {
            if (a.DType.IsFloat() && !(geometry.Contains(name) && !weights.Contains(name))) _params[name] = Register(name, a.ToTensor());
            else _consts[name] = a;
        }
    }

    private Var Register(string name, Tensor t)
    {
        string[] parts = name.Split('.');
        if (parts.Any(p => p.Length == 0)) return RegisterParameter(name.Replace('.', '_'), t);
        Module owner = this;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var child = owner.NamedChildren().FirstOrDefault(c => c.Key == parts[i]).Value;
            owner = child ?? (owner is OnnxModule m ? m.AddHolder(parts[i]) : ((Holder)owner).AddHolder(parts[i]));
        }
        return owner is OnnxModule root ? root.RegisterParameter(parts[^1], t) : ((Holder)owner).Add(parts[^1], t);
    }

    private Holder AddHolder(string name) => RegisterModule(name, new Holder());

    /// <summary>Holds the parameters under one dotted prefix; it has no computation of its own.</summary>
    private sealed class Holder : Module
    {
        public Holder AddHolder(string name) => RegisterModule(name, new Holder());
        public Var Add(string name, Tensor t) => RegisterParameter(name, t);
        protected override Var OnForward(Var input) => throw new AtlasArgumentException("module", "a parameter holder of an ONNX graph has no forward");
    }

    protected override Var OnForward(Var input)
    {
        var values = Run(input);
        return values[Model.Outputs[0].Name];
    }

    /// <summary>
    /// The value a layer name means: a node name (as <c>atlas onnx inspect</c> lists them) stands for the node's first
    /// output; a value name (node output or graph output) stands for itself.
    /// </summary>
    public string ValueName(string layer)
    {
        var node = Model.Nodes.FirstOrDefault(x => x.Name == layer);
        if (node is not null) return node.Outputs[0];
        if (Model.Nodes.Any(x => x.Outputs.Contains(layer)) || Model.Inputs.Any(i => i.Name == layer)) return layer;
        throw new AtlasArgumentException("--layers", $"'{layer}' is neither a node name nor a value of {Model.File} (see 'atlas onnx inspect')");
    }

    /// <summary>The graph's layers are its nodes: see <see cref="ActivationNodes"/>.</summary>
    public override IReadOnlyList<string> LayerNames(Var sample) => ActivationNodes(sample);

    /// <summary>Node names whose first output is a per-example floating-point value (batch-first, as the input),
    /// found by running <paramref name="sample"/>; constants and shape arithmetic are left out.</summary>
    public IReadOnlyList<string> ActivationNodes(Var sample)
    {
        using var _ = GradMode.NoGrad();
        var values = Run(sample);
        int batch = sample.Shape[0];
        return Model.Nodes.Where(x => x.OpType != "Constant" && values.TryGetValue(x.Outputs[0], out var v) && v.Rank > 0 && v.Shape[0] == batch)
            .Select(x => x.Name).ToList();
    }

    /// <summary>Runs the graph and returns every named value (graph input, initializers, every node output).</summary>
    public Dictionary<string, Var> Run(Var input)
    {
        var env = new Dictionary<string, Var>(StringComparer.Ordinal) { [Model.Inputs[0].Name] = input };
        foreach (var (k, v) in _params) env[k] = v;
        var consts = new Dictionary<string, NdArray>(_consts, StringComparer.Ordinal);
        foreach (var n in Model.Nodes)
        {
            OnnxOps.Apply(n, env, consts, Model.File);
            if (_taps.Count == 0) continue;
            foreach (var o in n.Outputs)
                if (_taps.TryGetValue(o, out var taps) && env.TryGetValue(o, out var v))
                {
                    foreach (var t in taps.ToArray()) v = t(v);
                    env[o] = v;
                }
        }
        return env;
    }

    /// <summary>
    /// Calls <paramref name="tap"/> on the value <paramref name="layer"/> names (see <see cref="ValueName"/>) every time
    /// the graph runs; what it returns replaces the value for the nodes downstream (return the argument to only
    /// observe). This is the ONNX counterpart of a forward hook; dispose the result to remove it.
    /// </summary>
    public override IDisposable TapLayer(string layer, Func<Var, Var> tap)
    {
        string value = ValueName(layer);
        if (Model.Inputs.Any(i => i.Name == value))
            throw new AtlasArgumentException("layer", $"'{layer}' is the graph input; tap a node output instead");
        if (!_taps.TryGetValue(value, out var list)) _taps[value] = list = new List<Func<Var, Var>>();
        list.Add(tap);
        return new TapRemoval(() => { list.Remove(tap); if (list.Count == 0) _taps.Remove(value); });
    }

    private sealed class TapRemoval(Action remove) : IDisposable
    {
        private Action? _remove = remove;
        public void Dispose() { _remove?.Invoke(); _remove = null; }
    }
}
