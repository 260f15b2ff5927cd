using Google.Protobuf;
using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Onnx.Proto;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Writes a sequential NeuralAtlas model (its children run in registration order, as the zoo's cnn and mlp do) as an
/// ONNX graph (opset 13): Conv, Gemm, Relu, Sigmoid, Tanh, MaxPool, AveragePool, Flatten, Identity nodes, the state
/// dict as initializers under the same names. Pool geometry is not exposed by the pooling modules, so it is read off
/// the traced shapes (kernel = stride, no padding); the exported graph is then re-imported and run on the sample,
/// and the export is refused unless it reproduces the model's output exactly.
/// </summary>
public static class OnnxExport
{
    public const int Opset = 13;

    /// <param name="inputShape">One example's shape, e.g. [1, 28, 28]; the batch dimension is symbolic ("batch").</param>
    public static void Save(Module model, int[] inputShape, string path)
    {
        var bytes = Build(model, inputShape);
        var sample = SampleInput(inputShape);
        model.Eval();
        Tensor want;
        using (GradMode.NoGrad()) want = model.Forward(new Var(sample)).Value;
        var back = new OnnxModule(OnnxModel.Parse(bytes, path));
        back.Eval();
        Tensor got;
        using (GradMode.NoGrad()) got = back.Forward(new Var(sample)).Value;
        if (!got.Shape.AsSpan().SequenceEqual(want.Shape) || !got.Data.AsSpan().SequenceEqual(want.Data))
            throw new AtlasArgumentException("model", "a sequential model (children run in registration order); the exported graph does not reproduce its output");
        AtomicFile.WriteAllBytes(path, bytes);
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
        var g = new GraphProto { Name = model.GetType().Name };
        foreach (var (name, t) in model.StateDict()) g.Initializer.Add(OnnxTensors.Encode(name, NdArray.FromTensor(t)));
        string cur = "input";
        var x = new Var(SampleInput(inputShape));
        int idx = 0;
        var children = model.NamedChildren().ToList();
        if (children.Count == 0) throw new AtlasArgumentException("model", "a model built of child modules");
        using (GradMode.NoGrad())
            foreach (var (name, child) in children)
            {
                var y = child.Forward(x);
                string output = idx == children.Count - 1 ? "logits" : $"/{name}/output_0";
                var node = new NodeProto { Name = $"/{name}", Output = { output } };
                node.Input.Add(cur);
                switch (child)
                {
                    case Conv2d c:
                        node.OpType = "Conv";
                        node.Input.Add($"{name}.weight");
                        if (c.Bias is not null) node.Input.Add($"{name}.bias");
                        node.Attribute.Add(Ints("kernel_shape", c.KernelSize, c.KernelSize));
                        node.Attribute.Add(Ints("strides", c.Stride, c.Stride));
                        node.Attribute.Add(Ints("pads", c.Padding, c.Padding, c.Padding, c.Padding));
                        node.Attribute.Add(Ints("dilations", c.Dilation, c.Dilation));
                        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = c.Groups });
                        break;
                    case Linear l:
                        node.OpType = "Gemm";
                        node.Input.Add($"{name}.weight");
                        if (l.Bias is not null) node.Input.Add($"{name}.bias");
                        node.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                        break;
                    case MaxPool2d or AvgPool2d:
                    {
                        node.OpType = child is MaxPool2d ? "MaxPool" : "AveragePool";
                        int h = x.Shape[2], w = x.Shape[3], oh = y.Shape[2], ow = y.Shape[3];
                        int k = Enumerable.Range(1, Math.Max(h, w)).FirstOrDefault(k => h / k == oh && w / k == ow);
                        if (k == 0) throw new AtlasArgumentException("model", $"'{name}': a pool with kernel = stride and no padding ({h}×{w} → {oh}×{ow})");
                        node.Attribute.Add(Ints("kernel_shape", k, k));
                        node.Attribute.Add(Ints("strides", k, k));
                        break;
                    }
                    case Flatten:
                        node.OpType = "Flatten";
                        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                        if (y.Rank != 2) throw new AtlasArgumentException("model", $"'{name}': a flatten from dimension 1 to the end");
                        break;
                    case ReLU: node.OpType = "Relu"; break;
                    case Sigmoid: node.OpType = "Sigmoid"; break;
                    case Tanh: node.OpType = "Tanh"; break;
                    case Identity: node.OpType = "Identity"; break;
                    default:
                        throw new AtlasArgumentException("model", $"layers ONNX export writes (Conv2d, Linear, MaxPool2d, AvgPool2d, Flatten, ReLU, Sigmoid, Tanh, Identity); '{name}' is {child.GetType().Name}");
                }
                g.Node.Add(node);
                cur = output;
                x = y;
                idx++;
            }
        g.Input.Add(Value("input", new[] { "batch" }.Concat(inputShape.Select(d => d.ToString())).ToArray()));
        g.Output.Add(Value("logits", new[] { "batch" }.Concat(x.Shape.Skip(1).Select(d => d.ToString())).ToArray()));
        var m = new ModelProto { IrVersion = 7, ProducerName = "NeuralAtlas", Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return m.ToByteArray();
    }

    private static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    private static ValueInfoProto Value(string name, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(int.TryParse(d, out int v) ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
