namespace NeuralAtlas.Similarity;

/// <summary>Which straight paths <see cref="ModeConnectivity.Connect"/> evaluates.</summary>
public enum ConnectivityAlignment
{
    /// <summary>θ_A to θ_B as trained.</summary>
    None,
    /// <summary>θ_A to θ_B with B's hidden units permuted to match A's (activation matching).</summary>
    Activations,
    /// <summary>Both paths, so the part of the barrier due to unit order alone can be read off.</summary>
    Both,
}

/// <summary>The path without alignment, the path with it, and the alignment itself (null where not asked for).</summary>
public sealed record ConnectivityComparison(ConnectivityPath? Unaligned, ConnectivityPath? Aligned, Alignment? Alignment);
