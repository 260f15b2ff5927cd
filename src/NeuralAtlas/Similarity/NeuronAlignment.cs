using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>One aligned hidden layer: B's unit Permutation[i] became unit i, and the mean correlation of the matched pairs.</summary>
public sealed record AlignedLayer(string Layer, int[] Permutation, double MeanCorrelation);

/// <summary>B's state dict with its hidden units permuted to match A (the same function as B), and the per-layer matchings.</summary>
public sealed record Alignment(OrderedDictionary<string, Tensor> AlignedB, IReadOnlyList<AlignedLayer> Layers);

/// <summary>
/// Neuron alignment before linear mode connectivity (Entezari et al. 2022; Ainsworth et al. 2023, "Git Re-Basin",
/// activation matching): hidden units of a ReLU-type network can be permuted without changing its function (permute
/// the rows of a layer's weight and bias and the matching input columns/channels of the next layer), so before
/// interpolating θ_A and θ_B, B's units are permuted to match A's — per layer, the assignment of maximum total
/// correlation of the two networks' outputs on the same inputs (<see cref="NeuronMatching"/>). Because a permutation of
/// layer ℓ leaves every other layer's outputs unchanged, all layers are matched from one pass over the data.
/// Supported: chains of Linear / Conv2d layers (ungrouped) with parameter-free layers between them (activations,
/// pooling, flatten, dropout) — the zoo mlp and cnn; anything with other parameters (normalisation, attention,
/// residual blocks) is refused by name, since its units would need permuting too.
/// </summary>
public static class NeuronAlignment
{
    public static Alignment ByActivations(Module a, Module b, ImageDataset data, int count = 512)
    {
        if (data.Count < 2) throw new AtlasArgumentException("data", "alignment needs at least 2 images to correlate units on");
        var layers = WeightLayers(a, "A");
        var layersB = WeightLayers(b, "B");
        if (!layers.Select(l => l.Name).SequenceEqual(layersB.Select(l => l.Name)))
            throw new AtlasArgumentException("b", $"B's layers ({string.Join(", ", layersB.Select(l => l.Name))}) differ from A's ({string.Join(", ", layers.Select(l => l.Name))})");
        var hidden = layers.Take(layers.Count - 1).Select(l => l.Name).ToList();
        var images = data.Images(Math.Min(count, data.Count));
        var actsA = Capture(a, hidden, images);
        var actsB = Capture(b, hidden, images);

        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in b.StateDict()) state.Add(k, v.Clone());
        var result = new List<AlignedLayer>();
        for (int l = 0; l < hidden.Count; l++)
        {
            var match = NeuronMatching.Match(Units(actsA[l]), Units(actsB[l]));
            var perm = match.Assignment; // unit i of A ↔ unit perm[i] of B: B's unit perm[i] moves to position i
            result.Add(new AlignedLayer(hidden[l], perm, match.MeanMatchedCorrelation));
            string name = hidden[l], next = layers[l + 1].Name;
            state[name + ".weight"] = PermuteAxis(state[name + ".weight"], 0, perm, 1);
            if (state.ContainsKey(name + ".bias")) state[name + ".bias"] = PermuteAxis(state[name + ".bias"], 0, perm, 1);
            // The next layer reads these units on its input axis; after a flatten each unit is a block of h·w columns.
            var w = state[next + ".weight"];
            int block = w.Shape[1] / perm.Length;
            if (block * perm.Length != w.Shape[1])
                throw new ShapeMismatchException("neuron alignment", w.Shape, new[] { perm.Length }, $"'{next}' does not read {name}'s {perm.Length} units as whole blocks");
            state[next + ".weight"] = PermuteAxis(w, 1, perm, block);
        }
        return new Alignment(state, result);
    }

    private sealed record WeightLayer(string Name, int Units);

    private static List<WeightLayer> WeightLayers(Module m, string which)
    {
        var list = new List<WeightLayer>();
        foreach (var (name, mod) in m.NamedModules().Skip(1))
        {
            switch (mod)
            {
                case Linear lin: list.Add(new WeightLayer(name, lin.OutFeatures)); break;
                case Conv2d conv when conv.Groups == 1: list.Add(new WeightLayer(name, conv.OutChannels)); break;
                default:
                    if (mod.NamedParameters().Any(p => !p.Key.Contains('.')) || mod.NamedBuffers().Any(p => !p.Key.Contains('.')))
                        throw new AtlasArgumentException("model", $"{which}'s '{name}' is {mod.GetType().Name}: alignment permutes chains of Linear/Conv2d layers with parameter-free layers between them");
                    break;
            }
        }
        if (list.Count < 2) throw new AtlasArgumentException("model", $"{which} has {list.Count} weight layer(s): nothing hidden to align");
        return list;
    }

    private static List<Tensor> Capture(Module m, IReadOnlyList<string> layers, Tensor images)
    {
        m.Eval();
        using var cap = new ActivationCapture(m, layers);
        using (GradMode.NoGrad())
            for (int s = 0; s < images.Shape[0]; s += 128)
            {
                int e = Math.Min(images.Shape[0], s + 128);
                int per = images.Numel / images.Shape[0];
                var shape = (int[])images.Shape.Clone();
                shape[0] = e - s;
                m.Forward(new Var(new Tensor(shape, images.Data.AsSpan(s * per, (e - s) * per).ToArray())));
            }
        return layers.Select(cap.Concatenated).ToList();
    }

    // Samples × units; a conv map's positions count as samples, so channels are the units.
    private static DMatrix Units(Tensor t)
    {
        if (t.Rank == 2) return DMatrix.FromTensor(t);
        if (t.Rank != 4) throw new ShapeMismatchException("neuron alignment", t.Shape, new[] { 0, 0 }, "a [N, units] or [N, C, H, W] layer output");
        int n = t.Shape[0], c = t.Shape[1], p = t.Shape[2] * t.Shape[3];
        var d = new DMatrix(n * p, c);
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int q = 0; q < p; q++) d[i * p + q, ch] = t.Data[(i * c + ch) * p + q];
        return d;
    }

    // Result index i along `axis` (in blocks of `block`) takes source block perm[i].
    private static Tensor PermuteAxis(Tensor t, int axis, int[] perm, int block)
    {
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= t.Shape[i];
        int inner = t.Numel / (outer * t.Shape[axis]) * block;
        var r = new Tensor(t.Shape);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < perm.Length; i++)
                t.Data.AsSpan((o * perm.Length + perm[i]) * inner, inner).CopyTo(r.Data.AsSpan((o * perm.Length + i) * inner, inner));
        return r;
    }
}
