using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Autograd;

/// <summary>Every differentiable op's value and input gradients against PyTorch 1.13 (float64 reference, float32 inputs).</summary>
public class OpsReferenceTests
{
    private static int[] Ints(Tensor t) => t.Data.Select(v => (int)v).ToArray();

    private static readonly Dictionary<string, (string[] Inputs, Func<Dictionary<string, Tensor>, Var[], Var> Op)> Cases = Build();

    private static Dictionary<string, (string[], Func<Dictionary<string, Tensor>, Var[], Var>)> Build()
    {
        var c = new Dictionary<string, (string[], Func<Dictionary<string, Tensor>, Var[], Var>)>();
        void U(string name, Func<Var, Var> f) => c[name] = (new[] { "a" }, (_, v) => f(v[0]));
        void B(string name, Func<Var, Var, Var> f) => c[name] = (new[] { "a", "b" }, (_, v) => f(v[0], v[1]));
        B("add", F.Add); B("sub", F.Sub); B("mul", F.Mul); B("div", F.Div); B("maximum", F.Maximum);
        U("neg", F.Neg); U("pow", a => F.Pow(a, 2.5f)); U("square", F.Square); U("sqrt", F.Sqrt); U("exp", F.Exp); U("log", F.Log);
        U("abs", F.Abs); U("clamp", a => F.Clamp(a, -0.3f, 0.5f)); U("relu", F.Relu); U("leaky_relu", a => F.LeakyRelu(a, 0.1f));
        U("sigmoid", F.Sigmoid); U("tanh", F.Tanh); U("gelu", a => F.Gelu(a)); U("gelu_tanh", a => F.Gelu(a, true)); U("silu", F.Silu);
        U("softplus", a => F.Softplus(a)); U("solu", a => F.Solu(a));
        U("sum", a => F.Sum(a, new[] { 0, 2 })); U("sum_keep", a => F.Sum(a, new[] { 1 }, keepDim: true)); U("mean", a => F.Mean(a, new[] { -1 }));
        U("var", a => F.Variance(a, new[] { 1 })); U("max_dim", a => F.Max(a, 1)); U("logsumexp", a => F.LogSumExp(a, new[] { 1 }));
        U("softmax", a => F.Softmax(a, 1)); U("log_softmax", a => F.LogSoftmax(a, 0)); U("permute", a => F.Permute(a, 2, 0, 1));
        U("narrow", a => F.Narrow(a, 1, 1, 2)); U("pad", a => F.Pad(a, new[] { 1, 2, 0, 1 }));
        B("cat", (a, b) => F.Cat(new[] { a, b }, 1));
        c["index_select"] = (new[] { "a" }, (d, v) => F.IndexSelect(v[0], 0, Ints(d["idx"])));
        c["gather"] = (new[] { "a" }, (d, v) => F.Gather(v[0], 1, d["idx"]));
        c["masked_fill"] = (new[] { "a" }, (d, v) => F.MaskedFill(v[0], d["mask"], 0.7f));
        B("matmul", (a, b) => F.MatMul(a, b)); B("matmul_batched", (a, b) => F.MatMul(a, b, false, true));
        c["linear"] = (new[] { "x", "w", "b" }, (_, v) => F.Linear(v[0], v[1], v[2]));
        c["conv2d"] = (new[] { "x", "w", "b" }, (_, v) => F.Conv2d(v[0], v[1], v[2]));
        c["conv2d_stride_pad"] = (new[] { "x", "w" }, (_, v) => F.Conv2d(v[0], v[1], null, stride: 2, padding: 1));
        c["conv2d_dilation"] = (new[] { "x", "w" }, (_, v) => F.Conv2d(v[0], v[1], null, padding: 2, dilation: 2));
        c["conv2d_groups"] = (new[] { "x", "w", "b" }, (_, v) => F.Conv2d(v[0], v[1], v[2], padding: 1, groups: 2));
        c["conv_transpose2d"] = (new[] { "x", "w", "b" }, (_, v) => F.ConvTranspose2d(v[0], v[1], v[2], stride: 2, padding: 1, outputPadding: 1));
        c["conv_transpose2d_groups"] = (new[] { "x", "w" }, (_, v) => F.ConvTranspose2d(v[0], v[1], null, groups: 2));
        c["max_pool2d"] = (new[] { "x" }, (_, v) => F.MaxPool2d(v[0], 2));
        c["max_pool2d_k3s2p1"] = (new[] { "x" }, (_, v) => F.MaxPool2d(v[0], 3, 2, 1));
        c["avg_pool2d"] = (new[] { "x" }, (_, v) => F.AvgPool2d(v[0], 3, 2, 1));
        c["adaptive_avg_pool2d"] = (new[] { "x" }, (_, v) => F.AdaptiveAvgPool2d(v[0], 3, 2));
        c["batch_norm_train"] = (new[] { "x", "w", "b" }, (_, v) => F.BatchNorm(v[0], null, null, v[1], v[2], training: true));
        c["batch_norm1d_train"] = (new[] { "x", "w", "b" }, (_, v) => F.BatchNorm(v[0], null, null, v[1], v[2], training: true));
        c["batch_norm_eval"] = (new[] { "x", "w", "b" }, (d, v) => F.BatchNorm(v[0], d["rm"], d["rv"], v[1], v[2], training: false));
        c["layer_norm"] = (new[] { "x", "w", "b" }, (_, v) => F.LayerNorm(v[0], 1, v[1], v[2]));
        c["group_norm"] = (new[] { "x", "w", "b" }, (_, v) => F.GroupNorm(v[0], 2, v[1], v[2]));
        c["embedding"] = (new[] { "w" }, (d, v) => F.Embedding(d["idx"], v[0]));
        foreach (var (red, r) in new[] { ("mean", Reduction.Mean), ("sum", Reduction.Sum), ("none", Reduction.None) })
        {
            foreach (var ls in new[] { "0.0", "0.1" })
            {
                float smoothing = ls == "0.0" ? 0f : 0.1f;
                c[$"cross_entropy_{red}_{ls}"] = (new[] { "x" }, (d, v) => F.CrossEntropy(v[0], d["t"], smoothing, r));
            }
            c[$"nll_{red}"] = (new[] { "x" }, (d, v) => F.NllLoss(v[0], d["t"], r));
            c[$"mse_{red}"] = (new[] { "x", "y" }, (_, v) => F.MseLoss(v[0], v[1], r));
            c[$"bce_{red}"] = (new[] { "x", "y" }, (_, v) => F.BceWithLogits(v[0], v[1], r));
        }
        return c;
    }

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var k in Cases.Keys) d.Add(k);
        return d;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ValueAndGradientsMatchPyTorch(string name)
    {
        var refs = Reference.Load("ops.npz");
        var (inputs, op) = Cases[name];
        var consts = refs.Where(kv => kv.Key.StartsWith(name + ".", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[(name.Length + 1)..], kv => kv.Value);
        var vars = inputs.Select(i => new Var(consts[i].Clone(), requiresGrad: true)).ToArray();
        var y = op(consts, vars);
        // Long reductions (conv, matmul, norms over many elements) accumulate float32 rounding: 1e-4 there.
        double rtol = name.StartsWith("conv") || name.StartsWith("batch_norm") || name.StartsWith("group_norm") || name.StartsWith("var") ? 1e-4 : 1e-5;
        Reference.Close(consts["out"], y.Value, rtol, name + " value");
        y.Backward(consts["gy"]);
        for (int i = 0; i < inputs.Length; i++)
            Reference.Close(consts["grad_" + inputs[i]], vars[i].Grad ?? new Tensor(vars[i].Shape), rtol, $"{name} d/d{inputs[i]}");
    }

    [Fact]
    public void EveryFixtureCaseIsCovered()
    {
        var names = Reference.Load("ops.npz").Keys.Where(k => k.EndsWith(".out", StringComparison.Ordinal)).Select(k => k[..^4]).ToHashSet();
        Assert.Empty(names.Except(Cases.Keys));
    }
}
