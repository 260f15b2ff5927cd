using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>
/// Applies monomial intertwiners A = P·diag(d) (new channel i = d_i × old channel π(i)) to a state dict at a list
/// of <see cref="ChannelSite"/>s: the model's function is unchanged when every site sits after a nonlinearity whose
/// group contains A and everything between producers and consumers commutes with A (max-pooling commutes with
/// positive scalings and permutations, average pooling with all monomials, residual additions when both branches
/// get the same A). Works on float32 tensors with PyTorch state-dict names; only monomial groups.
/// </summary>
public static class ChannelIntertwiner
{
    /// <summary>The transformed state dict and the A used at each site (as channel permutation and scales).</summary>
    public static (OrderedDictionary<string, Tensor> State, IReadOnlyList<(string Site, int[] Permutation, double[] Scales)> Applied)
        Apply(IEnumerable<KeyValuePair<string, Tensor>> state, IReadOnlyList<ChannelSite> sites, IntertwinerGroup group, Rng rng)
    {
        if (group.Kind == GroupKind.GeneralLinear)
            throw new AtlasArgumentException("activation", "the identity's group GL_n mixes channels densely; channel intertwining needs a monomial group (relu, leaky_relu, tanh, gelu, ...)");
        var s = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in state) s.Add(k, v.Clone());
        var applied = new List<(string, int[], double[])>();
        foreach (var site in sites)
        {
            DMatrix a = group.Sample(site.Channels, rng);
            var perm = new int[site.Channels];
            var scale = new double[site.Channels];
            for (int i = 0; i < site.Channels; i++)
                for (int j = 0; j < site.Channels; j++)
                    if (a[i, j] != 0) { perm[i] = j; scale[i] = a[i, j]; }
            foreach (var p in site.Producers) s[p.Name] = Produce(Get(s, p.Name, site), site, perm, p.Role == ProducerRole.Scale ? scale : null, p.Name);
            foreach (var c in site.Consumers) s[c.Name] = Consume(Get(s, c.Name, site), site, perm, scale, c.Block, c.Name);
            applied.Add((site.Name, perm, scale));
        }
        return (s, applied);
    }

    private static Tensor Get(OrderedDictionary<string, Tensor> s, string name, ChannelSite site) =>
        s.TryGetValue(name, out var t) ? t
            : throw new AtlasArgumentException("weights", $"site {site.Name}: the state dict has no tensor '{name}'; the architecture does not match");

    private static Tensor Produce(Tensor t, ChannelSite site, int[] perm, double[]? scale, string name)
    {
        if (t.Rank == 0 || t.Shape[0] != site.Channels)
            throw new ShapeMismatchException("intertwine", $"site {site.Name}: {name} has shape {ShapeMismatchException.Format(t.Shape)}, expected {site.Channels} channels along dimension 0");
        int inner = t.Numel / site.Channels;
        var r = new Tensor(t.Shape);
        for (int i = 0; i < site.Channels; i++)
        {
            float f = scale is null ? 1f : (float)scale[i];
            for (int j = 0; j < inner; j++) r.Data[i * inner + j] = f * t.Data[perm[i] * inner + j];
        }
        return r;
    }

    private static Tensor Consume(Tensor t, ChannelSite site, int[] perm, double[] scale, int block, string name)
    {
        if (t.Rank < 2)
            throw new ShapeMismatchException("intertwine", $"site {site.Name}: consumer {name} has shape {ShapeMismatchException.Format(t.Shape)}, expected a weight");
        long trailing = 1;
        for (int d = 2; d < t.Rank; d++) trailing *= t.Shape[d];
        long per = (long)block * trailing; // entries per channel within one output row
        if (t.Shape[1] != site.Channels * block)
            throw new ShapeMismatchException("intertwine",
                $"site {site.Name}: {name} takes {t.Shape[1]} inputs along dimension 1 but the site has {site.Channels} channels × {block} positions = {site.Channels * block}; these layers cannot be intertwined");
        int rows = t.Shape[0];
        long rowLen = t.Numel / rows;
        var r = new Tensor(t.Shape);
        for (int o = 0; o < rows; o++)
            for (int i = 0; i < site.Channels; i++)
            {
                float inv = (float)(1 / scale[i]);
                long dst = o * rowLen + i * per, src = o * rowLen + perm[i] * per;
                for (long j = 0; j < per; j++) r.Data[dst + j] = inv * t.Data[src + j];
            }
        return r;
    }
}
