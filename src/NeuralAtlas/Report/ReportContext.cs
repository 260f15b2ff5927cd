using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report;

/// <summary>A trained (or loaded) model of the report with its training history and captured activations.</summary>
public sealed class ReportModel
{
    public required string Label { get; init; }
    public required Module Module { get; init; }
    public required int Seed { get; init; }
    public TrainResult? Training { get; init; }
    /// <summary>The imported graph when the model came from an ONNX file (its layers are node names), else null.</summary>
    public Onnx.OnnxModule? Graph { get; init; }
    public double TestAccuracy { get; set; }
    /// <summary>The analysed layers, in forward order (zoo submodule names, or node names of an imported graph).</summary>
    public IReadOnlyList<string> Layers => Activations.Select(a => a.Layer).ToList();
    /// <summary>Layer name → activations of the analysis images (N × ...), in forward order.</summary>
    public IReadOnlyList<(string Layer, Tensor Activations)> Activations { get; set; } = Array.Empty<(string, Tensor)>();
}

/// <summary>Everything the sections share: options, data, models and the analysis images.</summary>
public sealed class ReportContext
{
    public required ReportOptions Options { get; init; }
    public required DatasetSplits Data { get; init; }
    public List<ReportModel> Models { get; } = new();
    public required Tensor AnalysisImages { get; init; }
    public required int[] AnalysisLabels { get; init; }
}
