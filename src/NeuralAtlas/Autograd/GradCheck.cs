using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Finite-difference gradient check (torch.autograd.gradcheck in spirit). The output is projected on a fixed random
/// direction r, so the check compares ⟨r, f⟩'s analytic gradient with central differences
/// (⟨r, f(x+εeᵢ)⟩ − ⟨r, f(x−εeᵢ)⟩)/2ε, the projections and differences accumulated in double. Values are float32,
/// so the default tolerances are float-sized.
/// </summary>
public static class GradCheck
{
    /// <summary>Result per input: the largest |analytic − numeric| and the tolerance it was held to.</summary>
    public sealed record Report(double[] MaxAbsError, double[] MaxAllowed, bool Passed)
    {
        public override string ToString() => string.Join("; ", MaxAbsError.Select((e, i) => $"input {i}: max error {e:G3} (allowed {MaxAllowed[i]:G3})"));
    }

    /// <summary>
    /// Checks the first derivatives of <paramref name="f"/> at <paramref name="inputs"/> (each differentiated). With
    /// <paramref name="secondOrder"/> also checks the derivative of ⟨w, ∇⟨r,f⟩⟩ (the gradient of the gradient).
    /// </summary>
    public static Report Check(Func<Var[], Var> f, Tensor[] inputs, double eps = 1e-2, double atol = 1e-2, double rtol = 1e-2, bool secondOrder = false, int seed = 7)
    {
        var rng = new Rng(seed);
        Var Projected(Var[] xs, Tensor r) => F.Sum(F.Mul(f(xs), F.Const(r)));
        Tensor r;
        using (GradMode.NoGrad()) r = RandomLike(f(inputs.Select(t => new Var(t)).ToArray()).Value, rng);

        if (!secondOrder) return Compare(xs => Projected(xs, r), inputs, eps, atol, rtol);

        var w = inputs.Select(t => RandomLike(t, rng)).ToArray();
        Var GradDot(Var[] xs)
        {
            var leaves = xs.Select(x => x.RequiresGrad ? x : new Var(x.Value, true)).ToArray();
            var g = Functional.Grad(new[] { Projected(leaves, r) }, leaves, createGraph: true, allowUnused: true);
            Var acc = F.Const(0f);
            for (int i = 0; i < g.Length; i++)
                if (g[i] is { } gi) acc = F.Add(acc, F.Sum(F.Mul(gi, F.Const(w[i]))));
            return acc;
        }
        return Compare(GradDot, inputs, eps, atol, rtol);
    }

    private static Tensor RandomLike(Tensor t, Rng rng)
    {
        var r = new Tensor(t.Shape);
        for (int i = 0; i < r.Numel; i++) r.Data[i] = (float)rng.Uniform(-1, 1);
        return r;
    }

    private static Report Compare(Func<Var[], Var> scalar, Tensor[] inputs, double eps, double atol, double rtol)
    {
        Tensor[] analytic;
        using (GradMode.EnableGrad())
        {
            var xs = inputs.Select(t => new Var(t.Clone(), requiresGrad: true)).ToArray();
            var y = scalar(xs);
            var g = y.RequiresGrad ? Functional.Grad(new[] { y }, xs, allowUnused: true) : new Var?[xs.Length];
            analytic = g.Select((gi, i) => gi?.Value ?? new Tensor(inputs[i].Shape)).ToArray();
        }
        var maxErr = new double[inputs.Length];
        var allowed = new double[inputs.Length];
        bool ok = true;
        for (int k = 0; k < inputs.Length; k++)
        {
            var work = inputs.Select(t => t.Clone()).ToArray();
            for (int i = 0; i < work[k].Numel; i++)
            {
                float orig = work[k].Data[i];
                work[k].Data[i] = (float)(orig + eps);
                double plus = Eval(scalar, work);
                work[k].Data[i] = (float)(orig - eps);
                double minus = Eval(scalar, work);
                work[k].Data[i] = orig;
                double num = (plus - minus) / (2 * eps);
                double err = Math.Abs(num - analytic[k].Data[i]);
                double tol = atol + rtol * Math.Abs(num);
                maxErr[k] = Math.Max(maxErr[k], err);
                allowed[k] = Math.Max(allowed[k], tol);
                if (!(err <= tol)) ok = false;
            }
        }
        return new Report(maxErr, allowed, ok);
    }

    private static double Eval(Func<Var[], Var> scalar, Tensor[] xs)
    {
        using (GradMode.EnableGrad()) // the second-order check needs a graph inside
        {
            var y = scalar(xs.Select(t => new Var(t, requiresGrad: true)).ToArray());
            double s = 0;
            foreach (var v in y.Value.Data) s += v;
            return s;
        }
    }
}
