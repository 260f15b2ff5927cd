using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Autograd;

namespace NeuralAtlas.Tests.Nn;

/// <summary>Modules, optimizers and schedulers against PyTorch 1.13 (tools/fixtures/nn_reference.py).</summary>
public class LayerReferenceTests
{
    [Fact]
    public void BatchNormTrainUpdatesRunningStatisticsAndEvalUsesThem()
    {
        var r = Reference.Load("layers.npz");
        var bn = new BatchNorm2d(3, momentum: 0.2f);
        r["bn.weight"].Data.CopyTo(bn.Weight.Value.Data, 0);
        r["bn.bias"].Data.CopyTo(bn.Bias.Value.Data, 0);
        bn.Forward(new Var(r["bn.x1"]));
        var y2 = bn.Forward(new Var(r["bn.x2"]));
        Reference.Close(r["bn.train_out2"], y2.Value, 1e-5, "train output");
        foreach (var (k, v) in bn.StateDict()) Reference.Close(r["bn.state." + k], v, 1e-5, k);
        bn.Eval();
        Reference.Close(r["bn.eval_out"], bn.Forward(new Var(r["bn.x1"])).Value, 1e-5, "eval output");
    }

    [Fact]
    public void MultiheadAttentionWithMasksMatchesPyTorch()
    {
        var r = Reference.Load("layers.npz");
        var mha = new MultiheadAttention(8, 2, new Rng(0), batchFirst: true);
        mha.LoadStateDict(mha.StateDict().Keys.ToDictionary(k => k, k => r["mha.state." + k]));
        var q = new Var(r["mha.q"], true);
        var k = new Var(r["mha.k"], true);
        var v = new Var(r["mha.v"], true);
        var (o, w) = mha.Attend(q, k, v, r["mha.key_padding_mask"], r["mha.attn_mask"]);
        Reference.Close(r["mha.out"], o.Value, 1e-5, "output");
        Reference.Close(r["mha.weights"], w, 1e-5, "weights");
        o.Backward(r["mha.gy"]);
        Reference.Close(r["mha.grad.q"], q.Grad!, 1e-5, "dq");
        Reference.Close(r["mha.grad.k"], k.Grad!, 1e-5, "dk");
        Reference.Close(r["mha.grad.v"], v.Grad!, 1e-5, "dv");
        foreach (var (name, p) in mha.NamedParameters()) Reference.Close(r["mha.grad." + name], p.Grad!, 1e-5, "d" + name);
        var (o2, _) = mha.Attend(q, k, v, attnMask: r["mha.additive_mask"], additiveMask: true);
        Reference.Close(r["mha.out_additive"], o2.Value, 1e-5, "additive mask output");
    }

    public static TheoryData<string> OptimizerNames() => new() { "sgd", "sgd_momentum_wd", "sgd_nesterov", "adam", "adam_wd", "adamw" };

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void FiveOptimizerStepsMatchPyTorch(string name)
    {
        var r = Reference.Load("optim.npz");
        var p = new Var(r["p0"].Clone(), requiresGrad: true);
        Optimizer opt = name switch
        {
            "sgd" => new Sgd(new[] { p }, 0.1),
            "sgd_momentum_wd" => new Sgd(new[] { p }, 0.05, momentum: 0.9, weightDecay: 0.01, dampening: 0.1),
            "sgd_nesterov" => new Sgd(new[] { p }, 0.05, momentum: 0.8, nesterov: true),
            "adam" => new Adam(new[] { p }, 0.01),
            "adam_wd" => new Adam(new[] { p }, 0.01, beta1: 0.8, beta2: 0.99, weightDecay: 0.1),
            _ => new AdamW(new[] { p }, 0.01, weightDecay: 0.1),
        };
        var traj = r[name + ".params"];
        for (int s = 0; s < 5; s++)
        {
            opt.ZeroGrad();
            var loss = F.Add(F.Sum(F.Mul(F.Const(r["coef"]), F.Square(F.Sub(p, F.Const(r["target"]))))), F.Sum(F.Pointwise("sin", p, Math.Sin, Math.Cos)));
            loss.Backward();
            opt.Step();
            Reference.Close(Ops.Narrow(traj, 0, s, 1).Reshape(7), p.Value, 1e-5, $"{name} step {s + 1}");
        }
    }

    [Theory]
    [InlineData("step")]
    [InlineData("cosine")]
    [InlineData("onecycle")]
    public void SchedulersMatchPyTorch(string name)
    {
        var r = Reference.Load("optim.npz");
        var opt = new Sgd(new[] { new Var(new Tensor(1), true) }, 0.1, momentum: 0.9);
        LrScheduler s = name switch
        {
            "step" => new StepLR(opt, 3, 0.5),
            "cosine" => new CosineAnnealingLR(opt, 10, 0.01),
            _ => new OneCycleLR(opt, 0.1, 20),
        };
        var lr = r[name + ".lr"];
        var mom = r[name + ".momentum"];
        for (int i = 0; i < lr.Numel; i++)
        {
            Assert.True(Math.Abs(opt.LearningRate - lr.Data[i]) <= 1e-6 * Math.Max(1e-3, lr.Data[i]) + 1e-9, $"{name} lr at step {i}: {opt.LearningRate} vs {lr.Data[i]}");
            Assert.True(Math.Abs(opt.Momentum - mom.Data[i]) <= 1e-6, $"{name} momentum at step {i}: {opt.Momentum} vs {mom.Data[i]}");
            if (i < lr.Numel - 1) s.Step();
        }
    }

    [Fact]
    public void ClipGradNormScalesToTheLimit()
    {
        var a = new Var(new Tensor(2), true) { Grad = Tensor.FromArray(new float[] { 3, 0 }, 2) };
        var b = new Var(new Tensor(1), true) { Grad = Tensor.FromArray(new float[] { 4 }, 1) };
        double total = GradClip.ClipGradNorm(new[] { a, b }, 1.0);
        Assert.Equal(5.0, total, 5);
        Assert.Equal(0.6f, a.Grad!.Data[0], 5);
        Assert.Equal(0.8f, b.Grad!.Data[0], 5);
    }
}
