using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Activation functions. Smooth ones are differentiable twice (their derivative is itself an op here).</summary>
public static partial class F
{
    public static Var Relu(Var x)
    {
        var y = Ops.Relu(x.Value);
        return Record(y, "relu", new[] { x }, g => new[] { PassWherePositive(g, y) });
    }

    // g where y > 0, else 0: ReLU's backward in one pass. Linear in g (the mask is fixed), so its own backward is itself.
    private static Var PassWherePositive(Var g, Tensor y)
    {
        var r = new Tensor(g.Shape);
        var gd = g.Value.Data;
        var yd = y.Data;
        var rd = r.Data;
        Parallelism.Chunks(rd.Length, 1 << 16, (s, e) => MaskPositive(gd, yd, rd, (int)s, (int)e));
        return Record(r, "relu_backward", new[] { g }, gg => new[] { PassWherePositive(gg, y) });
    }

    private static void MaskPositive(float[] g, float[] y, float[] r, int s, int e)
    {
        int i = s, w = System.Numerics.Vector<float>.Count;
        var gs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(g.AsSpan(s, e - s));
        var ys = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y.AsSpan(s, e - s));
        var rs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(r.AsSpan(s, e - s));
        for (int k = 0; k < rs.Length; k++)
            rs[k] = System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(ys[k], System.Numerics.Vector<float>.Zero), gs[k], System.Numerics.Vector<float>.Zero);
        for (i = s + rs.Length * w; i < e; i++) r[i] = y[i] > 0 ? g[i] : 0f;
    }

    public static Var LeakyRelu(Var x, float negativeSlope = 0.01f) =>
        Record(Ops.LeakyRelu(x.Value, negativeSlope), "leaky_relu", new[] { x }, g =>
            new[] { Mul(g, Const(Ops.Map(x.Value, v => v > 0 ? 1f : negativeSlope))) });

    public static Var Sigmoid(Var x)
    {
        Var y = null!;
        y = Record(Ops.Sigmoid(x.Value), "sigmoid", new[] { x }, g => new[] { Mul(g, Mul(y, AddScalar(Neg(y), 1))) });
        return y;
    }

    public static Var Tanh(Var x)
    {
        Var y = null!;
        y = Record(Ops.Tanh(x.Value), "tanh", new[] { x }, g => new[] { Mul(g, AddScalar(Neg(Square(y)), 1)) });
        return y;
    }

    /// <summary>GELU, exact (x·Φ(x)) or PyTorch's tanh approximation.</summary>
    public static Var Gelu(Var x, bool tanhApproximation = false) =>
        Record(Ops.Gelu(x.Value, tanhApproximation), tanhApproximation ? "gelu_tanh" : "gelu", new[] { x }, g =>
            new[] { Mul(g, tanhApproximation ? Pointwise("gelu_tanh'", x, GeluTanhD1, GeluTanhD2) : Pointwise("gelu'", x, GeluD1, GeluD2)) });

    /// <summary>SiLU x·σ(x).</summary>
    public static Var Silu(Var x) =>
        Record(Ops.Silu(x.Value), "silu", new[] { x }, g => new[] { Mul(g, Pointwise("silu'", x, SiluD1, SiluD2)) });

    /// <summary>Softplus log(1+e^{βx})/β, linear above the threshold (as torch).</summary>
    public static Var Softplus(Var x, float beta = 1, float threshold = 20) =>
        Record(Ops.Softplus(x.Value, beta, threshold), "softplus", new[] { x }, g => new[]
        {
            Mul(g, Pointwise("softplus'", x,
                v => v * beta > threshold ? 1 : Logistic(v * beta),
                v => v * beta > threshold ? 0 : beta * Logistic(v * beta) * (1 - Logistic(v * beta)))),
        });

    /// <summary>SoLU: x·softmax(x) along <paramref name="axis"/> (Elhage et al., 2022).</summary>
    public static Var Solu(Var x, int axis = -1) => Mul(x, Softmax(x, axis));

    /// <summary>
    /// An element-wise function given by its value and first derivative (and optionally the second, which makes the
    /// result twice differentiable). Computed in double per element.
    /// </summary>
    public static Var Pointwise(string name, Var x, Func<double, double> f, Func<double, double> df, Func<double, double>? d2f = null)
    {
        var y = Ops.Map(x.Value, v => (float)f(v));
        return Record(y, name, new[] { x }, g =>
        {
            if (d2f is null)
                return new[] { Mul(g, Record(Ops.Map(x.Value, v => (float)df(v)), name + "'", new[] { x },
                    _ => throw new AtlasArgumentException("create_graph", $"{name} is differentiable only twice here"))) };
            return new[] { Mul(g, Pointwise(name + "'", x, df, d2f)) };
        });
    }

    private static double Logistic(double v) => 1 / (1 + Math.Exp(-v));
    private const double InvSqrt2Pi = 0.3989422804014327, InvSqrt2 = 0.7071067811865476, SqrtTwoOverPi = 0.7978845608028654;
    private static double Phi(double v) => 0.5 * (1 + SpecialFunctions.Erf(v * InvSqrt2));
    private static double PhiDensity(double v) => InvSqrt2Pi * Math.Exp(-0.5 * v * v);
    private static double GeluD1(double v) => Phi(v) + v * PhiDensity(v);
    private static double GeluD2(double v) => PhiDensity(v) * (2 - v * v);

    private static double GeluTanhD1(double v)
    {
        double u = SqrtTwoOverPi * (v + 0.044715 * v * v * v), t = Math.Tanh(u);
        double du = SqrtTwoOverPi * (1 + 3 * 0.044715 * v * v);
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du;
    }

    private static double GeluTanhD2(double v)
    {
        double u = SqrtTwoOverPi * (v + 0.044715 * v * v * v), t = Math.Tanh(u);
        double du = SqrtTwoOverPi * (1 + 3 * 0.044715 * v * v), d2u = SqrtTwoOverPi * 6 * 0.044715 * v;
        double s = 1 - t * t;
        return s * du + 0.5 * v * (-2 * t * s * du * du + s * d2u);
    }

    private static double SiluD1(double v) { double s = Logistic(v); return s * (1 + v * (1 - s)); }
    private static double SiluD2(double v) { double s = Logistic(v); return s * (1 - s) * (2 + v * (1 - 2 * s)); }

    /// <summary>Applies an activation by its PyTorch-style name (relu, leaky_relu, gelu, gelu_tanh, silu, sigmoid, tanh, softplus, solu, identity).</summary>
    public static Var Activation(string name, Var x) => name switch
    {
        "relu" => Relu(x),
        "leaky_relu" => LeakyRelu(x),
        "gelu" => Gelu(x),
        "gelu_tanh" => Gelu(x, true),
        "silu" => Silu(x),
        "sigmoid" => Sigmoid(x),
        "tanh" => Tanh(x),
        "softplus" => Softplus(x),
        "solu" => Solu(x),
        "identity" => x,
        _ => throw new AtlasArgumentException("activation", $"unknown activation '{name}'; expected relu, leaky_relu, gelu, gelu_tanh, silu, sigmoid, tanh, softplus, solu or identity"),
    };
}
