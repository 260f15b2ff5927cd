using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>
/// A multilayer perceptron on flattened inputs: flatten → fc1 → act1 → … → fcK (logits). Layer names are
/// <c>fc1</c>…<c>fcK</c> and <c>act1</c>…, so the state dict is <c>fc1.weight, fc1.bias, …</c>.
/// </summary>
public sealed class Mlp : Module
{
    private readonly List<Module> _steps = new();

    public Mlp(int inFeatures, int[] hidden, int numClasses, Rng rng, string activation = "relu")
    {
        _steps.Add(RegisterModule("flatten", new Flatten()));
        int prev = inFeatures;
        for (int i = 0; i < hidden.Length; i++)
        {
            _steps.Add(RegisterModule($"fc{i + 1}", new Linear(prev, hidden[i], rng)));
            _steps.Add(RegisterModule($"act{i + 1}", ActivationModule(activation)));
            prev = hidden[i];
        }
        _steps.Add(RegisterModule($"fc{hidden.Length + 1}", new Linear(prev, numClasses, rng)));
    }

    internal static Module ActivationModule(string name) => name switch
    {
        "relu" => new ReLU(),
        "leaky_relu" => new LeakyReLU(),
        "gelu" => new GELU(),
        "gelu_tanh" => new GELU(true),
        "silu" => new SiLU(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "softplus" => new Softplus(),
        "solu" => new SoLU(),
        _ => throw new AtlasArgumentException("activation", $"unknown activation '{name}'; expected relu, leaky_relu, gelu, gelu_tanh, silu, sigmoid, tanh, softplus or solu"),
    };

    protected override Var OnForward(Var x)
    {
        foreach (var s in _steps) x = s.Forward(x);
        return x;
    }
}
