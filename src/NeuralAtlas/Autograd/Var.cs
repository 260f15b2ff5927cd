using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// A tensor on the autograd tape (PyTorch's Tensor with requires_grad): <see cref="Value"/> is the data,
/// <see cref="GradFn"/> the node that produced it (null for leaves), <see cref="Grad"/> the gradient accumulated by
/// <see cref="Backward"/> on leaves that require it. Differentiable operations are the static methods of
/// <see cref="F"/> and the operators below.
/// </summary>
public sealed class Var
{
    /// <summary>The data. Optimizers update it in place; replacing it keeps the graph consistent only for leaves.</summary>
    public Tensor Value { get; set; }

    /// <summary>Gradient accumulated by <see cref="Backward"/> (leaves only), or null before the first backward.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Whether gradients flow to this variable (set on leaves; computed on results).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The operation that produced this value, or null for a leaf (or anything computed without grad).</summary>
    public Node? GradFn { get; internal set; }

    public bool IsLeaf => GradFn is null;

    public Var(Tensor value, bool requiresGrad = false)
    {
        Value = value;
        RequiresGrad = requiresGrad;
    }

    public int[] Shape => Value.Shape;
    public int Rank => Value.Rank;
    public int Numel => Value.Numel;

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => Value.Dim(dim);

    /// <summary>The value of a one-element variable.</summary>
    public float Item()
    {
        if (Value.Numel != 1) throw new ShapeMismatchException("item", $"needs exactly one element, got {ShapeMismatchException.Format(Shape)}");
        return Value.Data[0];
    }

    /// <summary>A constant with the same data, cut from the graph (shares the data array, like torch.detach).</summary>
    public Var Detach() => new(Value);

    /// <summary>
    /// Reverse-mode differentiation from this variable: adds d(this)/d(leaf) · <paramref name="gradient"/> to the
    /// <see cref="Grad"/> of every leaf that requires grad. <paramref name="gradient"/> defaults to 1 for a
    /// one-element variable (PyTorch's rule). With <paramref name="createGraph"/> the backward pass is itself recorded,
    /// so leaf gradients can be differentiated again (use <see cref="Functional.Grad(Var[], Var[], Var[], bool, bool)"/> to get them as variables).
    /// </summary>
    public void Backward(Tensor? gradient = null, bool createGraph = false)
    {
        var seed = Engine.Seed(this, gradient);
        Engine.Run(new[] { this }, new[] { seed }, null, createGraph, accumulateIntoLeaves: true);
    }

    /// <summary>Sets <see cref="Grad"/> to null.</summary>
    public void ZeroGrad() => Grad = null;

    public static implicit operator Var(Tensor t) => new(t);

    public static Var operator +(Var a, Var b) => F.Add(a, b);
    public static Var operator -(Var a, Var b) => F.Sub(a, b);
    public static Var operator *(Var a, Var b) => F.Mul(a, b);
    public static Var operator /(Var a, Var b) => F.Div(a, b);
    public static Var operator -(Var a) => F.Neg(a);
    public static Var operator +(Var a, float s) => F.AddScalar(a, s);
    public static Var operator +(float s, Var a) => F.AddScalar(a, s);
    public static Var operator -(Var a, float s) => F.AddScalar(a, -s);
    public static Var operator -(float s, Var a) => F.AddScalar(F.Neg(a), s);
    public static Var operator *(Var a, float s) => F.Scale(a, s);
    public static Var operator *(float s, Var a) => F.Scale(a, s);
    public static Var operator /(Var a, float s) => F.Scale(a, 1f / s);

    public override string ToString() => $"Var{ShapeMismatchException.Format(Shape)}{(RequiresGrad ? " requires_grad" : "")}{(GradFn is null ? "" : " grad_fn=" + GradFn.Name)}";
}
