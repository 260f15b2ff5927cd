using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn.Optim;

/// <summary>
/// Base of the optimizers: a parameter list, a learning rate (schedulers set it) and a momentum-like coefficient
/// (SGD momentum, Adam β₁; one-cycle cycles it). <see cref="Step"/> updates parameters in place from their Grad;
/// parameters without a gradient are skipped, as in PyTorch.
/// </summary>
public abstract class Optimizer
{
    public IReadOnlyList<Var> Parameters { get; }
    public double LearningRate { get; set; }

    /// <summary>SGD's momentum or Adam's β₁.</summary>
    public abstract double Momentum { get; set; }

    /// <summary>Number of completed steps.</summary>
    public long Steps { get; protected set; }

    protected Optimizer(IEnumerable<Var> parameters, double lr)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0) throw new AtlasArgumentException("parameters", "the optimizer got an empty parameter list");
        if (!(lr >= 0) || double.IsInfinity(lr)) throw new AtlasArgumentException("lr", $"learning rate must be a finite non-negative number, got {lr}");
        LearningRate = lr;
    }

    public abstract void Step();

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Grad = null;
    }
}
