using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Geometry of a 2-D convolution: sizes, stride, padding, dilation, groups.</summary>
public readonly record struct ConvGeometry(int N, int C, int H, int W, int O, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int Groups)
{
    public int OH => (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1;
    public int OW => (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1;
    public int Cg => C / Groups;
    public int Og => O / Groups;
    public int Kg => Cg * KH * KW;
    public bool Pointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;
}

/// <summary>
/// The three convolution kernels autograd records — forward, gradient with respect to the input (also the transposed
/// convolution) and gradient with respect to the weight — run by the tensor library's <c>Ops.Conv2d*</c>, so there is one
/// implementation of convolution (per-sample im2col + <see cref="Gemm"/>, threads over samples).
/// </summary>
internal static class ConvKernels
{
    private static (int, int) S(ConvGeometry g) => (g.SH, g.SW);
    private static (int, int) P(ConvGeometry g) => (g.PH, g.PW);
    private static (int, int) D(ConvGeometry g) => (g.DH, g.DW);

    /// <summary>y[n] = W ⋆ x[n] (no bias): x [N,C,H,W], w [O, C/g, KH, KW] → [N, O, OH, OW].</summary>
    public static Tensor Forward(Tensor x, Tensor w, ConvGeometry g) => Ops.Conv2d(x, w, null, S(g), P(g), D(g), g.Groups);

    /// <summary>dx from dy [N, O, OH, OW] and w: the adjoint of <see cref="Forward"/> in x (= conv_transpose2d).</summary>
    public static Tensor BackwardInput(Tensor gy, Tensor w, ConvGeometry g) =>
        Ops.Conv2dBackwardInput(gy, w, new[] { g.N, g.C, g.H, g.W }, S(g), P(g), D(g), g.Groups);

    /// <summary>dW from x and dy: Σₙ dy[n] · im2col(x[n])ᵀ, shape [O, C/g, KH, KW].</summary>
    public static Tensor BackwardWeight(Tensor x, Tensor gy, ConvGeometry g) =>
        Ops.Conv2dBackwardWeight(x, gy, new[] { g.O, g.Cg, g.KH, g.KW }, S(g), P(g), D(g), g.Groups);
}
