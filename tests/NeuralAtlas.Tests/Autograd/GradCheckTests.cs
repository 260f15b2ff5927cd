using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Autograd;

/// <summary>
/// Finite differences (central, accumulated in double) against the analytic gradient of every differentiable op,
/// and of the gradient itself (second order) for the ops whose backward is differentiable.
/// </summary>
public class GradCheckTests
{
    private static Tensor R(int seed, params int[] shape) => R(seed, -1, 1, shape);

    private static Tensor R(int seed, double lo, double hi, params int[] shape)
    {
        var rng = new Rng(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Uniform(lo, hi);
        return t;
    }

    private static readonly Tensor Targets = Tensor.FromArray(new float[] { 1, 0, 3 }, 3);

    public static readonly Dictionary<string, (Func<Var[], Var> F, Tensor[] X, bool Second)> Cases = new()
    {
        ["add"] = (v => F.Add(v[0], v[1]), new[] { R(1, 2, 1, 3), R(2, 4, 3) }, true),
        ["sub"] = (v => F.Sub(v[0], v[1]), new[] { R(1, 2, 3), R(2, 3) }, true),
        ["mul"] = (v => F.Mul(v[0], v[1]), new[] { R(1, 2, 3), R(2, 2, 1) }, true),
        ["div"] = (v => F.Div(v[0], v[1]), new[] { R(1, 2, 3), R(2, 0.5, 2, 3) }, true),
        ["pow"] = (v => F.Pow(v[0], 2.5f), new[] { R(3, 0.5, 2, 4) }, true),
        ["sqrt"] = (v => F.Sqrt(v[0]), new[] { R(3, 0.5, 2, 4) }, true),
        ["exp"] = (v => F.Exp(v[0]), new[] { R(3, 4) }, true),
        ["log"] = (v => F.Log(v[0]), new[] { R(3, 0.5, 2, 4) }, true),
        ["abs"] = (v => F.Abs(v[0]), new[] { R(3, 0.2, 1, 4) }, false),
        ["clamp"] = (v => F.Clamp(v[0], -0.5f, 0.5f), new[] { R(4, 6) }, false),
        ["maximum"] = (v => F.Maximum(v[0], v[1]), new[] { R(4, 6), R(5, 6) }, false),
        ["relu"] = (v => F.Relu(v[0]), new[] { R(4, 6) }, true),
        ["leaky_relu"] = (v => F.LeakyRelu(v[0], 0.2f), new[] { R(4, 6) }, true),
        ["sigmoid"] = (v => F.Sigmoid(v[0]), new[] { R(4, 6) }, true),
        ["tanh"] = (v => F.Tanh(v[0]), new[] { R(4, 6) }, true),
        ["gelu"] = (v => F.Gelu(v[0]), new[] { R(4, 6) }, true),
        ["gelu_tanh"] = (v => F.Gelu(v[0], true), new[] { R(4, 6) }, true),
        ["silu"] = (v => F.Silu(v[0]), new[] { R(4, 6) }, true),
        ["softplus"] = (v => F.Softplus(v[0]), new[] { R(4, 6) }, true),
        ["solu"] = (v => F.Solu(v[0]), new[] { R(4, 2, 5) }, true),
        ["sum"] = (v => F.Sum(v[0], new[] { 1 }), new[] { R(5, 2, 3, 2) }, true),
        ["mean"] = (v => F.Mean(v[0]), new[] { R(5, 2, 3) }, true),
        ["variance"] = (v => F.Variance(v[0], new[] { 0 }), new[] { R(5, 4, 3) }, true),
        ["max"] = (v => F.Max(v[0], 1), new[] { R(6, 3, 4) }, true),
        ["logsumexp"] = (v => F.LogSumExp(v[0], new[] { 1 }), new[] { R(6, 3, 4) }, true),
        ["softmax"] = (v => F.Softmax(v[0], 0), new[] { R(6, 3, 4) }, true),
        ["log_softmax"] = (v => F.LogSoftmax(v[0], 1), new[] { R(6, 3, 4) }, true),
        ["permute"] = (v => F.Permute(v[0], 1, 2, 0), new[] { R(7, 2, 3, 2) }, true),
        ["transpose"] = (v => F.Transpose(v[0], 0, 1), new[] { R(7, 2, 3) }, true),
        ["expand"] = (v => F.Expand(v[0], new[] { 2, 3, 4 }), new[] { R(7, 3, 1) }, true),
        ["narrow"] = (v => F.Narrow(v[0], 0, 1, 2), new[] { R(7, 4, 3) }, true),
        ["pad"] = (v => F.Pad(v[0], new[] { 1, 1 }, 0.5f), new[] { R(7, 2, 3) }, true),
        ["cat"] = (v => F.Cat(new[] { v[0], v[1] }, 0), new[] { R(7, 2, 3), R(8, 1, 3) }, true),
        ["stack"] = (v => F.Stack(new[] { v[0], v[1] }, 1), new[] { R(7, 2, 3), R(8, 2, 3) }, true),
        ["index_select"] = (v => F.IndexSelect(v[0], 1, new[] { 2, 0, 2 }), new[] { R(7, 2, 3) }, true),
        ["gather"] = (v => F.Gather(v[0], 1, Tensor.FromArray(new float[] { 0, 2, 1, 1 }, 2, 2)), new[] { R(7, 2, 3) }, true),
        ["masked_fill"] = (v => F.MaskedFill(v[0], Tensor.FromArray(new float[] { 1, 0, 1 }, 3), -2f), new[] { R(7, 2, 3) }, true),
        ["where"] = (v => F.Where(Tensor.FromArray(new float[] { 1, 0, 1 }, 3), v[0], v[1]), new[] { R(7, 2, 3), R(8, 3) }, true),
        ["matmul"] = (v => F.MatMul(v[0], v[1]), new[] { R(9, 2, 3, 4), R(10, 4, 2) }, true),
        ["matmul_tt"] = (v => F.MatMul(v[0], v[1], true, true), new[] { R(9, 4, 3), R(10, 2, 4) }, true),
        ["linear"] = (v => F.Linear(v[0], v[1], v[2]), new[] { R(9, 2, 4), R(10, 3, 4), R(11, 3) }, true),
        ["conv2d"] = (v => F.Conv2d(v[0], v[1], v[2], stride: 2, padding: 1), new[] { R(12, 2, 2, 5, 5), R(13, 3, 2, 3, 3), R(14, 3) }, true),
        ["conv2d_groups_dilation"] = (v => F.Conv2d(v[0], v[1], null, padding: 1, dilation: 2, groups: 2), new[] { R(12, 1, 4, 5, 5), R(13, 2, 2, 2, 2) }, true),
        ["conv_transpose2d"] = (v => F.ConvTranspose2d(v[0], v[1], v[2], stride: 2, padding: 1, outputPadding: 1), new[] { R(12, 1, 2, 3, 3), R(13, 2, 3, 3, 3), R(14, 3) }, true),
        ["max_pool2d"] = (v => F.MaxPool2d(v[0], 2), new[] { R(15, 1, 2, 4, 4) }, true),
        ["max_pool2d_k3s2p1"] = (v => F.MaxPool2d(v[0], 3, 2, 1), new[] { R(15, 1, 2, 5, 5) }, true),
        ["avg_pool2d"] = (v => F.AvgPool2d(v[0], 2, 1, 1), new[] { R(15, 1, 2, 4, 4) }, true),
        ["adaptive_avg_pool2d"] = (v => F.AdaptiveAvgPool2d(v[0], 2, 3), new[] { R(15, 1, 2, 5, 5) }, true),
        ["batch_norm"] = (v => F.BatchNorm(v[0], null, null, v[1], v[2], true), new[] { R(16, 3, 2, 2, 2), R(17, 2), R(18, 2) }, true),
        ["layer_norm"] = (v => F.LayerNorm(v[0], 1, v[1], v[2]), new[] { R(16, 3, 4), R(17, 4), R(18, 4) }, true),
        ["group_norm"] = (v => F.GroupNorm(v[0], 2, v[1], v[2]), new[] { R(16, 2, 4, 2, 1), R(17, 4), R(18, 4) }, true),
        ["embedding"] = (v => F.Embedding(Tensor.FromArray(new float[] { 2, 0, 2 }, 3), v[0]), new[] { R(19, 3, 2) }, true),
        ["cross_entropy"] = (v => F.CrossEntropy(v[0], Targets, 0.1f), new[] { R(20, 3, 4) }, true),
        ["nll"] = (v => F.NllLoss(v[0], Targets, Reduction.Sum), new[] { R(20, 3, 4) }, true),
        ["mse"] = (v => F.MseLoss(v[0], v[1]), new[] { R(20, 3, 4), R(21, 3, 4) }, true),
        ["bce_with_logits"] = (v => F.BceWithLogits(v[0], v[1], Reduction.None), new[] { R(20, 3, 4), R(21, 0.0, 1.0, 3, 4) }, true),
    };

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var k in Cases.Keys) d.Add(k);
        return d;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FirstDerivativesMatchFiniteDifferences(string name)
    {
        var (f, x, _) = Cases[name];
        var r = GradCheck.Check(f, x, eps: 1e-2, atol: 2e-3, rtol: 1e-2);
        Assert.True(r.Passed, $"{name}: {r}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondDerivativesMatchFiniteDifferences(string name)
    {
        var (f, x, second) = Cases[name];
        if (!second) return; // piecewise-linear masks (abs, clamp, maximum) have no useful second derivative
        var r = GradCheck.Check(f, x, eps: 1e-2, atol: 5e-3, rtol: 2e-2, secondOrder: true);
        Assert.True(r.Passed, $"{name}: {r}");
    }

    [Fact]
    public void GradCheckDetectsAWrongGradient()
    {
        // A deliberately wrong backward rule (2x instead of x) must fail the check.
        Func<Var[], Var> wrong = v => F.Record(Ops.Square(v[0].Value), "bad_square", v, g => new[] { F.Mul(g, v[0]) });
        Assert.False(GradCheck.Check(wrong, new[] { R(1, 5) }).Passed);
    }
}
