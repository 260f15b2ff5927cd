using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Training;

/// <summary>
/// How to train: epochs, batch size, optimizer (adam, adamw, sgd) and its settings, learning-rate schedule
/// (none, step, cosine, onecycle; stepped per batch for onecycle and cosine, per epoch for step), gradient clipping,
/// label smoothing and the seed (shuffling, dropout).
/// </summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public string Optimizer { get; init; } = "adam";
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; }
    public string Schedule { get; init; } = "none";
    public double? ClipGradNorm { get; init; }
    public float LabelSmoothing { get; init; }
    public int Seed { get; init; }
    /// <summary>
    /// Replaces each batch's images before the forward pass (model, images, labels → images), e.g. by adversarial
    /// examples for adversarial training (NeuralAtlas.Robustness.Attacks.AdversarialTraining).
    /// </summary>
    public Func<Module, Tensor, int[], Tensor>? BatchTransform { get; init; }
    /// <summary>
    /// Parameters the optimizer leaves as they are: a name (<c>fc1.weight</c>) or a module prefix (<c>conv1</c>, which
    /// freezes <c>conv1.weight</c> and <c>conv1.bias</c>). Buffers such as BatchNorm statistics still update in training mode.
    /// </summary>
    public IReadOnlyList<string> Frozen { get; init; } = Array.Empty<string>();

    public void Validate()
    {
        if (Epochs <= 0) throw new AtlasArgumentException("--epochs", $"must be positive, got {Epochs}");
        if (BatchSize <= 0) throw new AtlasArgumentException("--batch-size", $"must be positive, got {BatchSize}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new AtlasArgumentException("--lr", $"must be a positive number, got {LearningRate}");
        if (Optimizer is not ("adam" or "adamw" or "sgd")) throw new AtlasArgumentException("--optimizer", $"expected adam, adamw or sgd, got '{Optimizer}'");
        if (Schedule is not ("none" or "step" or "cosine" or "onecycle")) throw new AtlasArgumentException("--schedule", $"expected none, step, cosine or onecycle, got '{Schedule}'");
    }
}

/// <summary>A progress report: after each batch (running means over the epoch so far) and at the end of each epoch.</summary>
public sealed record TrainProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss, double Accuracy, double SamplesPerSecond, bool EpochEnd);

/// <summary>Per-epoch summaries of a finished run.</summary>
public sealed record TrainResult(IReadOnlyList<TrainProgress> Epochs, double Seconds);
