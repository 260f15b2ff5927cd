using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// nn.MultiheadAttention with PyTorch's parameter names (<c>in_proj_weight</c> [3E, E], <c>in_proj_bias</c>,
/// <c>out_proj.weight</c>, <c>out_proj.bias</c>) and masks: a key padding mask [N, S] (nonzero = ignore that key) and
/// an attention mask [L, S] or [N·H, L, S], either boolean (nonzero = not allowed) or additive (float, added to the
/// scores). Inputs are [N, L, E] when <see cref="BatchFirst"/>, else [L, N, E] as PyTorch's default. No attention dropout.
/// </summary>
public sealed class MultiheadAttention : Module
{
    public int EmbedDim { get; }
    public int NumHeads { get; }
    public bool BatchFirst { get; }
    public Var InProjWeight { get; }
    public Var InProjBias { get; }
    public Linear OutProj { get; }

    public MultiheadAttention(int embedDim, int numHeads, Rng rng, bool batchFirst = false)
    {
        if (numHeads <= 0 || embedDim % numHeads != 0) throw new AtlasArgumentException("num_heads", $"{numHeads} heads do not divide embed_dim {embedDim}");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        BatchFirst = batchFirst;
        var w = new Tensor(3 * embedDim, embedDim);
        Init.XavierUniform(w, rng);
        InProjWeight = RegisterParameter("in_proj_weight", w);
        InProjBias = RegisterParameter("in_proj_bias", new Tensor(3 * embedDim));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, rng));
        Array.Clear(OutProj.Bias!.Value.Data);
    }

    /// <summary>Self-attention without masks; hooks see the attention output.</summary>
    protected override Var OnForward(Var x) => Compute(x, x, x, null, null, false).Output;

    /// <summary>Attention of query over key/value with optional masks; returns the output and the head-averaged weights [N, L, S].</summary>
    public (Var Output, Tensor Weights) Attend(Var query, Var key, Var value, Tensor? keyPaddingMask = null, Tensor? attnMask = null, bool additiveMask = false)
    {
        var r = Compute(query, key, value, keyPaddingMask, attnMask, additiveMask);
        RunHooks(query, r.Output);
        return r;
    }

    private (Var Output, Tensor Weights) Compute(Var query, Var key, Var value, Tensor? keyPaddingMask, Tensor? attnMask, bool additiveMask)
    {
        if (query.Rank != 3 || key.Rank != 3 || value.Rank != 3 || query.Shape[2] != EmbedDim)
            throw new ShapeMismatchException("multi_head_attention", query.Shape, key.Shape, $"query, key and value must be rank 3 with embedding {EmbedDim} last");
        if (!BatchFirst) { query = F.Transpose(query, 0, 1); key = F.Transpose(key, 0, 1); value = F.Transpose(value, 0, 1); }
        int n = query.Shape[0], l = query.Shape[1], s = key.Shape[1], e = EmbedDim, h = NumHeads, d = e / h;
        Var Proj(Var x, int part) => F.Linear(x, F.Narrow(InProjWeight, 0, part * e, e), F.Narrow(InProjBias, 0, part * e, e));
        Var Heads(Var x, int len) => F.Reshape(F.Permute(F.Reshape(x, n, len, h, d), 0, 2, 1, 3), n * h, len, d);
        var q = F.Scale(Heads(Proj(query, 0), l), 1f / MathF.Sqrt(d));
        var k = Heads(Proj(key, 1), s);
        var v = Heads(Proj(value, 2), s);
        var scores = F.MatMul(q, k, false, true); // [N·H, L, S]
        if (attnMask is not null)
        {
            bool ok = (attnMask.Rank == 2 && attnMask.Shape[0] == l && attnMask.Shape[1] == s)
                || (attnMask.Rank == 3 && attnMask.Shape[0] == n * h && attnMask.Shape[1] == l && attnMask.Shape[2] == s);
            if (!ok) throw new ShapeMismatchException("multi_head_attention", attnMask.Shape, new[] { l, s }, $"attn_mask must be [L, S] = [{l}, {s}] or [N·H, L, S] = [{n * h}, {l}, {s}]");
            scores = additiveMask ? F.Add(scores, F.Const(attnMask)) : F.MaskedFill(scores, attnMask, float.NegativeInfinity);
        }
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.Rank != 2 || keyPaddingMask.Shape[0] != n || keyPaddingMask.Shape[1] != s)
                throw new ShapeMismatchException("multi_head_attention", keyPaddingMask.Shape, new[] { n, s }, "key_padding_mask must be [N, S]");
            scores = F.Reshape(F.MaskedFill(F.Reshape(scores, n, h, l, s), keyPaddingMask.Reshape(n, 1, 1, s), float.NegativeInfinity), n * h, l, s);
        }
        var attn = F.Softmax(scores, -1);
        var o = F.MatMul(attn, v); // [N·H, L, d]
        o = F.Reshape(F.Permute(F.Reshape(o, n, h, l, d), 0, 2, 1, 3), n, l, e);
        var output = OutProj.Forward(o);
        if (!BatchFirst) output = F.Transpose(output, 0, 1);
        var weights = Ops.Mean(attn.Value.Reshape(n, h, l, s), new[] { 1 });
        return (output, weights);
    }
}
