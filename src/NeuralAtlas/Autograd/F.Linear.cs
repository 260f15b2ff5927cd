using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Matrix products and the affine layer.</summary>
public static partial class F
{
    /// <summary>
    /// op(a)·op(b) over the last two dimensions with broadcast batch dimensions (torch.matmul for operands of rank
    /// ≥ 2); <paramref name="transA"/>/<paramref name="transB"/> transpose an operand's last two dimensions without a copy.
    /// </summary>
    public static Var MatMul(Var a, Var b, bool transA = false, bool transB = false)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new ShapeMismatchException("matmul", a.Shape, b.Shape, "autograd matmul needs operands of rank 2 or more (unsqueeze vectors)");
        return Record(Ops.Matmul(a.Value, b.Value, transA, transB), "matmul", new[] { a, b }, g => new[]
        {
            a.RequiresGrad ? SumToShape(transA ? MatMul(b, g, transB, true) : MatMul(g, b, false, !transB), a.Shape) : null,
            b.RequiresGrad ? SumToShape(transB ? MatMul(g, a, true, transA) : MatMul(a, g, !transA, false), b.Shape) : null,
        });
    }

    /// <summary>x·Wᵀ + b over the last dimension of x (torch.nn.functional.linear); W is [out, in].</summary>
    public static Var Linear(Var x, Var weight, Var? bias = null)
    {
        if (weight.Rank != 2) throw new ShapeMismatchException("linear", $"weight must be [out_features, in_features], got {ShapeMismatchException.Format(weight.Shape)}");
        if (x.Rank == 0 || x.Shape[^1] != weight.Shape[1])
            throw new ShapeMismatchException("linear", x.Shape, weight.Shape, $"input's last dimension must be in_features = {weight.Shape[1]}");
        var x2 = x.Rank == 2 ? x : Reshape(x, -1, weight.Shape[1]);
        var y = MatMul(x2, weight, false, true);
        if (bias is not null) y = Add(y, bias);
        if (x.Rank == 2) return y;
        var outShape = (int[])x.Shape.Clone();
        outShape[^1] = weight.Shape[0];
        return Reshape(y, outShape);
    }
}
