using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// A DeepSets network (Zaheer et al. 2017) built from partition-algebra layers: <c>depth</c> equivariant layers
/// <see cref="PermutationEquivariant"/>(k = 1, l = 1) with ReLU (φ, each x_i ↦ a·x_i + b·mean(x) + c per channel
/// pair), the invariant readout <see cref="PermutationEquivariant"/>(k = 1, l = 0) (the only 1 → 0 diagram is
/// the sum over the set; the mean-normalised basis makes it the mean pooling), ReLU, and a <see cref="Linear"/> ρ.
/// Input [B, cIn, n], output [B, outputs], invariant to permuting the n set elements. Every coefficient refers to
/// the mean-normalised basis, whose dimension is the same for all n ≥ 2, so <see cref="ForSetSize"/> gives the
/// same function on sets of another size.
/// </summary>
public sealed class DeepSets : Module
{
    private readonly Sequential _net;

    public int N { get; }
    public int InChannels { get; }
    public int Hidden { get; }
    public int Depth { get; }
    public int Outputs { get; }

    public DeepSets(int n, int inChannels, int hidden, int depth, int outputs, Rng rng)
    {
        // n = 1 has a one-dimensional 1 → 1 basis (x_i and mean(x) coincide), so its weights would not transfer.
        if (n < 2) throw new AtlasArgumentException("n", $"the set size must be ≥ 2, got {n}");
        if (inChannels < 1 || hidden < 1 || outputs < 1)
            throw new AtlasArgumentException("channels", $"input channels, hidden width and outputs must be ≥ 1, got {inChannels}, {hidden}, {outputs}");
        if (depth < 1) throw new AtlasArgumentException("depth", $"needs at least one equivariant layer, got {depth}");
        N = n; InChannels = inChannels; Hidden = hidden; Depth = depth; Outputs = outputs;
        var layers = new List<Module>();
        for (int i = 0; i < depth; i++)
        {
            layers.Add(new PermutationEquivariant(1, 1, n, i == 0 ? inChannels : hidden, hidden, rng));
            layers.Add(new ReLU());
        }
        layers.Add(new PermutationEquivariant(1, 0, n, hidden, hidden, rng));
        layers.Add(new ReLU());
        layers.Add(new Linear(hidden, outputs, rng));
        _net = RegisterModule("net", new Sequential(layers.ToArray()));
    }

    /// <summary>A model for sets of <paramref name="n"/> elements holding a copy of this model's parameters.</summary>
    public DeepSets ForSetSize(int n)
    {
        var other = new DeepSets(n, InChannels, Hidden, Depth, Outputs, new Rng(0));
        other.LoadStateDict(StateDict());
        return other;
    }

    protected override Var OnForward(Var x)
    {
        if (x.Rank != 3 || x.Shape[1] != InChannels || x.Shape[2] != N)
            throw new ShapeMismatchException("DeepSets", $"expected [batch, {InChannels}, {N}], got {ShapeMismatchException.Format(x.Shape)}");
        return _net.Forward(x);
    }

    public override string ToString() => $"DeepSets(n={N}, in={InChannels}, hidden={Hidden}, depth={Depth}, out={Outputs})";
}
