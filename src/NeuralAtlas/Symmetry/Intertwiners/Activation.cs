using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>The nonlinearities whose intertwiner groups are known (Godfrey et al. 2205.14258, Table 1).</summary>
public enum ActivationKind { Identity, ReLU, LeakyReLU, GELU, SiLU, Sigmoid, Tanh, Softplus, SoLU }

/// <summary>
/// A nonlinearity σ: ℝⁿ → ℝⁿ. All are elementwise except SoLU(x) = x ⊙ softmax(x) (Elhage et al. 2022), which
/// couples the coordinates through the softmax.
/// </summary>
public sealed record Activation(ActivationKind Kind, double NegativeSlope = 0.01)
{
    public static IReadOnlyList<string> Names { get; } = new[] { "identity", "relu", "leaky_relu", "gelu", "silu", "sigmoid", "tanh", "softplus", "solu" };

    public static Activation Parse(string name, double negativeSlope = 0.01)
    {
        var kind = name.Trim().ToLowerInvariant().Replace("-", "_") switch
        {
            "identity" or "linear" or "none" => ActivationKind.Identity,
            "relu" => ActivationKind.ReLU,
            "leaky_relu" or "leakyrelu" => ActivationKind.LeakyReLU,
            "gelu" => ActivationKind.GELU,
            "silu" or "swish" => ActivationKind.SiLU,
            "sigmoid" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            "softplus" => ActivationKind.Softplus,
            "solu" => ActivationKind.SoLU,
            _ => throw new AtlasArgumentException("activation", $"'{name}' has no known intertwiner group; known: {string.Join(", ", Names)}"),
        };
        if (kind == ActivationKind.LeakyReLU && (!double.IsFinite(negativeSlope) || negativeSlope <= 0 || negativeSlope == 1))
            throw new AtlasArgumentException("negative-slope", $"LeakyReLU needs a slope in (0, 1) ∪ (1, ∞) (0 is ReLU, 1 the identity), got {negativeSlope}");
        return new Activation(kind, negativeSlope);
    }

    public string Name => Names[(int)Kind];

    public double[] Apply(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length];
        if (Kind == ActivationKind.SoLU)
        {
            double max = double.NegativeInfinity;
            foreach (double v in x) max = Math.Max(max, v);
            double z = 0;
            for (int i = 0; i < x.Length; i++) z += Math.Exp(x[i] - max);
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * Math.Exp(x[i] - max) / z;
            return y;
        }
        for (int i = 0; i < x.Length; i++) y[i] = Scalar(x[i]);
        return y;
    }

    public double Scalar(double v) => Kind switch
    {
        ActivationKind.Identity => v,
        ActivationKind.ReLU => Math.Max(v, 0),
        ActivationKind.LeakyReLU => v >= 0 ? v : NegativeSlope * v,
        ActivationKind.GELU => 0.5 * v * (1 + SpecialFunctions.Erf(v / Math.Sqrt(2))),
        ActivationKind.SiLU => v / (1 + Math.Exp(-v)),
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-v)),
        ActivationKind.Tanh => Math.Tanh(v),
        ActivationKind.Softplus => v > 30 ? v : v < -30 ? Math.Exp(v) : Math.Log(1 + Math.Exp(v)),
        _ => throw new AtlasArgumentException("activation", $"{Kind} is not elementwise"),
    };
}
