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

    /// <summary>What is not supported of the operators in <see cref="Supported"/>, one line each (docs and
    /// <c>atlas onnx inspect</c> print it); <see cref="AttributeProblems"/> finds these in a model.</summary>
    public static readonly IReadOnlyDictionary<string, string> Limits = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["Conv"] = "1-D and 3-D convolutions; auto_pad other than NOTSET",
        ["ConvTranspose"] = "1-D and 3-D; auto_pad, output_shape; unequal strides, pads, dilations or output_padding on the two axes",
        ["MaxPool"] = "non-square kernels, unequal strides or pads, ceil_mode 1, dilations, the Indices output",
        ["AveragePool"] = "non-square kernels, unequal strides or pads, ceil_mode 1, count_include_pad 0 with padding",
        ["Resize"] = "mode cubic, antialias, coordinate_transformation_mode tf_crop_and_resize or half_pixel_symmetric, keep_aspect_ratio_policy other than stretch, axes",
        ["Pad"] = "mode wrap; negative pads in reflect or edge mode",
        ["LayerNormalization"] = "the Mean and InvStdDev outputs",
        ["Pow"] = "a non-scalar exponent",
        ["Where"] = "a condition computed from data (it must fold to a constant)",
        ["Gather"] = "indices computed from data",
        ["Dropout"] = "training mode (it is the identity)",
        ["BatchNormalization"] = "training mode (running statistics are used)",
    };

    /// <summary>Nodes whose operator is supported but whose attributes ask for something <see cref="Limits"/> excludes,
    /// each with what it asks for; found from the attributes alone, before anything runs.</summary>
    public static IReadOnlyList<(OnnxNode Node, string Problem)> AttributeProblems(OnnxModel model)
    {
        var list = new List<(OnnxNode, string)>();
        foreach (var n in model.Nodes)
        {
            if (n.Domain is not ("" or "ai.onnx")) continue;
            string? S(string a) => n.Attributes.TryGetValue(a, out var v) ? v.String : null;
            long I(string a, long d) => n.Attributes.TryGetValue(a, out var v) && v.Int is long x ? x : d;
            long[]? Is(string a) => n.Attributes.TryGetValue(a, out var v) ? v.Ints?.ToArray() : null;
            void Add(string problem) => list.Add((n, problem));
            switch (n.OpType)
            {
                case "Conv" or "ConvTranspose":
                    if (S("auto_pad") is string ap && ap != "NOTSET") Add($"auto_pad {ap}");
                    if (Is("kernel_shape") is { Length: not 2 } ks) Add($"a {ks.Length}-D kernel");
                    if (n.OpType == "ConvTranspose" && n.Attributes.ContainsKey("output_shape")) Add("output_shape");
                    break;
                case "MaxPool" or "AveragePool":
                {
                    var k = Is("kernel_shape");
                    if (k is not null && (k.Length != 2 || k[0] != k[1])) Add($"kernel_shape [{string.Join(", ", k)}]");
                    if (I("ceil_mode", 0) != 0) Add("ceil_mode 1");
                    if (Is("dilations") is long[] d && d.Any(v => v != 1)) Add($"dilations [{string.Join(", ", d)}]");
                    if (n.OpType == "MaxPool" && n.Outputs.Count > 1 && n.Outputs[1].Length > 0) Add("the Indices output");
                    break;
                }
                case "Resize":
                {
                    if (S("mode") is string mode && mode is not ("nearest" or "linear")) Add($"mode {mode}");
                    if (I("antialias", 0) != 0) Add("antialias 1");
                    if (S("coordinate_transformation_mode") is string ct && ct is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric"))
                        Add($"coordinate_transformation_mode {ct}");
                    if (S("keep_aspect_ratio_policy") is string kp && kp != "stretch") Add($"keep_aspect_ratio_policy {kp}");
                    if (n.Attributes.ContainsKey("axes")) Add("axes");
                    break;
                }
                case "Pad":
                    if (S("mode") is string pm && pm is not ("constant" or "reflect" or "edge")) Add($"mode {pm}");
                    break;
                case "LayerNormalization":
                    if (n.Outputs.Skip(1).Any(o => o.Length > 0)) Add("the Mean/InvStdDev outputs");
                    break;
            }
        }
        return list;
    }

    /// <summary>Default-domain opset versions outside [<see cref="MinOpset"/>, <see cref="MaxOpset"/>].</summary>
    public static IReadOnlyList<string> OpsetProblems(OnnxModel model) =>
        model.Opsets.Where(o => o.Domain is "" or "ai.onnx" && o.Version is < MinOpset or > MaxOpset)
            .Select(o => $"opset {o.Version} of the default domain is outside {MinOpset}–{MaxOpset}").ToList();
}
