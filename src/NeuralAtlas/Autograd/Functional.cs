using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Function transforms on the tape (torch.autograd.grad and torch.autograd.functional): gradients of chosen
/// outputs with respect to chosen inputs, vector–Jacobian products, Jacobian–vector products (by the
/// double-backward trick: J·v = d/du ⟨Jᵀu, v⟩, exact because Jᵀu is linear in u) and Hessian–vector products.
/// <c>f</c> may be any code on <see cref="Var"/>s, including a whole module's forward.
/// </summary>
public static class Functional
{
    /// <summary>
    /// Σᵢ ⟨gradOutputs[i], d outputs[i] / d inputs[j]⟩ for each input j (torch.autograd.grad). gradOutputs default to
    /// ones for one-element outputs. With <paramref name="createGraph"/> the results are recorded and can be
    /// differentiated again. An input the outputs do not depend on gives null if <paramref name="allowUnused"/>,
    /// else an error.
    /// </summary>
    public static Var?[] Grad(Var[] outputs, Var[] inputs, Var[]? gradOutputs = null, bool createGraph = false, bool allowUnused = false)
    {
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new AtlasArgumentException("grad_outputs", $"{gradOutputs.Length} gradients for {outputs.Length} outputs");
        foreach (var i in inputs)
            if (!i.RequiresGrad) throw new AtlasArgumentException("inputs", "every input must require grad");
        var seeds = new Var[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) seeds[i] = gradOutputs?[i] ?? Engine.Seed(outputs[i], null);
        var res = Engine.Run(outputs, seeds, inputs, createGraph, accumulateIntoLeaves: false);
        if (!allowUnused)
            for (int i = 0; i < res.Length; i++)
                if (res[i] is null) throw new AtlasArgumentException("inputs", $"input {i} was not used to compute the outputs (pass allowUnused to get null)");
        return res;
    }

    /// <summary>Gradient of a scalar function: x ↦ ∇f(x).</summary>
    public static Func<Tensor, Tensor> Grad(Func<Var, Var> f) => x =>
    {
        using var on = GradMode.EnableGrad();
        var xv = new Var(x, requiresGrad: true);
        var y = f(xv);
        if (y.Numel != 1) throw new ShapeMismatchException("grad", $"f must return one value, got {ShapeMismatchException.Format(y.Shape)}");
        return Grad(new[] { y }, new[] { xv }, allowUnused: true)[0]?.Value ?? new Tensor(x.Shape);
    };

    /// <summary>f(x) and vᵀ·∂f/∂x (v has f(x)'s shape).</summary>
    public static (Tensor Output, Tensor Vjp) Vjp(Func<Var, Var> f, Tensor x, Tensor v)
    {
        using var on = GradMode.EnableGrad();
        var xv = new Var(x, requiresGrad: true);
        var y = f(xv);
        if (!y.Value.SameShape(v)) throw new ShapeMismatchException("vjp", y.Shape, v.Shape, "v must have the output's shape");
        if (!y.RequiresGrad) return (y.Value, new Tensor(x.Shape));
        var g = Engine.Run(new[] { y }, new[] { new Var(v) }, new[] { xv }, false, false)[0];
        return (y.Value, g?.Value ?? new Tensor(x.Shape));
    }

    /// <summary>f(x) and ∂f/∂x·v (v has x's shape).</summary>
    public static (Tensor Output, Tensor Jvp) Jvp(Func<Var, Var> f, Tensor x, Tensor v)
    {
        var (y, j) = Jvp(f, x, new[] { v });
        return (y, j[0]);
    }

    /// <summary>
    /// f(x) and ∂f/∂x·vₖ for several directions: one forward and one recorded backward, then one backward per
    /// direction through that backward graph.
    /// </summary>
    public static (Tensor Output, Tensor[] Jvps) Jvp(Func<Var, Var> f, Tensor x, IReadOnlyList<Tensor> directions)
    {
        foreach (var v in directions)
            if (!v.SameShape(x)) throw new ShapeMismatchException("jvp", x.Shape, v.Shape, "each direction must have the input's shape");
        using var on = GradMode.EnableGrad();
        var xv = new Var(x, requiresGrad: true);
        var y = f(xv);
        var res = new Tensor[directions.Count];
        if (!y.RequiresGrad)
        {
            for (int k = 0; k < res.Length; k++) res[k] = new Tensor(y.Shape);
            return (y.Value, res);
        }
        var u = new Var(new Tensor(y.Shape), requiresGrad: true);
        var g = Engine.Run(new[] { y }, new[] { u }, new[] { xv }, createGraph: true, accumulateIntoLeaves: false, prune: true)[0];
        for (int k = 0; k < res.Length; k++)
        {
            if (g is null || !g.RequiresGrad) { res[k] = new Tensor(y.Shape); continue; }
            var r = Engine.Run(new[] { g }, new[] { new Var(directions[k]) }, new[] { u }, false, false)[0];
            res[k] = r?.Value ?? new Tensor(y.Shape);
        }
        return (y.Value, res);
    }

    /// <summary>
    /// Several outputs of one pass (e.g. the outputs of chosen layers) and ∂fᵢ/∂x·vₖ for each output i and direction k:
    /// result <c>Jvps[k][i]</c>. Each output gets its own zero cotangent uᵢ and the second pass asks for the gradient of
    /// every uᵢ, so nothing is concatenated: gluing the outputs into one vector first made the second pass pad every
    /// output's tangent to the whole concatenation and add them (O(layers × total size)).
    /// </summary>
    public static (Tensor[] Outputs, Tensor[][] Jvps) Jvp(Func<Var, Var[]> f, Tensor x, IReadOnlyList<Tensor> directions)
    {
        foreach (var v in directions)
            if (!v.SameShape(x)) throw new ShapeMismatchException("jvp", x.Shape, v.Shape, "each direction must have the input's shape");
        using var on = GradMode.EnableGrad();
        var xv = new Var(x, requiresGrad: true);
        var ys = f(xv);
        var outputs = ys.Select(y => y.Value).ToArray();
        var res = new Tensor[directions.Count][];
        for (int k = 0; k < res.Length; k++)
        {
            res[k] = new Tensor[ys.Length];
            for (int i = 0; i < ys.Length; i++) res[k][i] = new Tensor(ys[i].Shape);
        }
        var live = Enumerable.Range(0, ys.Length).Where(i => ys[i].RequiresGrad).ToArray();
        if (live.Length == 0) return (outputs, res);
        var us = live.Select(i => new Var(new Tensor(ys[i].Shape), requiresGrad: true)).ToArray();
        var g = Engine.Run(live.Select(i => ys[i]).ToArray(), us, new[] { xv }, createGraph: true, accumulateIntoLeaves: false, prune: true)[0];
        if (g is null || !g.RequiresGrad) return (outputs, res);
        for (int k = 0; k < res.Length; k++)
        {
            var r = Engine.Run(new[] { g }, new[] { new Var(directions[k]) }, us, false, false);
            for (int j = 0; j < live.Length; j++)
                if (r[j] is { } rj) res[k][live[j]] = rj.Value;
        }
        return (outputs, res);
    }

    /// <summary>Hessian–vector product H·v of a scalar f at x (double backward).</summary>
    public static Tensor Hvp(Func<Var, Var> f, Tensor x, Tensor v)
    {
        if (!v.SameShape(x)) throw new ShapeMismatchException("hvp", x.Shape, v.Shape, "v must have the input's shape");
        using var on = GradMode.EnableGrad();
        var xv = new Var(x, requiresGrad: true);
        var y = f(xv);
        if (y.Numel != 1) throw new ShapeMismatchException("hvp", $"f must return one value, got {ShapeMismatchException.Format(y.Shape)}");
        var g = Grad(new[] { y }, new[] { xv }, createGraph: true, allowUnused: true)[0];
        if (g is null || !g.RequiresGrad) return new Tensor(x.Shape);
        var h = Engine.Run(new[] { g }, new[] { new Var(v) }, new[] { xv }, false, false)[0];
        return h?.Value ?? new Tensor(x.Shape);
    }
}
