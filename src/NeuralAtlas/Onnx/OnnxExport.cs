using Google.Protobuf;
using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx.Proto;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Writes a NeuralAtlas model as an ONNX graph (opset 17), the state dict as initializers under the same names. The
/// graph is emitted module by module while a sample input runs through the model: layers (Conv2d, Linear, BatchNorm,
/// LayerNorm, activations, pools, Flatten, Dropout as Identity) map to ONNX nodes; composite modules whose forward is
/// not a plain chain have emitters that follow their forward (<see cref="OnnxExportBlocks"/>: ResNet's BasicBlock,
/// MultiheadAttention, TransformerEncoderLayer, TransformerClassifier); any other module with children is written as
/// the chain of its children in registration order (Sequential, the zoo's cnn, mlp and resnet20 bodies). The graph
/// is then re-imported and run on the sample, and the export is refused unless it reproduces the model's output
/// (exactly for the convolution and linear models; GELU, written as erf since opset 17 has no Gelu, to within
/// <see cref="Tolerance"/> of the output's scale).
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;

    /// <summary>Largest re-import error accepted, relative to the output's largest magnitude.</summary>
    public const double Tolerance = 1e-6;

    public const string Writes = "Conv2d, Linear, BatchNorm1d/2d, LayerNorm, ReLU, LeakyReLU, GELU, Sigmoid, Tanh, Identity, Dropout, " +
                                 "MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten, Sequential, BasicBlock, MultiheadAttention, " +
                                 "TransformerEncoderLayer, TransformerClassifier";

    /// <param name="inputShape">One example's shape, e.g. [1, 28, 28]; the batch dimension is symbolic ("batch").</param>
    /// <returns>The largest re-import error relative to the output's scale (0 when exact).</returns>
    public static double Save(Module model, int[] inputShape, string path)
    {
        var bytes = Build(model, inputShape);
        double err = ReimportError(model, inputShape, bytes, path);
        if (!(err <= Tolerance))
            throw new AtlasArgumentException("model", $"a model whose exported graph reproduces its output; the re-imported graph differs by {err:E2} of the output's scale");
        AtomicFile.WriteAllBytes(path, bytes);
        return err;
    }

    /// <summary>Max |model − re-imported graph| over a sample batch, divided by the largest |model output| (at least 1e-3).</summary>
    public static double ReimportError(Module model, int[] inputShape, byte[] bytes, string name = "export")
    {
        var sample = SampleInput(inputShape);
        model.Eval();
        Tensor want, got;
        using (GradMode.NoGrad()) want = model.Forward(new Var(sample)).Value;
        var back = new OnnxModule(OnnxModel.Parse(bytes, name));
        back.Eval();
        using (GradMode.NoGrad()) got = back.Forward(new Var(sample)).Value;
        if (!got.Shape.AsSpan().SequenceEqual(want.Shape)) return double.PositiveInfinity;
        double scale = Math.Max(1e-3, want.Data.Max(v => Math.Abs((double)v))), err = 0;
        for (int i = 0; i < want.Numel; i++) err = Math.Max(err, Math.Abs((double)want.Data[i] - got.Data[i]));
        return err / scale;
    }

    private static Tensor SampleInput(int[] inputShape)
    {
        var shape = new[] { 2 }.Concat(inputShape).ToArray();
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = MathF.Sin(0.37f * i + 0.1f);
        return t;
    }

    /// <summary>The serialized ModelProto.</summary>
    public static byte[] Build(Module model, int[] inputShape)
    {
        model.Eval();
        var w = new OnnxGraphWriter();
        w.Graph.Name = model.GetType().Name;
        foreach (var (name, t) in model.StateDict())
            // PyTorch keeps the batch count as int64; it is unused at inference, so its dtype only matters to readers.
            w.Graph.Initializer.Add(OnnxTensors.Encode(name, name.EndsWith("num_batches_tracked", StringComparison.Ordinal)
                ? NdArray.FromInt64s(t.Data.Select(v => (long)v).ToArray(), t.Shape) : NdArray.FromTensor(t)));
        var x = new Var(SampleInput(inputShape));
        string output;
        using (GradMode.NoGrad())
        {
            var (y, sy) = Emit(w, model, "", "input", x);
            if (!w.Graph.Node.Any(n => n.Output.Contains(y)))
                throw new AtlasArgumentException("model", "a model that computes something (its output is its input)");
            // The graph output is called "logits", as torch.onnx.export(output_names=["logits"]) names it.
            output = "logits";
            foreach (var n in w.Graph.Node)
            {
                for (int i = 0; i < n.Input.Count; i++) if (n.Input[i] == y) n.Input[i] = output;
                for (int i = 0; i < n.Output.Count; i++) if (n.Output[i] == y) n.Output[i] = output;
            }
            x = sy;
        }
        w.Graph.Input.Add(Value("input", new[] { "batch" }.Concat(inputShape.Select(d => d.ToString())).ToArray()));
        w.Graph.Output.Add(Value(output, new[] { "batch" }.Concat(x.Shape.Skip(1).Select(d => d.ToString())).ToArray()));
        var m = new ModelProto { IrVersion = 8, ProducerName = "NeuralAtlas", Graph = w.Graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return m.ToByteArray();
    }

    /// <summary>Emits <paramref name="m"/> (at module path <paramref name="path"/>) applied to the value <paramref name="x"/>,
    /// whose sample is <paramref name="sx"/>; returns the output value's name and sample.</summary>
    internal static (string Y, Var Sy) Emit(OnnxGraphWriter w, Module m, string path, string x, Var sx)
    {
        if (OnnxExportBlocks.TryEmit(w, m, path, x, sx, out var r)) return r;
        string P(string p) => path.Length == 0 ? p : $"{path}.{p}";
        switch (m)
        {
            case Conv2d c:
            {
                var inputs = new List<string> { x, P("weight") };
                if (c.Bias is not null) inputs.Add(P("bias"));
                return (w.Add("Conv", path, inputs, new[]
                {
                    OnnxGraphWriter.IntsAttr("kernel_shape", c.KernelSize, c.KernelSize), OnnxGraphWriter.IntsAttr("strides", c.Stride, c.Stride),
                    OnnxGraphWriter.IntsAttr("pads", c.Padding, c.Padding, c.Padding, c.Padding), OnnxGraphWriter.IntsAttr("dilations", c.Dilation, c.Dilation),
                    OnnxGraphWriter.IntAttr("group", c.Groups),
                }), m.Forward(sx));
            }
            case Linear l: return (EmitLinear(w, path, x, sx.Shape, P("weight"), l.Bias is null ? null : P("bias")), m.Forward(sx));
            case BatchNorm b:
                return (w.Add("BatchNormalization", path, new[] { x, P("weight"), P("bias"), P("running_mean"), P("running_var") },
                    new[] { OnnxGraphWriter.FloatAttr("epsilon", b.Eps) }), m.Forward(sx));
            case LayerNorm ln:
                return (w.Add("LayerNormalization", path, new[] { x, P("weight"), P("bias") },
                    new[] { OnnxGraphWriter.IntAttr("axis", -ln.NormalizedShape.Length), OnnxGraphWriter.FloatAttr("epsilon", ln.Eps) }), m.Forward(sx));
            case ReLU: return (w.Add("Relu", path, x), m.Forward(sx));
            case Sigmoid: return (w.Add("Sigmoid", path, x), m.Forward(sx));
            case Tanh: return (w.Add("Tanh", path, x), m.Forward(sx));
            case LeakyReLU lr: return (w.Add("LeakyRelu", path, new[] { x }, new[] { OnnxGraphWriter.FloatAttr("alpha", lr.NegativeSlope) }), m.Forward(sx));
            case Identity:
            case Dropout: return (w.Add("Identity", path, x), m.Forward(sx));
            case GELU g when !g.TanhApproximation:
            {
                // x·½(1 + erf(x/√2)), the decomposition torch.onnx writes for opsets before 20.
                var e = w.Add("Erf", path, w.Add("Div", path, x, w.Float(path, MathF.Sqrt(2f))));
                return (w.Add("Mul", path, w.Add("Mul", path, x, w.Add("Add", path, e, w.Float(path, 1f))), w.Float(path, 0.5f)), m.Forward(sx));
            }
            case MaxPool2d or AvgPool2d:
            {
                var (k, st, pad) = m is MaxPool2d mp ? (mp.KernelSize, mp.Stride, mp.Padding) : (((AvgPool2d)m).KernelSize, ((AvgPool2d)m).Stride, ((AvgPool2d)m).Padding);
                var attrs = new List<AttributeProto> { OnnxGraphWriter.IntsAttr("kernel_shape", k, k), OnnxGraphWriter.IntsAttr("strides", st, st) };
                if (pad > 0)
                {
                    attrs.Add(OnnxGraphWriter.IntsAttr("pads", pad, pad, pad, pad));
                    // PyTorch's AvgPool2d counts the zero padding in the divisor (count_include_pad=True).
                    if (m is AvgPool2d) attrs.Add(OnnxGraphWriter.IntAttr("count_include_pad", 1));
                }
                return (w.Add(m is MaxPool2d ? "MaxPool" : "AveragePool", path, new[] { x }, attrs.ToArray()), m.Forward(sx));
            }
            case AdaptiveAvgPool2d:
            {
                var sy = m.Forward(sx);
                if (sy.Rank != 4 || sy.Shape[2] != 1 || sy.Shape[3] != 1)
                    throw new AtlasArgumentException("model", $"'{path}': an adaptive average pool to 1×1 (global average pool)");
                return (w.Add("GlobalAveragePool", path, x), sy);
            }
            case Flatten:
            {
                var sy = m.Forward(sx);
                if (sy.Rank != 2) throw new AtlasArgumentException("model", $"'{path}': a flatten from dimension 1 to the end");
                return (w.Add("Flatten", path, new[] { x }, new[] { OnnxGraphWriter.IntAttr("axis", 1) }), sy);
            }
        }
        var children = m.NamedChildren().ToList();
        if (children.Count == 0 || m.NamedParameters().Any(p => !p.Key.Contains('.')))
            throw new AtlasArgumentException("model", $"layers ONNX export writes ({Writes}); '{(path.Length == 0 ? "the model" : path)}' is {m.GetType().Name}");
        // Children in registration order: the verification in Save refuses a module whose forward is not this chain.
        foreach (var (name, child) in children) (x, sx) = Emit(w, child, P(name), x, sx);
        return (x, sx);
    }

    /// <summary>x·Wᵀ + b as F.Linear computes it: Gemm on rank 2; otherwise flattened to [-1, in], Gemm, and the leading
    /// dimensions restored from the input's run-time shape.</summary>
    internal static string EmitLinear(OnnxGraphWriter w, string path, string x, int[] shape, string weight, string? bias)
    {
        var inputs = new List<string> { x, weight };
        if (bias is not null) inputs.Add(bias);
        int rank = shape.Length;
        if (rank == 2) return w.Add("Gemm", path, inputs, new[] { OnnxGraphWriter.IntAttr("transB", 1) });
        string lead = w.Add("Shape", path, new[] { x }, new[] { OnnxGraphWriter.IntAttr("start", 0), OnnxGraphWriter.IntAttr("end", rank - 1) });
        inputs[0] = w.Add("Reshape", path, x, w.Ints(path, -1, shape[^1]));
        string y = w.Add("Gemm", path, inputs, new[] { OnnxGraphWriter.IntAttr("transB", 1) });
        string outF = w.Add("Shape", path, new[] { y }, new[] { OnnxGraphWriter.IntAttr("start", 1), OnnxGraphWriter.IntAttr("end", 2) });
        return w.Add("Reshape", path, y, w.Add("Concat", path, new[] { lead, outF }, new[] { OnnxGraphWriter.IntAttr("axis", 0) }));
    }

    private static ValueInfoProto Value(string name, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(int.TryParse(d, out int v) ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
