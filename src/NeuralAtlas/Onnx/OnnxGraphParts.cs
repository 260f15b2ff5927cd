using NeuralAtlas.IO;

namespace NeuralAtlas.Onnx;

/// <summary>A graph input or output: its name, element type ("float32", ...) and shape, where a dimension is a
/// number or a symbolic name such as "batch".</summary>
public sealed record OnnxValueInfo(string Name, string ElementType, IReadOnlyList<string> Shape)
{
    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Shape)}]";
}

/// <summary>One attribute of a node, decoded: exactly one of the value properties is set, per <see cref="Kind"/>.</summary>
public sealed record OnnxAttribute(string Name, string Kind, float? Float = null, long? Int = null, string? String = null,
    NdArray? Tensor = null, IReadOnlyList<float>? Floats = null, IReadOnlyList<long>? Ints = null, IReadOnlyList<string>? Strings = null)
{
    public override string ToString() => Kind switch
    {
        "float" => $"{Name}={Float}",
        "int" => $"{Name}={Int}",
        "string" => $"{Name}='{String}'",
        "tensor" => $"{Name}=tensor {Tensor}",
        "floats" => $"{Name}=[{string.Join(", ", Floats!)}]",
        "ints" => $"{Name}=[{string.Join(", ", Ints!)}]",
        "strings" => $"{Name}=[{string.Join(", ", Strings!)}]",
        _ => $"{Name}=<{Kind}>",
    };
}

/// <summary>One node of the graph: an operator applied to named values, producing named values.</summary>
public sealed record OnnxNode(int Index, string Name, string OpType, string Domain, IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>The domain-qualified operator ("Conv", or "com.microsoft::FusedGemm").</summary>
    public string QualifiedOp => Domain is "" or "ai.onnx" ? OpType : $"{Domain}::{OpType}";
}
