using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn.Optim;

/// <summary>
/// torch.optim.SGD: d = g + λp; with momentum μ, b = μb + (1−τ)d (b = d on a parameter's first step) and d = b,
/// or d + μb with Nesterov; p ← p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    public double WeightDecay { get; }
    public double Dampening { get; }
    public bool Nesterov { get; }
    public override double Momentum { get; set; }
    private readonly float[]?[] _buf;

    public Sgd(IEnumerable<Var> parameters, double lr, double momentum = 0, double weightDecay = 0, bool nesterov = false, double dampening = 0)
        : base(parameters, lr)
    {
        if (momentum < 0 || weightDecay < 0) throw new AtlasArgumentException("momentum", "momentum and weight decay must be non-negative");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new AtlasArgumentException("nesterov", "Nesterov momentum requires a momentum and zero dampening");
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Dampening = dampening;
        _buf = new float[]?[Parameters.Count];
    }

    public override void Step()
    {
        float lr = (float)LearningRate, wd = (float)WeightDecay, mu = (float)Momentum, damp = (float)Dampening;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad is null) continue;
            var w = p.Value.Data;
            var g = p.Grad.Data;
            float[]? b = null;
            bool first = false;
            if (mu != 0)
            {
                b = _buf[i];
                if (b is null) { _buf[i] = b = new float[w.Length]; first = true; }
            }
            for (int j = 0; j < w.Length; j++)
            {
                float d = g[j];
                if (wd != 0) d += wd * w[j];
                if (b is not null)
                {
                    b[j] = first ? d : mu * b[j] + (1 - damp) * d;
                    d = Nesterov ? d + mu * b[j] : b[j];
                }
                w[j] -= lr * d;
            }
        }
        Steps++;
    }
}
