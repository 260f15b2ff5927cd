using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn.Optim;

/// <summary>
/// torch.optim.Adam (weight decay added to the gradient) and, with <see cref="Decoupled"/>, torch.optim.AdamW
/// (p ← p·(1 − lr·λ) before the Adam update). m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g²,
/// p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε), in float32 in PyTorch's order of operations.
/// </summary>
public class Adam : Optimizer
{
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public bool Decoupled { get; }
    public override double Momentum { get; set; }
    private readonly float[]?[] _m, _v;
    private readonly long[] _t;

    public Adam(IEnumerable<Var> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupled = false)
        : base(parameters, lr)
    {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) throw new AtlasArgumentException("betas", $"betas must be in [0, 1), got ({beta1}, {beta2})");
        if (eps < 0 || weightDecay < 0) throw new AtlasArgumentException("eps", "eps and weight decay must be non-negative");
        Momentum = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = new float[]?[Parameters.Count];
        _v = new float[]?[Parameters.Count];
        _t = new long[Parameters.Count];
    }

    public override void Step()
    {
        double lr = LearningRate, b1 = Momentum, b2 = Beta2;
        float wd = (float)WeightDecay, fb1 = (float)b1, fb2 = (float)b2, eps = (float)Eps;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            var w = p.Value.Data;
            var g = p.Grad.Data;
            var m = _m[i] ??= new float[w.Length];
            var v = _v[i] ??= new float[w.Length];
            long t = ++_t[i];
            double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
            float stepSize = (float)(lr / bc1), bc2Sqrt = (float)Math.Sqrt(bc2);
            float decay = (float)(1 - lr * WeightDecay);
            for (int j = 0; j < w.Length; j++)
            {
                float gj = g[j];
                if (Decoupled) w[j] *= decay;
                else if (wd != 0) gj += wd * w[j];
                m[j] = m[j] * fb1 + gj * (1 - fb1);
                v[j] = v[j] * fb2 + (1 - fb2) * gj * gj;
                float denom = MathF.Sqrt(v[j]) / bc2Sqrt + eps;
                w[j] -= stepSize * (m[j] / denom);
            }
        }
        Steps++;
    }
}

/// <summary>torch.optim.AdamW: Adam with decoupled weight decay (default λ = 0.01).</summary>
public sealed class AdamW(IEnumerable<Var> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true);
