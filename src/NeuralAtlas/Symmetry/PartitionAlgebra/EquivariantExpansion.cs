using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// The differentiable map x ↦ (D_π x)_π: a batch [B, C, n,…,n] (k axes) becomes [B, C·dim, n^l], every input channel
/// multiplied by every diagram basis element through the factorised products. It is linear, and its adjoint is the
/// same construction on the transposed diagrams (top and bottom rows swapped, D_πᵀ = D_{πᵀ}), so the backward pass
/// is as cheap as the forward and is itself differentiable.
/// </summary>
public sealed class EquivariantExpansion
{
    private readonly DiagramProduct[] _forward;
    private readonly DiagramProduct[] _adjoint;
    private readonly double[] _scale;

    public EquivariantBasis Basis { get; }
    public int InputLength { get; }
    public int OutputLength { get; }

    /// <param name="meanNormalised">Divide D_π x by n^(input-only blocks of π): sums over the set become means, so a
    /// layer's outputs do not grow with n (the trainable layer uses this; coefficients then refer to the scaled basis).</param>
    public EquivariantExpansion(EquivariantBasis basis, bool meanNormalised = false)
    {
        Basis = basis;
        SizeGuard.Require("k", $"the input (R^{basis.N})^⊗{basis.K}", basis.N, basis.K);
        SizeGuard.Require("l", $"the output (R^{basis.N})^⊗{basis.L}", basis.N, basis.L);
        InputLength = (int)SizeGuard.Power(basis.N, basis.K);
        OutputLength = (int)SizeGuard.Power(basis.N, basis.L);
        _forward = basis.Partitions.Select(p => new DiagramProduct(p, basis.N)).ToArray();
        _adjoint = basis.Partitions.Select(p => new DiagramProduct(Transpose(p), basis.N)).ToArray();
        _scale = _forward.Select(d => meanNormalised ? 1 / Math.Pow(basis.N, d.InputOnlyBlocks) : 1.0).ToArray();
    }

    /// <summary>πᵀ: the bottom row becomes the top row.</summary>
    public static SetPartition Transpose(SetPartition p)
    {
        var labels = new int[p.Points];
        for (int i = 0; i < p.Bottom; i++) labels[i] = p.Blocks[p.Top + i];
        for (int i = 0; i < p.Top; i++) labels[p.Bottom + i] = p.Blocks[i];
        return new SetPartition(p.Bottom, p.Top, labels);
    }

    /// <summary>x: [B, C, n × k] → [B, C·dim, n^l].</summary>
    public Var Forward(Var x)
    {
        int k = Basis.K, n = Basis.N;
        if (x.Rank != 2 + k || x.Shape.Skip(2).Any(d => d != n))
            throw new ShapeMismatchException("equivariant", $"expected [batch, channels] followed by {k} axes of size {n}, got {ShapeMismatchException.Format(x.Shape)}");
        int b = x.Shape[0], c = x.Shape[1];
        return Expand(x, b, c);
    }

    private Var Expand(Var x, int b, int c)
    {
        int dim = Basis.Dimension;
        var y = new Tensor(b, c * dim, OutputLength);
        Run(_forward, _scale, x.Value.Data, InputLength, y.Data, OutputLength, b * c, dim, adjoint: false);
        return F.Record(y, "equivariant_expand", new[] { x }, g => new Var?[] { Collapse(g, x.Shape) });
    }

    /// <summary>The adjoint: g [B, C·dim, n^l] → [B, C, n × k], Σ_π D_πᵀ g_π.</summary>
    private Var Collapse(Var g, int[] xShape)
    {
        int b = xShape[0], c = xShape[1], dim = Basis.Dimension;
        var x = new Tensor(xShape);
        Run(_adjoint, _scale, g.Value.Data, OutputLength, x.Data, InputLength, b * c, dim, adjoint: true);
        return F.Record(x, "equivariant_collapse", new[] { g }, gg => new Var?[] { Expand(gg, b, c) });
    }

    private static void Run(DiagramProduct[] products, double[] scale, float[] src, int srcLen, float[] dst, int dstLen, int slices, int dim, bool adjoint)
    {
        var s = new double[srcLen];
        var d = new double[dstLen];
        double[] scratch = new double[products.Max(p => p.ScratchLength)];
        for (int slice = 0; slice < slices; slice++)
        {
            if (!adjoint)
            {
                for (int i = 0; i < srcLen; i++) s[i] = src[(long)slice * srcLen + i];
                for (int p = 0; p < dim; p++)
                {
                    Array.Clear(d);
                    products[p].MultiplyAdd(scale[p], s, d, scratch);
                    long o = ((long)slice * dim + p) * dstLen;
                    for (int i = 0; i < dstLen; i++) dst[o + i] = (float)d[i];
                }
            }
            else
            {
                Array.Clear(d);
                for (int p = 0; p < dim; p++)
                {
                    long o = ((long)slice * dim + p) * srcLen;
                    for (int i = 0; i < srcLen; i++) s[i] = src[o + i];
                    products[p].MultiplyAdd(scale[p], s, d, scratch);
                }
                for (int i = 0; i < dstLen; i++) dst[(long)slice * dstLen + i] = (float)d[i];
            }
        }
    }
}
