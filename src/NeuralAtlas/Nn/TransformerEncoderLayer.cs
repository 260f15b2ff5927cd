using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// nn.TransformerEncoderLayer (batch_first, post-norm as PyTorch's default, or pre-norm with <c>normFirst</c>):
/// <c>self_attn</c>, <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>, <c>dropout1</c>, <c>dropout2</c>.
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    public MultiheadAttention SelfAttn { get; }
    private readonly Linear _linear1, _linear2;
    private readonly LayerNorm _norm1, _norm2;
    private readonly Dropout _dropout, _dropout1, _dropout2;
    private readonly Module _activation;
    private readonly bool _normFirst;

    /// <summary>Pre-norm (x + sa(norm1 x), as norm_first=True) rather than PyTorch's default post-norm.</summary>
    public bool NormFirst => _normFirst;

    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward, Rng rng, float dropout = 0.1f, string activation = "relu", bool normFirst = false)
    {
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nHead, rng, batchFirst: true));
        _linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, rng));
        _dropout = RegisterModule("dropout", new Dropout(dropout, rng));
        _linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, rng));
        _norm1 = RegisterModule("norm1", new LayerNorm(dModel));
        _norm2 = RegisterModule("norm2", new LayerNorm(dModel));
        _dropout1 = RegisterModule("dropout1", new Dropout(dropout, rng));
        _dropout2 = RegisterModule("dropout2", new Dropout(dropout, rng));
        _activation = RegisterModule("activation", Zoo.Mlp.ActivationModule(activation));
        _normFirst = normFirst;
    }

    protected override Var OnForward(Var x) => Encode(x, null);

    /// <summary>x [N, L, d] with an optional key padding mask [N, L] (nonzero = padding).</summary>
    public Var Encode(Var x, Tensor? keyPaddingMask)
    {
        Var Sa(Var h) => _dropout1.Forward(SelfAttn.Attend(h, h, h, keyPaddingMask).Output);
        Var Ff(Var h) => _dropout2.Forward(_linear2.Forward(_dropout.Forward(_activation.Forward(_linear1.Forward(h)))));
        if (_normFirst)
        {
            x = F.Add(x, Sa(_norm1.Forward(x)));
            return F.Add(x, Ff(_norm2.Forward(x)));
        }
        x = _norm1.Forward(F.Add(x, Sa(x)));
        return _norm2.Forward(F.Add(x, Ff(x)));
    }
}
