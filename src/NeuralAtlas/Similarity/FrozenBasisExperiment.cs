using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>Matched and identity correlation of one layer's units between the two runs.</summary>
public sealed record FrozenLayerMatch(string Layer, bool Frozen, double MeanMatchedCorrelation, double MeanIdentityCorrelation);

/// <summary>The two runs that share their first <paramref name="FrozenLayers"/> weight layers, and how their layers match.</summary>
public sealed record FrozenBasisRun(int FrozenLayers, IReadOnlyList<string> Frozen, double AccuracyA, double AccuracyB, IReadOnlyList<FrozenLayerMatch> Layers);

/// <summary>
/// The basis-correlation experiment of "Privileged and convergent bases in neural network representations": two
/// networks of one architecture are trained from different seeds, except that their first k weight layers
/// (Linear/Conv2d, in forward order) are identical — A's initial weights, copied into B — and frozen in both. Per
/// hidden weight layer, the units of the two runs are matched (<see cref="NeuronMatching"/>: correlation over test
/// images, Hungarian); the frozen layers match perfectly by construction, and how the matched correlation of the
/// trainable layers after them changes with k tells how much a shared, fixed early basis pins the later bases.
/// </summary>
public static class FrozenBasisExperiment
{
    public static IReadOnlyList<FrozenBasisRun> Run(string architecture, DatasetSplits data, IReadOnlyList<int> frozenCounts, TrainOptions train,
        int seedA = 1, int seedB = 2, int evalCount = 512, Action<string>? progress = null)
    {
        if (frozenCounts.Count == 0) throw new AtlasArgumentException("--freeze", "give at least one number of frozen layers");
        if (evalCount < 2) throw new AtlasArgumentException("--count", $"matching needs at least 2 images, got {evalCount}");
        var set = data.Train;
        if (set.Height != set.Width) throw new AtlasArgumentException("--data", $"the zoo models take square images, {set.Name} has {set.Height}×{set.Width}");
        Module Create(int seed) => ModelZoo.Create(architecture, set.Channels, set.Height, set.ClassCount, new Rng((ulong)seed));
        var probe = Create(seedA);
        var weightLayers = probe.NamedModules().Where(m => m.Value is Linear or Conv2d).Select(m => m.Key).ToList();
        foreach (int k in frozenCounts)
            if (k < 0 || k >= weightLayers.Count)
                throw new AtlasArgumentException("--freeze", $"{k} frozen layers: {architecture} has {weightLayers.Count} weight layers ({string.Join(", ", weightLayers)}); freeze 0 to {weightLayers.Count - 1}");
        var hidden = weightLayers.Take(weightLayers.Count - 1).ToList();
        var test = data.Test.Take(Math.Min(evalCount, data.Test.Count));
        var runs = new List<FrozenBasisRun>();
        foreach (int k in frozenCounts)
        {
            var frozen = weightLayers.Take(k).ToList();
            var a = Create(seedA);
            var b = Create(seedB);
            var shared = new OrderedDictionary<string, Tensor>();
            foreach (var (name, value) in b.StateDict())
                shared.Add(name, frozen.Any(f => name.StartsWith(f + ".", StringComparison.Ordinal)) ? a.StateDict()[name].Clone() : value);
            b.LoadStateDict(shared);
            progress?.Invoke($"k={k}: training A (seed {seedA}) and B (seed {seedB}), frozen: {(frozen.Count == 0 ? "none" : string.Join(", ", frozen))}");
            Trainer.Train(a, data.Train, train with { Seed = seedA, Frozen = frozen });
            Trainer.Train(b, data.Train, train with { Seed = seedB, Frozen = frozen });
            double accA = Trainer.Evaluate(a, test), accB = Trainer.Evaluate(b, test);
            var actsA = Capture(a, hidden, test);
            var actsB = Capture(b, hidden, test);
            var layers = new List<FrozenLayerMatch>();
            for (int l = 0; l < hidden.Count; l++)
            {
                var m = NeuronMatching.Match(Units(actsA[l]), Units(actsB[l]));
                layers.Add(new FrozenLayerMatch(hidden[l], l < k, m.MeanMatchedCorrelation, m.MeanIdentityCorrelation));
            }
            runs.Add(new FrozenBasisRun(k, frozen, accA, accB, layers));
            progress?.Invoke($"k={k}: accuracy A {accA:F4}, B {accB:F4}; matched correlation " + string.Join(", ", layers.Select(l => $"{l.Layer} {l.MeanMatchedCorrelation:F3}")));
        }
        return runs;
    }

    // Conv maps: channels are the units, positions extra samples.
    private static LinearAlgebra.DMatrix Units(Tensor t) =>
        ActivationLayout.ToMatrix(t.Data.Select(v => (double)v).ToArray(), t.Shape, ConvLayout.SpatialAsSamples);

    private static List<Tensor> Capture(Module m, IReadOnlyList<string> layers, ImageDataset data)
    {
        m.Eval();
        using var cap = new ActivationCapture(m, layers);
        using (GradMode.NoGrad())
            for (int s = 0; s < data.Count; s += 128)
                m.Forward(new Var(data.Images(Enumerable.Range(s, Math.Min(128, data.Count - s)).ToArray())));
        return layers.Select(cap.Concatenated).ToList();
    }
}
