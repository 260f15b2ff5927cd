namespace NeuralAtlas.Robustness.Attacks;

/// <summary>
/// The linear toy model behind the dimension scaling law: for f(x) = wᵀx the best perturbation in a subspace V
/// with ‖δ‖p ≤ ε gains max wᵀδ = ε·‖P_V w‖_q (1/p + 1/q = 1). This holds exactly for coordinate subspaces (any p)
/// and for any subspace when p = 2. For a random coordinate subspace of dimension k in dimension n,
/// E‖P_V w‖_q scales as (k/n)^{1/q}, which is why attack success collapses onto a function of ε·(k/n)^{1/q}.
/// </summary>
public static class LinearToyModel
{
    public static double MaxGain(ReadOnlySpan<double> w, Subspace v, LpNorm p, double eps)
    {
        if (w.Length != v.AmbientDim) throw new ShapeMismatchException("linear toy model", new[] { w.Length }, new[] { v.AmbientDim });
        if (!v.IsCoordinate && p != LpNorm.L2)
            throw new AtlasArgumentException("subspace", "the closed form ε‖P_V w‖_q holds for coordinate subspaces, or for any subspace with p = 2");
        var pw = new float[w.Length];
        for (int i = 0; i < w.Length; i++) pw[i] = (float)w[i];
        v.Project(pw);
        var d = pw.Select(x => (double)x).ToArray();
        return eps * LpNorms.Norm(d, p.DualQ());
    }

    /// <summary>ε·(dim V / dim X)^{1/q}: the x-axis on which success curves collapse for p &gt; 1.</summary>
    public static double EffectiveEpsilon(double eps, int dimV, int dimX, LpNorm p)
    {
        double q = p.DualQ();
        return double.IsPositiveInfinity(q) ? eps : eps * Math.Pow((double)dimV / dimX, 1 / q);
    }
}
