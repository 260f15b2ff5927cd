namespace NeuralAtlas.Onnx;

/// <summary>
/// The operator set of NeuralAtlas's ONNX import (default domain, opsets 11–21): what a graph may use to be
/// brought into the engine. Anything else is listed by <c>atlas onnx inspect</c> before anything runs.
/// </summary>
public static class OnnxOperators
{
    public const int MinOpset = 11;
    public const int MaxOpset = 21;

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Log", "Relu",
        "LeakyRelu", "Gelu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Erf", "BatchNormalization",
        "LayerNormalization", "GroupNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape",
        "Transpose", "Concat", "Split", "Slice", "Gather", "Squeeze", "Unsqueeze", "Shape", "Constant", "ConstantOfShape",
        "Expand", "Where", "Equal", "ReduceMean", "ReduceSum", "ReduceMax", "Identity", "Dropout", "Pad", "Resize", "Clip",
        "Cast", "Range",
    };

    /// <summary>Nodes whose operator is outside <see cref="Supported"/> (or outside the default domain).</summary>
    public static IReadOnlyList<OnnxNode> Unsupported(OnnxModel model) =>
        model.Nodes.Where(n => n.Domain is not ("" or "ai.onnx") || !Supported.Contains(n.OpType)).ToList();

    /// <summary>Default-domain opset versions outside [<see cref="MinOpset"/>, <see cref="MaxOpset"/>].</summary>
    public static IReadOnlyList<string> OpsetProblems(OnnxModel model) =>
        model.Opsets.Where(o => o.Domain is "" or "ai.onnx" && o.Version is < MinOpset or > MaxOpset)
            .Select(o => $"opset {o.Version} of the default domain is outside {MinOpset}–{MaxOpset}").ToList();
}
