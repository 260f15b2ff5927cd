namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>Summary of the exact singular values of a convolution operator on an n×n input.</summary>
/// <param name="StableRank">Σσ² / σ_max² (the operator's Frobenius² over spectral² norm).</param>
/// <param name="Top">The largest values, descending (at most the count requested).</param>
/// <param name="All">Every value, descending, when requested.</param>
public sealed record OperatorSpectrum(int InputSize, int Stride, int Count, double SpectralNorm, double Smallest, double StableRank, double[] Top, double[]? All);

/// <summary>
/// The spectral analysis of one weight (DeepDataProfiler / WeightWatcher style): singular values of the weight
/// reshaped to C_out × (C_in·kh·kw); eigenvalues λ = σ² with their empirical density, a power-law fit of the tail,
/// a Marchenko–Pastur fit of the bulk with its outliers, and α·log₁₀ λ_max; for convolutions also the exact operator
/// spectrum on the given input size.
/// </summary>
public sealed record LayerSpectrum(
    string Name,
    string Kind,
    int[] Shape,
    int Rows,
    int Cols,
    double[] SingularValues,
    SpectralDensity Density,
    PowerLaw? PowerLaw,
    string? PowerLawNote,
    MarchenkoPastur MarchenkoPastur,
    double LambdaMax,
    double? AlphaWeighted,
    OperatorSpectrum? Operator);

/// <summary>All analysed layers of a model and the model-level averages of α and α·log₁₀ λ_max over fitted layers.</summary>
public sealed record ModelSpectrum(IReadOnlyList<LayerSpectrum> Layers, double? AverageAlpha, double? AverageAlphaWeighted);
