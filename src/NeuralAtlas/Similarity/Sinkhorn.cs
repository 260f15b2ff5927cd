using NeuralAtlas.Autograd;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Sinkhorn normalisation (Sinkhorn 1964; Mena et al. 2018, "Learning latent permutations with Gumbel-Sinkhorn"):
/// alternately dividing the rows and the columns of a positive square matrix by their sums converges to a doubly
/// stochastic matrix; on exp(L/τ) it is a differentiable relaxation of the permutation maximising Σ L[i, π(i)],
/// which it approaches as τ → 0. Done in the log domain (subtracting log-sum-exps) so small τ does not overflow.
/// </summary>
public static class Sinkhorn
{
    /// <summary>log of Sinkhorn(exp(<paramref name="logits"/>/τ)) after <paramref name="iterations"/> row-then-column normalisations.</summary>
    public static Var LogNormalize(Var logits, double tau, int iterations)
    {
        if (logits.Rank != 2 || logits.Shape[0] != logits.Shape[1])
            throw new ShapeMismatchException("sinkhorn", $"needs a square matrix, got {ShapeMismatchException.Format(logits.Shape)}");
        if (!(tau > 0)) throw new AtlasArgumentException("tau", $"the temperature must be positive, got {tau}");
        if (iterations < 1) throw new AtlasArgumentException("iterations", $"needs at least one iteration, got {iterations}");
        var log = F.Scale(logits, (float)(1 / tau));
        for (int k = 0; k < iterations; k++)
        {
            log = F.Sub(log, F.LogSumExp(log, new[] { 1 }, keepDim: true));
            log = F.Sub(log, F.LogSumExp(log, new[] { 0 }, keepDim: true));
        }
        return log;
    }

    /// <summary>Sinkhorn(exp(<paramref name="logits"/>/τ)): columns sum to 1 exactly, rows approximately (to the iterations' convergence).</summary>
    public static Var Normalize(Var logits, double tau, int iterations) => F.Exp(LogNormalize(logits, tau, iterations));
}
