using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>Inverted dropout in training mode, identity in eval (nn.Dropout); masks drawn from the given generator.</summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;
    public float P { get; }

    public Dropout(float p, Rng rng)
    {
        if (p < 0 || p > 1) throw new AtlasArgumentException("p", $"dropout probability must be in [0, 1], got {p}");
        P = p;
        _rng = rng;
    }

    protected override Var OnForward(Var x) => F.Dropout(x, P, Training, _rng);
}
