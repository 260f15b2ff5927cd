namespace NeuralAtlas.Science.Haldane;

public enum HaldaneVariant
{
    /// <summary>Random sparse integer F and G (the main data set).</summary>
    Random,
    /// <summary>One fixed form, three varying coefficients of G.</summary>
    Simple,
    /// <summary>Ten fixed forms, two or three varying coefficients of G each.</summary>
    Intermediate,
}

/// <summary>How <see cref="HaldaneGenerator"/> draws and verifies samples. Defaults follow the published data set.</summary>
public sealed record HaldaneOptions
{
    public HaldaneVariant Variant { get; init; } = HaldaneVariant.Random;
    /// <summary>Side of the grid the section is sampled on for export.</summary>
    public int Grid { get; init; } = 32;
    /// <summary>Largest |frequency| drawn for the random variant (≤ 4, the 9×9 array).</summary>
    public int FrequencyBound { get; init; } = HaldanePair.MaxFrequency;
    public int FTermsMin { get; init; } = 2;
    public int FTermsMax { get; init; } = 6;
    public int GTermsMin { get; init; } = 1;
    public int GTermsMax { get; init; } = 6;
    /// <summary>Nonzero integer coefficients are drawn from [−bound, bound] \ {0}.</summary>
    public int CoefficientBound { get; init; } = 8;
    /// <summary>Also draw integer imaginary parts for F's coefficients (the published set uses real ones).</summary>
    public bool ComplexF { get; init; }
    /// <summary>Range of the varying coefficients t of the simple and intermediate forms.</summary>
    public double ParameterBound { get; init; } = 3;
    /// <summary>Chern numbers to keep; samples with other labels are discarded.</summary>
    public int[] Classes { get; init; } = [-2, -1, 0, 1, 2];
    /// <summary>Equal counts per class (the remainder goes to the first classes); default: on for the random variant.</summary>
    public bool? Balance { get; init; }
    /// <summary>Grids at which both methods must give the same integer for a sample to be kept.</summary>
    public int[] CheckGrids { get; init; } = [64, 128];
    /// <summary>Cheap lattice-only grid used to pick candidates before the full check.</summary>
    public int ScreenGrid { get; init; } = 32;
    /// <summary>The Chern–Weil integral must lie this close to its integer at every check grid.</summary>
    public double Tolerance { get; init; } = 0.2;
    /// <summary>Give up (with an error) after this many candidates; 0 = 200 × count + 10 000.</summary>
    public long MaxCandidates { get; init; }

    public bool Balanced => Balance ?? Variant == HaldaneVariant.Random;

    internal void Validate(int count)
    {
        if (count < 0) throw new AtlasArgumentException("count", $"must be non-negative, got {count}");
        if (Grid < 2) throw new AtlasArgumentException("grid", $"the sampling grid needs at least 2 points per side, got {Grid}");
        if (Grid > 1024) throw new AtlasArgumentException("grid", $"at most 1024 points per side, got {Grid}");
        if (FrequencyBound < 1 || FrequencyBound > HaldanePair.MaxFrequency)
            throw new AtlasArgumentException("frequency-bound", $"must be in 1…{HaldanePair.MaxFrequency}, got {FrequencyBound}");
        int slots = (2 * FrequencyBound + 1) * (2 * FrequencyBound + 1);
        if (FTermsMin < 1 || FTermsMax < FTermsMin || FTermsMax > slots)
            throw new AtlasArgumentException("f-terms", $"need 1 ≤ min ≤ max ≤ {slots}, got {FTermsMin}…{FTermsMax}");
        if (GTermsMin < 1 || GTermsMax < GTermsMin || GTermsMax > slots)
            throw new AtlasArgumentException("g-terms", $"need 1 ≤ min ≤ max ≤ {slots}, got {GTermsMin}…{GTermsMax}");
        if (CoefficientBound < 1) throw new AtlasArgumentException("coefficient-bound", $"must be at least 1, got {CoefficientBound}");
        if (!(ParameterBound > 0) || !double.IsFinite(ParameterBound)) throw new AtlasArgumentException("parameter-bound", $"must be a positive number, got {ParameterBound}");
        if (Classes.Length == 0 || Classes.Distinct().Count() != Classes.Length)
            throw new AtlasArgumentException("classes", "need at least one Chern number, each listed once");
        if (CheckGrids.Length == 0) throw new AtlasArgumentException("check-grids", "need at least one grid");
        foreach (int g in CheckGrids) ChernNumber.CheckGrid(g, "check-grids");
        if (CheckGrids.Any(g => g > 2048)) throw new AtlasArgumentException("check-grids", "at most 2048 points per side");
        ChernNumber.CheckGrid(ScreenGrid, "screen-grid");
        if (!(Tolerance > 0 && Tolerance < 0.5)) throw new AtlasArgumentException("tolerance", $"must be in (0, 0.5), got {Tolerance}");
        if (MaxCandidates < 0) throw new AtlasArgumentException("max-candidates", $"must be non-negative, got {MaxCandidates}");
    }
}
