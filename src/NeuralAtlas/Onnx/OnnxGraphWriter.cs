using NeuralAtlas.IO;
using NeuralAtlas.Onnx.Proto;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Appends nodes to an ONNX graph under export: node names follow torch.onnx's convention (<c>/layer1/0/conv1/Conv</c>,
/// made unique with <c>_1</c>, <c>_2</c> ...), each node's output is <c>NAME_output_0</c>, and constants are Constant
/// nodes (an initializer would become a trainable parameter on re-import).
/// </summary>
internal sealed class OnnxGraphWriter
{
    public GraphProto Graph { get; } = new();
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="op"/> under the module path <paramref name="scope"/> (dotted, "" for the root)
    /// and returns its output's name (<paramref name="output"/> when given).</summary>
    public string Add(string op, string scope, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? output = null)
    {
        string baseName = (scope.Length == 0 ? "" : "/" + scope.Replace('.', '/')) + "/" + op;
        int k = _used.TryGetValue(baseName, out int c) ? c : 0;
        _used[baseName] = k + 1;
        string name = k == 0 ? baseName : $"{baseName}_{k}";
        var node = new NodeProto { Name = name, OpType = op, Output = { output ?? name + "_output_0" } };
        node.Input.AddRange(inputs);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    public string Add(string op, string scope, params string[] inputs) => Add(op, scope, inputs, null);

    /// <summary>An int64 vector constant (shapes, axes, indices).</summary>
    public string Ints(string scope, params long[] values) =>
        Add("Constant", scope, Array.Empty<string>(), new[] { TensorAttr("value", NdArray.FromInt64s(values, values.Length)) });

    /// <summary>An int64 scalar constant (a Gather index that drops its axis).</summary>
    public string IntScalar(string scope, long value) =>
        Add("Constant", scope, Array.Empty<string>(), new[] { TensorAttr("value", NdArray.FromInt64s(new[] { value }, Array.Empty<int>())) });

    /// <summary>A float32 scalar constant.</summary>
    public string Float(string scope, float value) =>
        Add("Constant", scope, Array.Empty<string>(), new[] { TensorAttr("value", NdArray.FromTensor(Tensor.Scalar(value))) });

    /// <summary>The int64 [1] vector holding dimension <paramref name="axis"/> of <paramref name="x"/> at run time
    /// (Shape with start/end, opset 15+), so the batch and sequence lengths stay symbolic.</summary>
    public string Dim(string scope, string x, int axis) =>
        Add("Shape", scope, new[] { x }, new[] { IntAttr("start", axis), IntAttr("end", axis + 1) });

    public static AttributeProto IntAttr(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto FloatAttr(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    public static AttributeProto IntsAttr(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto TensorAttr(string name, NdArray value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxTensors.Encode("", value) };
}
