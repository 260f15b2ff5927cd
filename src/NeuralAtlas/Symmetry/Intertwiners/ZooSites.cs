using System.Text.RegularExpressions;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>
/// The channel sites of the model zoo's architectures, derived from their PyTorch state-dict names and shapes:
/// where an intertwiner can go and which tensors it touches. All three use ReLU.
/// </summary>
public static partial class ZooSites
{
    /// <summary>MLP: after each hidden fcN, consumed by fc(N+1).</summary>
    public static List<ChannelSite> Mlp(IReadOnlyDictionary<string, Tensor> s)
    {
        var sites = new List<ChannelSite>();
        for (int i = 1; s.ContainsKey($"fc{i + 1}.weight"); i++)
            sites.Add(new ChannelSite($"fc{i}", s[$"fc{i}.weight"].Shape[0], Linear($"fc{i}", s), new[] { new Consumer($"fc{i + 1}.weight") }));
        if (sites.Count == 0) throw new AtlasArgumentException("weights", "an MLP needs fc1.weight and fc2.weight");
        return sites;
    }

    /// <summary>
    /// Reference CNN: conv1 → ReLU → max-pool → conv2 → ReLU → max-pool → flatten → fc1 → ReLU → fc2. Max-pooling
    /// commutes with positive scaling and permutations only, so sign flips are refused here.
    /// </summary>
    public static List<ChannelSite> Cnn(IReadOnlyDictionary<string, Tensor> s, IntertwinerGroup group)
    {
        if (group.Kind == GroupKind.SignedPermutation)
            throw new AtlasArgumentException("activation", "the reference CNN max-pools after each conv; max(−x) ≠ −max(x), so sign flips cannot pass the pooling");
        int c2 = Need(s, "conv2.weight").Shape[0];
        int fcIn = Need(s, "fc1.weight").Shape[1];
        if (fcIn % c2 != 0)
            throw new ShapeMismatchException("intertwine", $"fc1 takes {fcIn} features, not a whole number of positions for conv2's {c2} channels");
        return new List<ChannelSite>
        {
            new("conv1", Need(s, "conv1.weight").Shape[0], Linear("conv1", s), new[] { new Consumer("conv2.weight") }),
            new("conv2", c2, Linear("conv2", s), new[] { new Consumer("fc1.weight", fcIn / c2) }),
            new("fc1", Need(s, "fc1.weight").Shape[0], Linear("fc1", s), new[] { new Consumer("fc2.weight") }),
        };
    }

    [GeneratedRegex(@"^layer(\d+)\.(\d+)\.conv1\.weight$")]
    private static partial Regex BlockConv1();

    /// <summary>
    /// CIFAR ResNet-20: one site per stage for the residual stream (the stem's BN or each block's bn2 and
    /// down-sampling shortcut BN produce it; every block's conv1, the next stage's shortcut conv and fc consume it: the
    /// identity shortcuts force one A per stage), and one site per block inside it (bn1 → conv2). Convolutions before
    /// BatchNorm are only permuted; BN's γ and β carry the scale and its running statistics follow the permutation.
    /// </summary>
    public static List<ChannelSite> ResNet(IReadOnlyDictionary<string, Tensor> s)
    {
        var blocks = s.Keys.Select(k => BlockConv1().Match(k)).Where(m => m.Success)
            .Select(m => (Stage: int.Parse(m.Groups[1].Value), Block: int.Parse(m.Groups[2].Value))).OrderBy(b => b).ToList();
        if (blocks.Count == 0) throw new AtlasArgumentException("weights", "no layerS.B.conv1.weight tensors: not a ResNet state dict");
        var sites = new List<ChannelSite>();
        var stages = blocks.Select(b => b.Stage).Distinct().ToList();
        for (int si = 0; si < stages.Count; si++)
        {
            int st = stages[si];
            var producers = new List<Producer>();
            if (si == 0) producers.AddRange(ConvBn("conv1", "bn1"));
            foreach (var (_, b) in blocks.Where(x => x.Stage == st))
            {
                string p = $"layer{st}.{b}";
                producers.AddRange(ConvBn($"{p}.conv2", $"{p}.bn2"));
                if (s.ContainsKey($"{p}.shortcut.0.weight")) producers.AddRange(ConvBn($"{p}.shortcut.0", $"{p}.shortcut.1"));
            }
            var consumers = new List<Consumer>();
            foreach (var (_, b) in blocks.Where(x => x.Stage == st && x.Block > 0)) consumers.Add(new Consumer($"layer{st}.{b}.conv1.weight"));
            if (si + 1 < stages.Count)
            {
                string next = $"layer{stages[si + 1]}.0";
                consumers.Add(new Consumer($"{next}.conv1.weight"));
                if (s.ContainsKey($"{next}.shortcut.0.weight")) consumers.Add(new Consumer($"{next}.shortcut.0.weight"));
                else throw new AtlasArgumentException("weights", $"{next} has no shortcut convolution; an identity shortcut across stages would tie two stages' intertwiners");
            }
            else consumers.Add(new Consumer("fc.weight"));
            if (si == 0)
            {
                string first = $"layer{st}.0";
                consumers.Add(new Consumer($"{first}.conv1.weight"));
                if (s.ContainsKey($"{first}.shortcut.0.weight")) consumers.Add(new Consumer($"{first}.shortcut.0.weight"));
            }
            int channels = Need(s, $"layer{st}.0.conv2.weight").Shape[0];
            sites.Add(new ChannelSite($"layer{st} stream", channels, producers, consumers));
            foreach (var (_, b) in blocks.Where(x => x.Stage == st))
            {
                string p = $"layer{st}.{b}";
                sites.Add(new ChannelSite($"{p} inner", Need(s, $"{p}.conv1.weight").Shape[0], ConvBn($"{p}.conv1", $"{p}.bn1"), new[] { new Consumer($"{p}.conv2.weight") }));
            }
        }
        return sites;
    }

    private static Producer[] Linear(string name, IReadOnlyDictionary<string, Tensor> s) =>
        s.ContainsKey(name + ".bias")
            ? new[] { new Producer(name + ".weight", ProducerRole.Scale), new Producer(name + ".bias", ProducerRole.Scale) }
            : new[] { new Producer(name + ".weight", ProducerRole.Scale) };

    private static Producer[] ConvBn(string conv, string bn) => new[]
    {
        new Producer(conv + ".weight", ProducerRole.PermuteOnly),
        new Producer(bn + ".weight", ProducerRole.Scale),
        new Producer(bn + ".bias", ProducerRole.Scale),
        new Producer(bn + ".running_mean", ProducerRole.PermuteOnly),
        new Producer(bn + ".running_var", ProducerRole.PermuteOnly),
    };

    private static Tensor Need(IReadOnlyDictionary<string, Tensor> s, string name) =>
        s.TryGetValue(name, out var t) ? t : throw new AtlasArgumentException("weights", $"the state dict has no '{name}'");
}
