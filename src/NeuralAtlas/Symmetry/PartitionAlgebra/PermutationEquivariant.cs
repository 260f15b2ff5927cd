using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// A trainable S_n-equivariant linear layer (R^{cIn} ⊗ (R^n)^{⊗k}) → (R^{cOut} ⊗ (R^n)^{⊗l}): weight
/// [cOut, cIn·dim] holds one coefficient per channel pair and partition in the mean-normalised diagram basis
/// D_π / n^(input-only blocks of π), bias [cOut, dim_bias] one
/// coefficient per partition of the l output points (the equivariant maps from constants). Input [B, cIn, n,…,n]
/// (k axes), output [B, cOut, n,…,n] (l axes; l = 0 gives an invariant [B, cOut]). k = l = 1 is a DeepSets layer,
/// k = l = 2 a 2-IGN layer (Maron et al.). Never forms the dense matrix.
/// </summary>
public sealed class PermutationEquivariant : Module
{
    private readonly EquivariantExpansion _expand;
    private readonly Tensor _biasBasis; // [dim_bias, n^l]: D_ρ applied to the scalar 1

    public int K { get; }
    public int L { get; }
    public int N { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public Var Weight { get; }
    public Var Bias { get; }

    public PermutationEquivariant(int k, int l, int n, int inChannels, int outChannels, Rng rng)
    {
        if (inChannels < 1 || outChannels < 1) throw new AtlasArgumentException("channels", $"must be ≥ 1, got {inChannels} → {outChannels}");
        K = k; L = l; N = n; InChannels = inChannels; OutChannels = outChannels;
        _expand = new EquivariantExpansion(new EquivariantBasis(k, l, n), meanNormalised: true);
        int dim = _expand.Basis.Dimension;
        // Kaiming-style init on the mean-normalised basis (see EquivariantExpansion): outputs stay O(1) for any n.
        var w = new Tensor(outChannels, inChannels * dim);
        for (int i = 0; i < w.Numel; i++) w.Data[i] = (float)(rng.Normal() * Math.Sqrt(2.0 / (inChannels * dim)));
        Weight = RegisterParameter("weight", w);
        if (l >= 1)
        {
            var bb = new EquivariantBasis(0, l, n);
            var ones = new[] { 1.0 };
            _biasBasis = new Tensor(bb.Dimension, (int)SizeGuard.Power(n, l));
            for (int r = 0; r < bb.Dimension; r++)
            {
                var y = new double[_biasBasis.Shape[1]];
                new DiagramProduct(bb.Partitions[r], n).MultiplyAdd(1, ones, y);
                for (int j = 0; j < y.Length; j++) _biasBasis.Data[r * y.Length + j] = (float)y[j];
            }
        }
        else _biasBasis = Tensor.Full(new[] { 1, 1 }, 1);
        Bias = RegisterParameter("bias", new Tensor(outChannels, _biasBasis.Shape[0]));
    }

    protected override Var OnForward(Var x)
    {
        if (x.Rank != 2 + K || x.Shape[1] != InChannels)
            throw new ShapeMismatchException("PermutationEquivariant", $"expected [batch, {InChannels}] followed by {K} axes of size {N}, got {ShapeMismatchException.Format(x.Shape)}");
        var z = _expand.Forward(x);                      // [B, cIn·dim, n^l]
        var y = F.MatMul(Weight, z);                     // [B, cOut, n^l]
        y = F.Add(y, F.MatMul(Bias, F.Const(_biasBasis))); // + [cOut, n^l]
        var shape = new[] { x.Shape[0], OutChannels }.Concat(Enumerable.Repeat(N, L)).ToArray();
        return F.Reshape(y, shape);
    }
}
