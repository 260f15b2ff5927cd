using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn;

/// <summary>max(x, 0) (nn.ReLU).</summary>
public sealed class ReLU : Module { protected override Var OnForward(Var x) => F.Relu(x); }

/// <summary>nn.LeakyReLU(negative_slope).</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    public float NegativeSlope { get; } = negativeSlope;
    protected override Var OnForward(Var x) => F.LeakyRelu(x, NegativeSlope);
}

/// <summary>nn.GELU(approximate='none' | 'tanh').</summary>
public sealed class GELU(bool tanhApproximation = false) : Module
{
    public bool TanhApproximation { get; } = tanhApproximation;
    protected override Var OnForward(Var x) => F.Gelu(x, TanhApproximation);
}

/// <summary>x·σ(x) (nn.SiLU).</summary>
public sealed class SiLU : Module { protected override Var OnForward(Var x) => F.Silu(x); }

/// <summary>nn.Sigmoid.</summary>
public sealed class Sigmoid : Module { protected override Var OnForward(Var x) => F.Sigmoid(x); }

/// <summary>nn.Tanh.</summary>
public sealed class Tanh : Module { protected override Var OnForward(Var x) => F.Tanh(x); }

/// <summary>nn.Softplus(beta, threshold).</summary>
public sealed class Softplus(float beta = 1, float threshold = 20) : Module
{
    protected override Var OnForward(Var x) => F.Softplus(x, beta, threshold);
}

/// <summary>SoLU x·softmax(x) over the last dimension (Elhage et al., 2022).</summary>
public sealed class SoLU(int axis = -1) : Module { protected override Var OnForward(Var x) => F.Solu(x, axis); }

/// <summary>Returns its input (nn.Identity); useful as a named hook point.</summary>
public sealed class Identity : Module { protected override Var OnForward(Var x) => x; }
