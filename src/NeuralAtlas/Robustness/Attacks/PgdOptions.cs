namespace NeuralAtlas.Robustness.Attacks;

/// <summary>
/// Settings of a projected-gradient attack. <see cref="StepSize"/> defaults to 2.5·ε/steps (Madry et al.);
/// FGSM is one step of size ε without a random start. For ℓ1, each step moves the <see cref="L1Sparsity"/> fraction of
/// largest-gradient coordinates of V (sparse steepest descent).
/// </summary>
public sealed record PgdOptions
{
    public LpNorm Norm { get; init; } = LpNorm.Inf;
    public double Epsilon { get; init; } = 0.1;
    public int Steps { get; init; } = 10;
    public double? StepSize { get; init; }
    public bool RandomStart { get; init; } = true;
    public int Restarts { get; init; } = 1;
    public bool Targeted { get; init; }
    public double L1Sparsity { get; init; } = 0.01;
    public int Seed { get; init; }
    public int BatchSize { get; init; } = 128;

    public double Alpha => StepSize ?? 2.5 * Epsilon / Math.Max(Steps, 1);

    public static PgdOptions Fgsm(LpNorm norm, double eps) => new() { Norm = norm, Epsilon = eps, Steps = 1, StepSize = eps, RandomStart = false };

    public void Validate()
    {
        if (!(Epsilon >= 0) || double.IsInfinity(Epsilon)) throw new AtlasArgumentException("eps", $"must be a finite number ≥ 0, got {Epsilon}");
        if (Steps < 1) throw new AtlasArgumentException("steps", $"must be ≥ 1, got {Steps}");
        if (Restarts < 1) throw new AtlasArgumentException("restarts", $"must be ≥ 1, got {Restarts}");
        if (StepSize is double a && !(a > 0)) throw new AtlasArgumentException("step-size", $"must be > 0, got {a}");
        if (!(L1Sparsity > 0 && L1Sparsity <= 1)) throw new AtlasArgumentException("l1-sparsity", $"must be in (0, 1], got {L1Sparsity}");
        if (BatchSize < 1) throw new AtlasArgumentException("batch-size", $"must be ≥ 1, got {BatchSize}");
    }
}
