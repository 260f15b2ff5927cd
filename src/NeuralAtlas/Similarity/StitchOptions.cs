namespace NeuralAtlas.Similarity;

/// <summary>One training step's report: the step (1-based), the steps in all, and the minibatch's task loss.</summary>
public sealed record StitchProgress(int Step, int Steps, double Loss);

/// <summary>
/// Where to stitch and how: A is cut at <see cref="LayerA"/>, B resumes after <see cref="LayerB"/> (dotted submodule
/// names of zoo models, or node names of an imported ONNX graph); the stitching layer is fitted in closed form and,
/// with <see cref="TrainSteps"/> &gt; 0, then trained on B's cross-entropy with both models frozen.
/// </summary>
public sealed record StitchOptions
{
    public required string LayerA { get; init; }
    public required string LayerB { get; init; }
    public StitchKind Kind { get; init; } = StitchKind.Affine;
    /// <summary>Rank of a <see cref="StitchKind.LowRank"/> stitch.</summary>
    public int Rank { get; init; } = 8;
    /// <summary>Adam steps on the task loss after the closed-form initialisation (0 = closed form only).</summary>
    public int TrainSteps { get; init; }
    public double LearningRate { get; init; } = 1e-3;
    public int BatchSize { get; init; } = 64;
    /// <summary>L1 weight λ of a <see cref="StitchKind.Sparse"/> stitch (soft-thresholding by lr·λ after each step).</summary>
    public double L1 { get; init; } = 1e-2;
    /// <summary>Temperature of the Sinkhorn relaxation P = Sinkhorn(exp(logits/τ)) of a permutation-scaling stitch.</summary>
    public double Tau { get; init; } = 0.1;
    public int SinkhornIterations { get; init; } = 20;
    /// <summary>Seed of the minibatch order.</summary>
    public ulong Seed { get; init; }
    public Action<StitchProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(LayerA)) throw new AtlasArgumentException("layer-a", "give the layer of A to cut at");
        if (string.IsNullOrWhiteSpace(LayerB)) throw new AtlasArgumentException("layer-b", "give the layer of B to resume after");
        if (TrainSteps < 0) throw new AtlasArgumentException("train-steps", $"must be 0 or positive, got {TrainSteps}");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new AtlasArgumentException("lr", $"must be a positive finite number, got {LearningRate}");
        if (BatchSize < 1) throw new AtlasArgumentException("batch-size", $"must be positive, got {BatchSize}");
        if (!(L1 >= 0) || double.IsInfinity(L1)) throw new AtlasArgumentException("l1", $"must be a finite non-negative number, got {L1}");
        if (!(Tau > 0) || double.IsInfinity(Tau)) throw new AtlasArgumentException("tau", $"the Sinkhorn temperature must be positive and finite, got {Tau}");
        if (SinkhornIterations < 1) throw new AtlasArgumentException("sinkhorn-iterations", $"must be positive, got {SinkhornIterations}");
        if (Kind == StitchKind.Sparse && TrainSteps == 0)
            throw new AtlasArgumentException("train-steps", "a sparse stitch is the L1-penalised training of the affine one; it needs training steps");
        if (Kind == StitchKind.LowRank && Rank < 1) throw new AtlasArgumentException("rank", $"a low-rank stitch needs a rank of at least 1, got {Rank}");
    }
}
