using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// The backward pass: orders the graph reachable from the outputs topologically and applies each node's rule once,
/// after all gradient contributions to its output have been summed.
/// </summary>
internal static class Engine
{
    internal static Var Seed(Var output, Tensor? gradient)
    {
        if (gradient is null)
        {
            if (output.Numel != 1)
                throw new AtlasArgumentException("gradient", $"backward of a non-scalar {ShapeMismatchException.Format(output.Shape)} needs an explicit gradient");
            return new Var(Tensor.Full(output.Shape, 1f));
        }
        if (!gradient.SameShape(output.Value)) throw new ShapeMismatchException("backward", output.Shape, gradient.Shape, "gradient must have the output's shape");
        return new Var(gradient);
    }

    /// <summary>
    /// Propagates <paramref name="seeds"/> from <paramref name="outputs"/>. When <paramref name="wanted"/> is given,
    /// returns the gradient reaching each of those variables (null if none does) without touching leaves' Grad;
    /// otherwise (accumulateIntoLeaves) adds into every leaf's Grad.
    /// </summary>
    internal static Var?[] Run(Var[] outputs, Var[] seeds, Var[]? wanted, bool createGraph, bool accumulateIntoLeaves, bool prune = false)
    {
        foreach (var o in outputs)
            if (!o.RequiresGrad)
                throw new AtlasArgumentException("outputs", "element does not require grad and has no grad_fn (was it computed under NoGrad or from constants only?)");

        // Topological order by iterative DFS (graphs can be deep: ResNets, unrolled attacks).
        var order = new List<Var>();
        var visited = new HashSet<Var>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Var v, bool expanded)>();
        foreach (var o in outputs) stack.Push((o, false));
        var wantedSet = wanted is null ? null : new HashSet<Var>(wanted, ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var (v, expanded) = stack.Pop();
            if (expanded) { order.Add(v); continue; }
            if (!visited.Add(v)) continue;
            stack.Push((v, true));
            if (v.GradFn is { } node)
                foreach (var inp in node.Inputs)
                    if (inp.RequiresGrad && !visited.Contains(inp)) stack.Push((inp, false));
        }

        // Pruning: variables from which no wanted variable is reachable get no gradient (their RequiresGrad is
        // switched off for the duration, so rules skip them). Only safe when the caller will not differentiate the
        // result with respect to anything else (plain backward, or Jvp's second pass).
        var switchedOff = new List<Var>();
        if (wanted is not null && (prune || !createGraph))
        {
            var needed = new HashSet<Var>(wanted, ReferenceEqualityComparer.Instance);
            foreach (var v in order) // inputs come before their results in this order
                if (!needed.Contains(v) && v.GradFn is { } nd && nd.Inputs.Any(needed.Contains)) needed.Add(v);
            foreach (var v in order)
                if (!needed.Contains(v) && v.RequiresGrad) { v.RequiresGrad = false; switchedOff.Add(v); }
        }
        try
        {
            return Propagate(outputs, seeds, wanted, wantedSet, order, createGraph, accumulateIntoLeaves);
        }
        finally
        {
            foreach (var v in switchedOff) v.RequiresGrad = true;
        }
    }

    private static Var?[] Propagate(Var[] outputs, Var[] seeds, Var[]? wanted, HashSet<Var>? wantedSet, List<Var> order, bool createGraph, bool accumulateIntoLeaves)
    {
        var grads = new Dictionary<Var, Var>(ReferenceEqualityComparer.Instance);
        using var mode = createGraph ? GradMode.EnableGrad() : GradMode.NoGrad();
        for (int i = 0; i < outputs.Length; i++) Accumulate(grads, outputs[i], seeds[i]);

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var v = order[i];
            if (v.GradFn is not { } node) continue;
            if (!grads.TryGetValue(v, out var g)) continue;
            if (Profiler.Enabled) Profiler.Mark();
            var inGrads = node.BackwardRule(g);
            if (Profiler.Enabled) Profiler.Forward("(backward) " + node.Name);
            for (int j = 0; j < node.Inputs.Length; j++)
            {
                var inp = node.Inputs[j];
                if (!inp.RequiresGrad || inGrads[j] is not { } gj) continue;
                if (!gj.Value.SameShape(inp.Value))
                    throw new ShapeMismatchException(node.Name + " backward", inp.Shape, gj.Shape, "gradient shape differs from its input's");
                Accumulate(grads, inp, gj);
            }
            if (wanted is null || !wantedSet!.Contains(v)) grads.Remove(v); // free intermediate gradients early
        }

        if (accumulateIntoLeaves)
            foreach (var v in order)
                if (v.IsLeaf && grads.TryGetValue(v, out var g))
                    v.Grad = v.Grad is null ? (createGraph ? g.Value : Own(g.Value)) : Ops.Add(v.Grad, g.Value);

        if (wanted is null) return Array.Empty<Var?>();
        var res = new Var?[wanted.Length];
        for (int i = 0; i < wanted.Length; i++) res[i] = grads.TryGetValue(wanted[i], out var g) ? g : null;
        return res;
    }

    // A seed or pass-through gradient may alias a caller's tensor; a leaf's Grad must be its own so that later
    // in-place accumulation or zeroing never writes into someone else's data.
    private static Tensor Own(Tensor t) => t.Clone();

    private static void Accumulate(Dictionary<Var, Var> grads, Var v, Var g)
    {
        grads[v] = grads.TryGetValue(v, out var prev) ? F.Add(prev, g) : g;
    }
}
