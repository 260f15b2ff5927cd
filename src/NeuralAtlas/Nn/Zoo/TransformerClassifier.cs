using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>
/// A small vision transformer: non-overlapping patches embedded by <c>patch_embed</c> (a stride-p convolution), a
/// learned <c>cls_token</c> and <c>pos_embed</c>, <c>layers.i</c> encoder layers (pre-norm, GELU), a final
/// <c>norm</c>, and a linear <c>head</c> on the class token.
/// </summary>
public sealed class TransformerClassifier : Module
{
    private readonly Var _cls, _pos;
    private readonly Conv2d _patch;
    private readonly Sequential _layers;
    private readonly LayerNorm _norm;
    private readonly Linear _head;
    public int PatchSize { get; }

    public TransformerClassifier(Rng rng, int inChannels = 1, int imageSize = 28, int numClasses = 10, int patchSize = 7, int dim = 64, int depth = 2, int heads = 4, float dropout = 0f)
    {
        if (imageSize % patchSize != 0) throw new AtlasArgumentException("patch_size", $"{patchSize} does not divide the image size {imageSize}");
        PatchSize = patchSize;
        int tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        var cls = new Tensor(1, 1, dim);
        var pos = new Tensor(1, tokens, dim);
        Init.Normal(cls, 0, 0.02f, rng);
        Init.Normal(pos, 0, 0.02f, rng);
        _cls = RegisterParameter("cls_token", cls);
        _pos = RegisterParameter("pos_embed", pos);
        _patch = RegisterModule("patch_embed", new Conv2d(inChannels, dim, patchSize, rng, stride: patchSize));
        var layers = new List<Module>();
        for (int i = 0; i < depth; i++) layers.Add(new TransformerEncoderLayer(dim, heads, 2 * dim, rng, dropout, "gelu", normFirst: true));
        _layers = RegisterModule("layers", new Sequential(layers.ToArray()));
        _norm = RegisterModule("norm", new LayerNorm(dim));
        _head = RegisterModule("head", new Linear(dim, numClasses, rng));
    }

    protected override Var OnForward(Var x)
    {
        var p = _patch.Forward(x); // [N, d, h, w]
        int n = p.Shape[0], d = p.Shape[1];
        var tokens = F.Transpose(F.Reshape(p, n, d, -1), 1, 2); // [N, L, d]
        var cls = F.Expand(_cls, new[] { n, 1, d });
        var h = F.Add(F.Cat(new[] { cls, tokens }, 1), _pos);
        h = _norm.Forward(_layers.Forward(h));
        return _head.Forward(F.Squeeze(F.Narrow(h, 1, 0, 1), 1));
    }
}
