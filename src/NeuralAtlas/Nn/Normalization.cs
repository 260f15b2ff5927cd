using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>
/// nn.BatchNorm1d/2d: <c>weight</c>, <c>bias</c>, buffers <c>running_mean</c>, <c>running_var</c> and
/// <c>num_batches_tracked</c> (a scalar count: a float tensor in memory, exact to 2^24 batches; checkpoints write it as int64, as PyTorch does).
/// </summary>
public class BatchNorm : Module
{
    public int NumFeatures { get; }
    public float Eps { get; }
    public float Momentum { get; }
    public Var Weight { get; }
    public Var Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    private readonly int[] _ranks;
    private readonly Tensor _count;

    protected BatchNorm(int numFeatures, float eps, float momentum, params int[] ranks)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        _ranks = ranks;
        Weight = RegisterParameter("weight", Tensor.Full(new[] { numFeatures }, 1));
        Bias = RegisterParameter("bias", new Tensor(numFeatures));
        RunningMean = RegisterBuffer("running_mean", new Tensor(numFeatures));
        RunningVar = RegisterBuffer("running_var", Tensor.Full(new[] { numFeatures }, 1));
        _count = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0));
    }

    protected override Var OnForward(Var x)
    {
        if (!_ranks.Contains(x.Rank) || x.Shape[1] != NumFeatures)
            throw new ShapeMismatchException(GetType().Name, $"expected input of rank {string.Join(" or ", _ranks)} with {NumFeatures} channels in dimension 1, got {ShapeMismatchException.Format(x.Shape)}");
        if (Training) _count.Data[0] += 1;
        return F.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }
}

/// <summary>Batch normalisation of [N, C] or [N, C, L].</summary>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : BatchNorm(numFeatures, eps, momentum, 2, 3);

/// <summary>Batch normalisation of [N, C, H, W].</summary>
public sealed class BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f) : BatchNorm(numFeatures, eps, momentum, 4);

/// <summary>nn.LayerNorm over the trailing <c>normalized_shape</c> dimensions, elementwise affine.</summary>
public sealed class LayerNorm : Module
{
    public int[] NormalizedShape { get; }
    public float Eps { get; }
    public Var Weight { get; }
    public Var Bias { get; }

    public LayerNorm(int[] normalizedShape, float eps = 1e-5f)
    {
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Full(NormalizedShape, 1));
        Bias = RegisterParameter("bias", new Tensor(NormalizedShape));
    }

    public LayerNorm(int dim, float eps = 1e-5f) : this(new[] { dim }, eps) { }

    protected override Var OnForward(Var x)
    {
        if (x.Rank < NormalizedShape.Length || !x.Shape.AsSpan(x.Rank - NormalizedShape.Length).SequenceEqual(NormalizedShape))
            throw new ShapeMismatchException("layer_norm", x.Shape, NormalizedShape, "input must end with normalized_shape");
        return F.LayerNorm(x, NormalizedShape.Length, Weight, Bias, Eps);
    }
}

/// <summary>nn.GroupNorm(num_groups, num_channels) with per-channel affine.</summary>
public sealed class GroupNorm : Module
{
    public int Groups { get; }
    public float Eps { get; }
    public Var Weight { get; }
    public Var Bias { get; }

    public GroupNorm(int numGroups, int numChannels, float eps = 1e-5f)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new AtlasArgumentException("num_groups", $"{numGroups} does not divide {numChannels} channels");
        Groups = numGroups;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Full(new[] { numChannels }, 1));
        Bias = RegisterParameter("bias", new Tensor(numChannels));
    }

    protected override Var OnForward(Var x) => F.GroupNorm(x, Groups, Weight, Bias, Eps);
}
