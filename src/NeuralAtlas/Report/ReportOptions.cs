namespace NeuralAtlas.Report;

/// <summary>
/// What <c>atlas report</c> runs. With the defaults it trains the reference CNN from two seeds on the embedded
/// synthetic data (or Fashion-MNIST when its files are present and <see cref="Data"/> is "auto") and runs every
/// analysis; <see cref="Quick"/> shrinks every stage so the whole report takes under a minute.
/// </summary>
public sealed record ReportOptions
{
    public string Model { get; init; } = "cnn";
    /// <summary>Weights to analyse instead of training (one model; cross-seed sections then compare with a freshly trained second seed).</summary>
    public string? Weights { get; init; }
    /// <summary>ONNX files to analyse instead of training (one model each, in order; nothing is trained). Sections that
    /// need zoo-specific code the graph lacks are skipped with the reason.</summary>
    public IReadOnlyList<string>? Onnx { get; init; }
    /// <summary>auto (Fashion-MNIST if installed, else synthetic), synthetic, fashion-mnist, or a folder.</summary>
    public string Data { get; init; } = "auto";
    public string? DataDir { get; init; }
    public int Seeds { get; init; } = 2;
    public bool Quick { get; init; }
    public int Seed { get; init; }

    /// <summary>Overrides of the sizes below (tests and users who want a smaller or larger report).</summary>
    public int? EpochsOverride { get; init; }
    public int? TrainLimit { get; init; }
    public int? AnalysisLimit { get; init; }
    public int? RobustnessLimit { get; init; }

    public int Epochs => EpochsOverride ?? (Quick ? 1 : 2);
    /// <summary>Training images used per epoch (the first N of the train split).</summary>
    public int TrainImages => TrainLimit ?? (Quick ? 2000 : 8000);
    /// <summary>Test images whose activations are analysed.</summary>
    public int AnalysisImages => AnalysisLimit ?? (Quick ? 200 : 500);
    /// <summary>Test images for corruption and attack curves.</summary>
    public int RobustnessImages => RobustnessLimit ?? (Quick ? 100 : 300);

    public void Validate()
    {
        if (Seeds < 1 || Seeds > 8) throw new AtlasArgumentException("--seeds", $"must be 1..8, got {Seeds}");
        if (Onnx is not null)
        {
            if (Onnx.Count is < 1 or > 8) throw new AtlasArgumentException("--onnx", $"give 1 to 8 ONNX files, got {Onnx.Count}");
            if (Weights is not null) throw new AtlasArgumentException("--onnx", "give either --weights or --onnx, not both");
        }
    }
}
