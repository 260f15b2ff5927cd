namespace NeuralAtlas.Nn.Optim;

/// <summary>
/// A learning-rate schedule over steps (or epochs: the caller decides what one <see cref="Step"/> is), as
/// torch.optim.lr_scheduler: the constructor sets the rate for step 0 and each <see cref="Step"/> advances one.
/// </summary>
public abstract class LrScheduler
{
    public Optimizer Optimizer { get; }
    public double BaseLr { get; }

    /// <summary>Steps taken (PyTorch's last_epoch).</summary>
    public int LastStep { get; private set; }

    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLr = optimizer.LearningRate;
    }

    /// <summary>Call at the end of the derived constructor (after its fields are set).</summary>
    protected void Start() => Apply(0);

    public void Step() => Apply(++LastStep);

    private void Apply(int step)
    {
        Optimizer.LearningRate = LearningRateAt(step);
        if (MomentumAt(step) is double m) Optimizer.Momentum = m;
    }

    public abstract double LearningRateAt(int step);

    protected virtual double? MomentumAt(int step) => null;
}

/// <summary>StepLR: lr = base·γ^⌊t/step_size⌋.</summary>
public sealed class StepLR : LrScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new AtlasArgumentException("step_size", $"must be positive, got {stepSize}");
        _stepSize = stepSize;
        _gamma = gamma;
        Start();
    }

    public override double LearningRateAt(int step) => BaseLr * Math.Pow(_gamma, step / _stepSize);
}

/// <summary>CosineAnnealingLR: lr = η_min + (base − η_min)(1 + cos(πt/T_max))/2.</summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new AtlasArgumentException("T_max", $"must be positive, got {tMax}");
        _tMax = tMax;
        _etaMin = etaMin;
        Start();
    }

    public override double LearningRateAt(int step) => _etaMin + (BaseLr - _etaMin) * (1 + Math.Cos(Math.PI * step / _tMax)) / 2;
}

/// <summary>
/// OneCycleLR (two phases, cosine annealing): from max_lr/div_factor up to max_lr over pct_start of the steps, then
/// down to initial/final_div_factor; with cycle_momentum the momentum (Adam β₁) goes max→base→max.
/// </summary>
public sealed class OneCycleLR : LrScheduler
{
    private readonly double _maxLr, _initial, _min, _baseM, _maxM;
    private readonly int _total;
    private readonly double _phase1End;
    private readonly bool _cycleMomentum;

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95) : base(optimizer)
    {
        if (totalSteps <= 0) throw new AtlasArgumentException("total_steps", $"must be positive, got {totalSteps}");
        if (pctStart < 0 || pctStart > 1) throw new AtlasArgumentException("pct_start", $"must be in [0, 1], got {pctStart}");
        _maxLr = maxLr;
        _initial = maxLr / divFactor;
        _min = _initial / finalDivFactor;
        _total = totalSteps;
        _phase1End = pctStart * totalSteps - 1;
        _cycleMomentum = cycleMomentum;
        _baseM = baseMomentum;
        _maxM = maxMomentum;
        Start();
    }

    private static double Anneal(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);

    public override double LearningRateAt(int step) => Phase(step, _initial, _maxLr, _min);

    protected override double? MomentumAt(int step) => _cycleMomentum ? Phase(step, _maxM, _baseM, _maxM) : null;

    private double Phase(int step, double a, double b, double c)
    {
        if (step > _total) throw new AtlasArgumentException("step", $"one-cycle schedule stepped {step} times, beyond total_steps = {_total}");
        if (step <= _phase1End) return Anneal(a, b, _phase1End <= 0 ? 1 : step / _phase1End);
        double end2 = _total - 1;
        return Anneal(b, c, (step - _phase1End) / (end2 - _phase1End));
    }
}
