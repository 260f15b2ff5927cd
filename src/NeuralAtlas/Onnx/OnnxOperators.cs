namespace NeuralAtlas.Onnx;

/// <summary>
/// The operators of NeuralAtlas's ONNX import (default domain, opsets 11–21): <see cref="Supported"/> is what
/// <see cref="OnnxModule"/> implements today; <see cref="Planned"/> is the full set the importer aims at. Anything
/// outside <see cref="Supported"/> is listed by <c>atlas onnx inspect</c> and refused before anything runs.
/// </summary>
public static class OnnxOperators
{
    public const int MinOpset = 11;
    public const int MaxOpset = 21;

    public static IReadOnlySet<string> Supported => OnnxOps.Implemented;

    public static readonly IReadOnlySet<string> Planned = new HashSet<string>(StringComparer.Ordinal)
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
