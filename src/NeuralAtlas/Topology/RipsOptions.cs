namespace NeuralAtlas.Topology;

/// <summary>Parameters of a Vietoris–Rips persistence computation.</summary>
public sealed record RipsOptions
{
    /// <summary>Compute H_0 … H_MaxDimension (Ripser's --dim; default 1).</summary>
    public int MaxDimension { get; init; } = 1;
    /// <summary>
    /// Largest simplex diameter to include. Null: the enclosing radius for dense input (nothing changes beyond
    /// it), every given edge for sparse input.
    /// </summary>
    public double? Threshold { get; init; }
    /// <summary>Coefficients in Z/p, p prime, 2 ≤ p ≤ 251 (default 2).</summary>
    public int Modulus { get; init; } = 2;
    /// <summary>Also return a representative cocycle for every interval in dimension ≥ 1.</summary>
    public bool Cocycles { get; init; }
    /// <summary>Keep only intervals with death/birth &gt; Ratio (Ripser's --ratio; default 1 keeps every nonzero bar).</summary>
    public double Ratio { get; init; } = 1;
    /// <summary>Threads for the parts that split well (assembling columns, building neighbour graphs).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Run even when the memory bound exceeds the memory available.</summary>
    public bool IgnoreMemoryEstimate { get; init; }
}
