using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn;

/// <summary>Children applied in order, named "0", "1", ... (nn.Sequential), or by the names given.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = new();

    public Sequential(params Module[] layers)
    {
        for (int i = 0; i < layers.Length; i++) Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    public Sequential(IEnumerable<KeyValuePair<string, Module>> named)
    {
        foreach (var (n, m) in named) Add(n, m);
    }

    public Sequential Add(string name, Module m)
    {
        _layers.Add(RegisterModule(name, m));
        return this;
    }

    public int Count => _layers.Count;
    public Module this[int i] => _layers[i];

    protected override Var OnForward(Var x)
    {
        foreach (var m in _layers) x = m.Forward(x);
        return x;
    }
}
