using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// A network component, as torch.nn.Module: named parameters (leaf <see cref="Var"/>s that require grad), named
/// buffers (tensors such as BatchNorm's running statistics), and named children, registered in order. Names join
/// with dots exactly as PyTorch's state_dict does (<c>layer1.0.conv1.weight</c>), so PyTorch checkpoints load
/// without renaming. <see cref="Forward(Var)"/> runs the module and then its forward hooks.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Var>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> _buffers = new();
    private readonly List<KeyValuePair<string, Module>> _children = new();
    private readonly List<Action<Module, Var, Var>> _hooks = new();
    private readonly List<Func<Module, Var, Var, Var>> _replacements = new();

    /// <summary>Training mode (dropout active, batch statistics in BatchNorm); set by <see cref="Train"/>/<see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Runs the module on <paramref name="input"/>, then every forward hook with (module, input, output).</summary>
    public Var Forward(Var input)
    {
        var output = OnForward(input);
        RunHooks(input, output);
        for (int i = 0; i < _replacements.Count; i++) output = _replacements[i](this, input, output);
        return output;
    }

    /// <summary>Shorthand for <see cref="Forward(Var)"/>.</summary>
    public Var Call(Var input) => Forward(input);

    /// <summary>The computation of this module (hooks are run by <see cref="Forward(Var)"/>).</summary>
    protected abstract Var OnForward(Var input);

    /// <summary>For modules with extra forward methods (attention): calls the hooks as <see cref="Forward(Var)"/> would.</summary>
    protected void RunHooks(Var input, Var output)
    {
        for (int i = 0; i < _hooks.Count; i++) _hooks[i](this, input, output);
    }

    /// <summary>Adds a hook called after every forward of this module; dispose the result to remove it.</summary>
    public IDisposable RegisterForwardHook(Action<Module, Var, Var> hook)
    {
        _hooks.Add(hook);
        return new Removal(() => _hooks.Remove(hook));
    }

    /// <summary>
    /// Adds a hook whose result replaces this module's output (as a PyTorch forward hook that returns a value), after
    /// the observing hooks; the rest of the network then runs on the replacement. Model stitching and interventions use
    /// it. Dispose the result to remove it.
    /// </summary>
    public IDisposable RegisterForwardReplacement(Func<Module, Var, Var, Var> replace)
    {
        _replacements.Add(replace);
        return new Removal(() => _replacements.Remove(replace));
    }

    /// <summary>
    /// Taps the output of the layer named <paramref name="layer"/> (a dotted submodule name here; graph modules such as
    /// an imported ONNX model override this with their node names): <paramref name="tap"/> sees every output and
    /// returns the value the rest of the network runs on. <see cref="LayerTaps"/> wraps it for observing and replacing.
    /// </summary>
    public virtual IDisposable TapLayer(string layer, Func<Var, Var> tap) =>
        GetSubmodule(layer).RegisterForwardReplacement((_, _, o) => tap(o));

    /// <summary>The names <see cref="TapLayer"/> accepts, in forward order where known (every submodule except the root here;
    /// graph modules list their per-example node outputs for <paramref name="sample"/>).</summary>
    public virtual IReadOnlyList<string> LayerNames(Var sample) => NamedModules().Skip(1).Select(m => m.Key).ToList();

    private sealed class Removal(Action remove) : IDisposable
    {
        private Action? _remove = remove;
        public void Dispose() { _remove?.Invoke(); _remove = null; }
    }

    protected Var RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        var p = new Var(value, requiresGrad: true);
        _parameters.Add(new(name, p));
        return p;
    }

    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        _buffers.Add(new(name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new AtlasArgumentException("name", $"'{name}' is not a valid member name (non-empty, no dots)");
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _children.Any(c => c.Key == name))
            throw new AtlasArgumentException("name", $"'{name}' is already registered on {GetType().Name}");
    }

    /// <summary>Replaces a buffer's tensor (BatchNorm's counter is a new scalar each step).</summary>
    protected void SetBuffer(string name, Tensor value)
    {
        int i = _buffers.FindIndex(b => b.Key == name);
        if (i < 0) throw new AtlasArgumentException("name", $"no buffer '{name}' on {GetType().Name}");
        _buffers[i] = new(name, value);
    }

    /// <summary>Direct children, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>This module ("") and every descendant with its dotted name, depth first, as torch's named_modules.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix, this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(prefix.Length == 0 ? name : prefix + "." + name))
                yield return m;
    }

    public IEnumerable<KeyValuePair<string, Var>> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return new(Join(prefix, name), p);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(Join(prefix, name))) yield return p;
    }

    public IEnumerable<Var> Parameters() => NamedParameters().Select(p => p.Value);

    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return new(Join(prefix, name), b);
        foreach (var (name, child) in _children)
            foreach (var b in child.NamedBuffers(Join(prefix, name))) yield return b;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>The submodule with dotted name <paramref name="name"/> ("" is this module).</summary>
    public Module GetSubmodule(string name)
    {
        foreach (var (n, m) in NamedModules())
            if (n == name) return m;
        throw new AtlasArgumentException("layer", $"no submodule named '{name}' in {GetType().Name}; it has: {string.Join(", ", NamedModules().Skip(1).Select(m => m.Key))}");
    }

    /// <summary>Parameters and buffers by PyTorch state_dict name, in PyTorch's order (own parameters, own buffers, then children).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var d = new OrderedDictionary<string, Tensor>();
        AddState(d, "");
        return d;
    }

    private void AddState(OrderedDictionary<string, Tensor> d, string prefix)
    {
        foreach (var (name, p) in _parameters) d.Add(Join(prefix, name), p.Value);
        foreach (var (name, b) in _buffers) d.Add(Join(prefix, name), b);
        foreach (var (name, child) in _children) child.AddState(d, Join(prefix, name));
    }

    /// <summary>
    /// Copies tensors into this module's parameters and buffers by name. Strict (default): every name must be present,
    /// nothing extra, shapes equal — otherwise nothing is loaded and the error lists missing, unexpected and
    /// mis-shaped names. Non-strict loads what matches and returns the names it skipped.
    /// </summary>
    public LoadResult LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> state, bool strict = true)
    {
        var given = new Dictionary<string, Tensor>();
        foreach (var (k, v) in state) given[k] = v;
        var own = StateDict();
        var missing = own.Keys.Where(k => !given.ContainsKey(k)).ToList();
        var unexpected = given.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var misShaped = own.Where(kv => given.TryGetValue(kv.Key, out var t) && !t.SameShape(kv.Value))
            .Select(kv => $"{kv.Key} (expected {ShapeMismatchException.Format(kv.Value.Shape)}, got {ShapeMismatchException.Format(given[kv.Key].Shape)})").ToList();
        if (strict && (missing.Count + unexpected.Count + misShaped.Count) > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing: " + string.Join(", ", missing));
            if (unexpected.Count > 0) parts.Add("unexpected: " + string.Join(", ", unexpected));
            if (misShaped.Count > 0) parts.Add("wrong shape: " + string.Join(", ", misShaped));
            throw new AtlasArgumentException("state_dict", $"does not match {GetType().Name}: {string.Join("; ", parts)}");
        }
        foreach (var (k, t) in own)
            if (given.TryGetValue(k, out var src) && src.SameShape(t))
                src.Data.AsSpan().CopyTo(t.Data);
        return new LoadResult(missing, unexpected, misShaped);
    }

    /// <summary>What a non-strict <see cref="LoadStateDict"/> could not load.</summary>
    public sealed record LoadResult(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> WrongShape);

    /// <summary>Sets training mode on this module and all descendants.</summary>
    public Module Train(bool on = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = on;
        return this;
    }

    /// <summary>Evaluation mode (running statistics, no dropout).</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>Number of parameter values.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    public override string ToString() => GetType().Name;
}
