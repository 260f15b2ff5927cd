using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;

namespace NeuralAtlas.Onnx;

/// <summary>
/// ONNX emitters for the composite modules whose forward is not the chain of their children: each writes the nodes of
/// that forward, op for op as our engine computes it (so the re-imported graph reproduces the model), reaching the
/// parts through their state-dict names and running the sample through the same steps for the shapes.
/// </summary>
internal static class OnnxExportBlocks
{
    public static bool TryEmit(OnnxGraphWriter w, Module m, string path, string x, Var sx, out (string Y, Var Sy) result)
    {
        result = m switch
        {
            BasicBlock b => BasicBlock(w, b, path, x, sx),
            MultiheadAttention a => SelfAttention(w, a, path, x, sx),
            TransformerEncoderLayer l => EncoderLayer(w, l, path, x, sx),
            TransformerClassifier t => Classifier(w, t, path, x, sx),
            _ => default,
        };
        return result.Y is not null;
    }

    private static string P(string path, string p) => path.Length == 0 ? p : $"{path}.{p}";

    private static Module Child(Module m, string name) =>
        m.NamedChildren().FirstOrDefault(c => c.Key == name).Value ?? throw new AtlasArgumentException("model", $"a '{name}' submodule in {m.GetType().Name}");

    private static (string, Var) Sub(OnnxGraphWriter w, Module m, string path, string name, string x, Var sx) =>
        OnnxExport.Emit(w, Child(m, name), P(path, name), x, sx);

    /// <summary>relu2(bn2(conv2(relu1(bn1(conv1 x)))) + shortcut(x)), shortcut the identity when absent.</summary>
    private static (string, Var) BasicBlock(OnnxGraphWriter w, BasicBlock b, string path, string x, Var sx)
    {
        var (y, sy) = (x, sx);
        foreach (var name in new[] { "conv1", "bn1", "relu1", "conv2", "bn2" }) (y, sy) = Sub(w, b, path, name, y, sy);
        var (s, ss) = b.NamedChildren().Any(c => c.Key == "shortcut") ? Sub(w, b, path, "shortcut", x, sx) : (x, sx);
        return Sub(w, b, path, "relu2", w.Add("Add", path, y, s), F.Add(sy, ss));
    }

    /// <summary>Self-attention (query = key = value = x, no masks) as <see cref="MultiheadAttention"/> computes it:
    /// per-part in-projections from slices of in_proj_weight/in_proj_bias, heads as [N·H, L, d], scaled scores,
    /// softmax, weighted values, heads merged, out_proj.</summary>
    private static (string, Var) SelfAttention(OnnxGraphWriter w, MultiheadAttention a, string path, string x, Var sx)
    {
        var sy = a.Forward(sx);
        if (!a.BatchFirst) x = w.Add("Transpose", path, new[] { x }, new[] { OnnxGraphWriter.IntsAttr("perm", 1, 0, 2) });
        int e = a.EmbedDim, h = a.NumHeads, d = e / h;
        string n = w.Dim(path, x, 0), l = w.Dim(path, x, 1);
        var shape = new[] { 1, 1, e }; // rank-3 input for the Linear emitter; only the rank and in_features matter
        string Heads(string y) => w.Add("Reshape", path,
            w.Add("Transpose", path, new[] { w.Add("Reshape", path, y, w.Ints(path, 0, 0, h, d)) }, new[] { OnnxGraphWriter.IntsAttr("perm", 0, 2, 1, 3) }),
            w.Add("Concat", path, new[] { w.Ints(path, -1), l, w.Ints(path, d) }, new[] { OnnxGraphWriter.IntAttr("axis", 0) }));
        string Proj(int part)
        {
            string Part(string t) => w.Add("Slice", path, t, w.Ints(path, part * e), w.Ints(path, (part + 1) * e), w.Ints(path, 0));
            return OnnxExport.EmitLinear(w, path, x, shape, Part(P(path, "in_proj_weight")), Part(P(path, "in_proj_bias")));
        }
        string q = w.Add("Mul", path, Heads(Proj(0)), w.Float(path, 1f / MathF.Sqrt(d)));
        string kT = w.Add("Transpose", path, new[] { Heads(Proj(1)) }, new[] { OnnxGraphWriter.IntsAttr("perm", 0, 2, 1) });
        string attn = w.Add("Softmax", path, new[] { w.Add("MatMul", path, q, kT) }, new[] { OnnxGraphWriter.IntAttr("axis", -1) });
        string o = w.Add("MatMul", path, attn, Heads(Proj(2)));
        o = w.Add("Reshape", path, o, w.Add("Concat", path, new[] { n, w.Ints(path, h), l, w.Ints(path, d) }, new[] { OnnxGraphWriter.IntAttr("axis", 0) }));
        o = w.Add("Transpose", path, new[] { o }, new[] { OnnxGraphWriter.IntsAttr("perm", 0, 2, 1, 3) });
        o = w.Add("Reshape", path, o, w.Ints(path, 0, 0, e));
        string outPath = P(path, "out_proj");
        o = OnnxExport.EmitLinear(w, outPath, o, shape, P(outPath, "weight"), a.OutProj.Bias is null ? null : P(outPath, "bias"));
        if (!a.BatchFirst) o = w.Add("Transpose", path, new[] { o }, new[] { OnnxGraphWriter.IntsAttr("perm", 1, 0, 2) });
        return (o, sy);
    }

    /// <summary>Post-norm x = norm1(x + sa(x)); norm2(x + ff(x)), or pre-norm x = x + sa(norm1 x); x + ff(norm2 x);
    /// ff = linear2(activation(linear1 ·)); dropouts are the identity at inference.</summary>
    private static (string, Var) EncoderLayer(OnnxGraphWriter w, TransformerEncoderLayer layer, string path, string x, Var sx)
    {
        bool normFirst = layer.NormFirst;
        (string, Var) Sa((string X, Var S) v)
        {
            var (y, sy) = SelfAttention(w, layer.SelfAttn, P(path, "self_attn"), v.X, v.S);
            return (y, sy);
        }
        (string, Var) Ff((string X, Var S) v)
        {
            var r = Sub(w, layer, path, "linear1", v.X, v.S);
            r = Sub(w, layer, path, "activation", r.Item1, r.Item2);
            return Sub(w, layer, path, "linear2", r.Item1, r.Item2);
        }
        (string, Var) Add((string X, Var S) a, (string X, Var S) b) => (w.Add("Add", path, a.X, b.X), F.Add(a.S, b.S));
        (string X, Var S) cur = (x, sx);
        if (normFirst)
        {
            cur = Add(cur, Sa(Sub(w, layer, path, "norm1", cur.X, cur.S)));
            return Add(cur, Ff(Sub(w, layer, path, "norm2", cur.X, cur.S)));
        }
        var s1 = Add(cur, Sa(cur));
        cur = Sub(w, layer, path, "norm1", s1.Item1, s1.Item2);
        var s2 = Add(cur, Ff(cur));
        return Sub(w, layer, path, "norm2", s2.Item1, s2.Item2);
    }

    /// <summary>patch_embed → tokens [N, L, d] → [cls_token; tokens] + pos_embed → layers → norm → head(token 0).</summary>
    private static (string, Var) Classifier(OnnxGraphWriter w, TransformerClassifier t, string path, string x, Var sx)
    {
        var (p, sp) = Sub(w, t, path, "patch_embed", x, sx);
        int n = sp.Shape[0], d = sp.Shape[1];
        string tokens = w.Add("Transpose", path, new[] { w.Add("Reshape", path, p, w.Ints(path, 0, d, -1)) }, new[] { OnnxGraphWriter.IntsAttr("perm", 0, 2, 1) });
        var sTokens = F.Transpose(F.Reshape(sp, n, d, -1), 1, 2);
        var clsVar = t.NamedParameters().First(q => q.Key == "cls_token").Value;
        var posVar = t.NamedParameters().First(q => q.Key == "pos_embed").Value;
        string batch = w.Dim(path, x, 0);
        string cls = w.Add("Expand", path, P(path, "cls_token"), w.Add("Concat", path, new[] { batch, w.Ints(path, 1, d) }, new[] { OnnxGraphWriter.IntAttr("axis", 0) }));
        string hIn = w.Add("Add", path, w.Add("Concat", path, new[] { cls, tokens }, new[] { OnnxGraphWriter.IntAttr("axis", 1) }), P(path, "pos_embed"));
        var sh = F.Add(F.Cat(new[] { F.Expand(clsVar, new[] { n, 1, d }), sTokens }, 1), posVar);
        var (h, shh) = Sub(w, t, path, "layers", hIn, sh);
        (h, shh) = Sub(w, t, path, "norm", h, shh);
        string tok = w.Add("Gather", path, new[] { h, w.IntScalar(path, 0) }, new[] { OnnxGraphWriter.IntAttr("axis", 1) });
        return Sub(w, t, path, "head", tok, F.Squeeze(F.Narrow(shh, 1, 0, 1), 1));
    }
}
