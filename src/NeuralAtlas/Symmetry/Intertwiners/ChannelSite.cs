namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>How a tensor produces the channels of a site (dimension 0 indexes the channel).</summary>
public enum ProducerRole
{
    /// <summary>Channel i becomes d_i × channel π(i): weights and biases feeding σ directly, BatchNorm γ and β.</summary>
    Scale,
    /// <summary>Channel i becomes channel π(i), unscaled: a conv followed by BatchNorm (BN renormalises it), BN running statistics.</summary>
    PermuteOnly,
}

/// <summary>A tensor that produces the site's channels along dimension 0.</summary>
public sealed record Producer(string Name, ProducerRole Role);

/// <summary>
/// A tensor that consumes the site's channels along dimension 1, each channel owning <paramref name="Block"/>
/// consecutive entries there (1 for linear layers, positions h·w when a flatten follows; kh·kw are the trailing axes
/// of a conv weight and move with their channel automatically).
/// </summary>
public sealed record Consumer(string Name, int Block = 1);

/// <summary>
/// One place in a network where an intertwiner A = P·diag(d) acts on the channels after the nonlinearity: every
/// producer is moved to A's channel order (and scaled), every consumer is multiplied by A⁻¹ on the right.
/// </summary>
public sealed record ChannelSite(string Name, int Channels, IReadOnlyList<Producer> Producers, IReadOnlyList<Consumer> Consumers);
