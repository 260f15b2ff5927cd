using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn.Optim;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients by max_norm/(total + 1e-6) when the total p-norm (over all parameters together) exceeds
    /// <paramref name="maxNorm"/>; returns the total norm before clipping (∞-norm when <paramref name="normType"/> is ∞).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Var> parameters, double maxNorm, double normType = 2)
    {
        var ps = parameters.Where(p => p.Grad is not null).ToList();
        if (ps.Count == 0) return 0;
        double total;
        if (double.IsPositiveInfinity(normType))
            total = ps.Max(p => p.Grad!.Data.Select(x => (double)Math.Abs(x)).DefaultIfEmpty(0).Max());
        else
        {
            double acc = 0;
            foreach (var p in ps)
            {
                double s = 0;
                foreach (var x in p.Grad!.Data) s += Math.Pow(Math.Abs(x), normType);
                acc += Math.Pow(Math.Pow(s, 1 / normType), normType);
            }
            total = Math.Pow(acc, 1 / normType);
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var p in ps)
            {
                var g = p.Grad!.Data;
                for (int i = 0; i < g.Length; i++) g[i] = (float)(g[i] * coef);
            }
        return total;
    }
}
