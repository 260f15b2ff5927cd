using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Each ONNX operator the importer implements, as our differentiable ops. Shape-like inputs (Reshape's shape,
/// ReduceMean's axes from opset 18, Unsqueeze's axes from 13) must be constants: initializers or Constant nodes.
/// </summary>
internal static class OnnxOps
{
    public static readonly IReadOnlySet<string> Implemented = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Log", "Relu", "LeakyRelu", "Gelu",
        "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Erf", "BatchNormalization", "MaxPool", "AveragePool",
        "GlobalAveragePool", "Flatten", "Reshape", "Transpose", "Identity", "Dropout", "Constant", "ReduceMean",
        "ReduceSum", "Unsqueeze", "Squeeze", "Concat", "Clip", "Neg",
        "ConvTranspose", "LayerNormalization", "GroupNormalization", "Split", "Slice", "Gather", "Shape",
        "ConstantOfShape", "Expand", "Where", "Equal", "ReduceMax", "Pad", "Resize", "Cast", "Range",
    };

    public static void Apply(OnnxNode n, Dictionary<string, Var> env, Dictionary<string, NdArray> consts, string file)
    {
        AtlasFormatException Bad(string expected) => new(file, n.Index, $"node '{n.Name}' ({n.OpType}): {expected}", "node");
        Var In(int i)
        {
            if (i >= n.Inputs.Count || n.Inputs[i].Length == 0) throw Bad($"input {i}");
            string k = n.Inputs[i];
            if (env.TryGetValue(k, out var v)) return v;
            if (consts.TryGetValue(k, out var c)) return F.Const(c.ToTensor());
            throw Bad($"a value for input '{k}'");
        }
        bool Has(int i) => i < n.Inputs.Count && n.Inputs[i].Length > 0;
        long[] Ints(int i)
        {
            string k = n.Inputs[i];
            if (consts.TryGetValue(k, out var c)) return c.ToInt64s();
            throw Bad($"input '{k}' to be a constant (an initializer or a Constant node); shapes computed at run time are not supported");
        }
        long I(string a, long d) => n.Attributes.TryGetValue(a, out var v) && v.Int is long x ? x : d;
        float Fl(string a, float d) => n.Attributes.TryGetValue(a, out var v) && v.Float is float x ? x : d;
        long[]? Is(string a) => n.Attributes.TryGetValue(a, out var v) ? v.Ints?.ToArray() : null;
        void Out(Var v) => env[n.Outputs[0]] = v;
        if (OnnxConstFold.TryFold(n, env, consts, Bad)) return;

        switch (n.OpType)
        {
            case "Constant":
                if (n.Attributes.TryGetValue("value", out var cv) && cv.Tensor is NdArray t)
                {
                    consts[n.Outputs[0]] = t;
                    if (t.DType.IsFloat()) env[n.Outputs[0]] = F.Const(t.ToTensor());
                }
                else if (n.Attributes.TryGetValue("value_float", out var vf)) env[n.Outputs[0]] = F.Const(vf.Float!.Value);
                else if (n.Attributes.TryGetValue("value_ints", out var vi))
                    consts[n.Outputs[0]] = NdArray.FromInt64s(vi.Ints!.ToArray(), vi.Ints!.Count);
                else throw Bad("a 'value', 'value_float' or 'value_ints' attribute");
                return;
            case "Identity":
            case "Dropout":
                if (consts.TryGetValue(n.Inputs[0], out var passC)) consts[n.Outputs[0]] = passC;
                else Out(In(0));
                return;
            case "Relu": Out(F.Relu(In(0))); return;
            case "LeakyRelu": Out(F.LeakyRelu(In(0), Fl("alpha", 0.01f))); return;
            case "Sigmoid": Out(F.Sigmoid(In(0))); return;
            case "Tanh": Out(F.Tanh(In(0))); return;
            case "Sqrt": Out(F.Sqrt(In(0))); return;
            case "Exp": Out(F.Exp(In(0))); return;
            case "Log": Out(F.Log(In(0))); return;
            case "Gelu":
                Out(F.Gelu(In(0), n.Attributes.TryGetValue("approximate", out var ap) && ap.String == "tanh"));
                return;
            case "Erf":
                Out(F.Pointwise("erf", In(0), SpecialFunctions.Erf, v => 2 / Math.Sqrt(Math.PI) * Math.Exp(-v * v),
                    v => -4 * v / Math.Sqrt(Math.PI) * Math.Exp(-v * v)));
                return;
            case "Add": Out(F.Add(In(0), In(1))); return;
            case "Sub": Out(F.Sub(In(0), In(1))); return;
            case "Mul": Out(F.Mul(In(0), In(1))); return;
            case "Div": Out(F.Div(In(0), In(1))); return;
            case "Pow":
            {
                var e = In(1);
                if (e.Numel != 1) throw Bad("a scalar exponent");
                Out(F.Pow(In(0), e.Value.Data[0]));
                return;
            }
            case "Softmax": Out(F.Softmax(In(0), (int)I("axis", -1))); return;
            case "LogSoftmax": Out(F.LogSoftmax(In(0), (int)I("axis", -1))); return;
            case "MatMul": Out(F.MatMul(In(0), In(1))); return;
            case "Gemm":
            {
                var y = F.MatMul(In(0), In(1), I("transA", 0) != 0, I("transB", 0) != 0);
                float alpha = Fl("alpha", 1), beta = Fl("beta", 1);
                if (alpha != 1) y = F.Scale(y, alpha);
                if (Has(2)) y = F.Add(y, beta == 1 ? In(2) : F.Scale(In(2), beta));
                Out(y);
                return;
            }
            case "Conv":
            {
                if (n.Attributes.TryGetValue("auto_pad", out var autoPad) && autoPad.String is not (null or "NOTSET"))
                    throw Bad($"auto_pad NOTSET (explicit pads), not {autoPad.String}");
                var x = In(0);
                if (x.Rank != 4) throw Bad($"a 2-D convolution (N×C×H×W input), got rank {x.Rank}");
                long[] s = Is("strides") ?? new long[] { 1, 1 }, d = Is("dilations") ?? new long[] { 1, 1 }, p = Is("pads") ?? new long[] { 0, 0, 0, 0 };
                if (p[0] != p[2] || p[1] != p[3])
                {
                    x = F.Pad(x, new[] { (int)p[1], (int)p[3], (int)p[0], (int)p[2] });
                    p = new long[] { 0, 0, 0, 0 };
                }
                Out(F.Conv2d(x, In(1), Has(2) ? In(2) : null, ((int)s[0], (int)s[1]), ((int)p[0], (int)p[1]), ((int)d[0], (int)d[1]), (int)I("group", 1)));
                return;
            }
            case "MaxPool":
            case "AveragePool":
            {
                long[] k = Is("kernel_shape") ?? throw Bad("a kernel_shape attribute");
                long[] s = Is("strides") ?? k, p = Is("pads") ?? new long[] { 0, 0, 0, 0 };
                if (k.Length != 2 || k[0] != k[1] || s[0] != s[1] || p.Distinct().Count() > 1) throw Bad("square kernels, strides and equal pads");
                if (I("ceil_mode", 0) != 0) throw Bad("ceil_mode 0");
                if (n.OpType == "AveragePool" && p[0] != 0 && I("count_include_pad", 0) == 0) throw Bad("count_include_pad 1 when padding");
                Out(n.OpType == "MaxPool" ? F.MaxPool2d(In(0), (int)k[0], (int)s[0], (int)p[0]) : F.AvgPool2d(In(0), (int)k[0], (int)s[0], (int)p[0]));
                return;
            }
            case "GlobalAveragePool":
            {
                // The window average adaptive pooling computes (sum / count), as nn.AdaptiveAvgPool2d(1) does, so an
                // exported ResNet re-imports bit for bit; other ranks take the mean over every spatial axis.
                var x = In(0);
                Out(x.Rank == 4 ? F.AdaptiveAvgPool2d(x, 1, 1) : F.Mean(x, Enumerable.Range(2, Math.Max(0, x.Rank - 2)).ToArray(), keepDim: true));
                return;
            }
            case "BatchNormalization":
                Out(F.BatchNorm(In(0), In(3).Value, In(4).Value, In(1), In(2), training: false, eps: Fl("epsilon", 1e-5f)));
                return;
            case "Flatten":
            {
                var x = In(0);
                int axis = (int)I("axis", 1);
                if (axis < 0) axis += x.Rank;
                int outer = 1;
                for (int i = 0; i < axis; i++) outer *= x.Shape[i];
                Out(F.Reshape(x, outer, x.Numel / Math.Max(outer, 1)));
                return;
            }
            case "Reshape":
                Out(F.Reshape(In(0), OnnxShapes.ReshapeTarget(In(0).Shape, Ints(1), I("allowzero", 0) != 0)));
                return;
            case "Transpose":
            {
                var x = In(0);
                int[] perm = Is("perm")?.Select(v => (int)v).ToArray() ?? Enumerable.Range(0, x.Rank).Reverse().ToArray();
                Out(F.Permute(x, perm));
                return;
            }
            case "ReduceMean":
            case "ReduceSum":
            {
                var x = In(0);
                long[]? axes = Is("axes") ?? (Has(1) ? Ints(1) : null);
                bool keep = I("keepdims", 1) != 0;
                int[]? ax = axes?.Select(a => (int)a).ToArray();
                Out(n.OpType == "ReduceMean" ? F.Mean(x, ax, keep) : F.Sum(x, ax, keep));
                return;
            }
            case "Unsqueeze":
                Out(F.Reshape(In(0), OnnxShapes.Unsqueeze(In(0).Shape, Is("axes") ?? Ints(1))));
                return;
            case "Squeeze":
                Out(F.Reshape(In(0), OnnxShapes.Squeeze(In(0).Shape, Is("axes") ?? (Has(1) ? Ints(1) : null))));
                return;
            case "Concat":
                Out(F.Cat(Enumerable.Range(0, n.Inputs.Count).Select(In).ToList(), (int)I("axis", 0)));
                return;
            case "Clip":
            {
                float? lo = Has(1) ? In(1).Value.Data[0] : n.Attributes.ContainsKey("min") ? Fl("min", 0) : null;
                float? hi = Has(2) ? In(2).Value.Data[0] : n.Attributes.ContainsKey("max") ? Fl("max", 0) : null;
                Out(F.Clamp(In(0), lo, hi));
                return;
            }
            default:
                if (OnnxOpsExtra.Apply(n, env, consts, Bad)) return;
                throw Bad("an operator the importer implements");
        }
    }
}
