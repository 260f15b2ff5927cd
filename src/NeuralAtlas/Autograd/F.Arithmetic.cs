using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Broadcasting arithmetic and elementary functions.</summary>
public static partial class F
{
    public static Var Add(Var a, Var b) =>
        Record(Ops.Add(a.Value, b.Value), "add", new[] { a, b }, g => new[]
        {
            a.RequiresGrad ? SumToShape(g, a.Shape) : null,
            b.RequiresGrad ? SumToShape(g, b.Shape) : null,
        });

    public static Var Sub(Var a, Var b) =>
        Record(Ops.Sub(a.Value, b.Value), "sub", new[] { a, b }, g => new[]
        {
            a.RequiresGrad ? SumToShape(g, a.Shape) : null,
            b.RequiresGrad ? SumToShape(Neg(g), b.Shape) : null,
        });

    public static Var Mul(Var a, Var b) =>
        Record(Ops.Mul(a.Value, b.Value), "mul", new[] { a, b }, g => new[]
        {
            a.RequiresGrad ? SumToShape(Mul(g, b), a.Shape) : null,
            b.RequiresGrad ? SumToShape(Mul(g, a), b.Shape) : null,
        });

    public static Var Div(Var a, Var b) =>
        Record(Ops.Div(a.Value, b.Value), "div", new[] { a, b }, g => new[]
        {
            a.RequiresGrad ? SumToShape(Div(g, b), a.Shape) : null,
            b.RequiresGrad ? SumToShape(Neg(Div(Mul(g, a), Mul(b, b))), b.Shape) : null,
        });

    public static Var Neg(Var a) => Record(Ops.Neg(a.Value), "neg", new[] { a }, g => new[] { Neg(g) });

    /// <summary>a · s for a constant s.</summary>
    public static Var Scale(Var a, float s) => Record(Ops.Mul(a.Value, s), "scale", new[] { a }, g => new[] { Scale(g, s) });

    /// <summary>a + s for a constant s.</summary>
    public static Var AddScalar(Var a, float s) => Record(Ops.Add(a.Value, s), "add_scalar", new[] { a }, g => new[] { g });

    /// <summary>a^p for a constant exponent p.</summary>
    public static Var Pow(Var a, float p) =>
        Record(Ops.Pow(a.Value, p), "pow", new[] { a }, g => new[] { p == 0 ? Scale(g, 0) : Mul(g, Scale(Pow(a, p - 1), p)) });

    public static Var Square(Var a) => Record(Ops.Square(a.Value), "square", new[] { a }, g => new[] { Mul(g, Scale(a, 2)) });

    public static Var Sqrt(Var a)
    {
        Var y = null!;
        y = Record(Ops.Sqrt(a.Value), "sqrt", new[] { a }, g => new[] { Div(g, Scale(y, 2)) });
        return y;
    }

    public static Var Exp(Var a)
    {
        Var y = null!;
        y = Record(Ops.Exp(a.Value), "exp", new[] { a }, g => new[] { Mul(g, y) });
        return y;
    }

    public static Var Log(Var a) => Record(Ops.Log(a.Value), "log", new[] { a }, g => new[] { Div(g, a) });

    /// <summary>|a|; the gradient at 0 is 0 (as PyTorch).</summary>
    public static Var Abs(Var a) => Record(Ops.Abs(a.Value), "abs", new[] { a }, g => new[] { Mul(g, Const(Ops.Sign(a.Value))) });

    /// <summary>Clamps to [min, max]; gradient passes where the input is inside the range (bounds included, as PyTorch).</summary>
    public static Var Clamp(Var a, float? min = null, float? max = null) =>
        Record(Ops.Clamp(a.Value, min, max), "clamp", new[] { a }, g =>
        {
            var mask = Ops.Map(a.Value, x => (min is float lo && x < lo) || (max is float hi && x > hi) ? 0f : 1f);
            return new[] { Mul(g, Const(mask)) };
        });

    /// <summary>Element-wise maximum; ties send the gradient half to each side (as torch.maximum).</summary>
    public static Var Maximum(Var a, Var b) =>
        Record(Ops.Maximum(a.Value, b.Value), "maximum", new[] { a, b }, g =>
        {
            var wa = Ops.Add(Ops.Gt(a.Value, b.Value), Ops.Mul(Ops.Eq(a.Value, b.Value), 0.5f));
            var wb = Ops.Sub(1f, wa);
            return new[]
            {
                a.RequiresGrad ? SumToShape(Mul(g, Const(wa)), a.Shape) : null,
                b.RequiresGrad ? SumToShape(Mul(g, Const(wb)), b.Shape) : null,
            };
        });
}
