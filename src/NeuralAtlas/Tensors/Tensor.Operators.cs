namespace NeuralAtlas.Tensors;

/// <summary>Arithmetic operators (broadcasting, new tensors), forwarding to <see cref="Ops"/>.</summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    public static Tensor operator +(Tensor a, float s) => Ops.Add(a, s);
    public static Tensor operator +(float s, Tensor a) => Ops.Add(a, s);
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    public static Tensor operator -(Tensor a, float s) => Ops.Sub(a, s);
    public static Tensor operator -(float s, Tensor a) => Ops.Sub(s, a);
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    public static Tensor operator *(Tensor a, float s) => Ops.Mul(a, s);
    public static Tensor operator *(float s, Tensor a) => Ops.Mul(a, s);
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    public static Tensor operator /(Tensor a, float s) => Ops.Div(a, s);
    public static Tensor operator /(float s, Tensor a) => Ops.Div(s, a);
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <summary>Matrix product with torch.matmul semantics (<see cref="Ops.Matmul"/>).</summary>
    public Tensor Matmul(Tensor other) => Ops.Matmul(this, other);
}
