using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary>The <c>atlas intertwine</c> path for zoo models (files written by <c>atlas train</c>): channel sites, Module forward.</summary>
internal static class ZooIntertwine
{
    public static int Run(TextWriter o, string path, ModelSpec spec, Module original, IntertwinerGroup group, Rng rng, int count, string outPath)
    {
        if (group.Kind is not (GroupKind.PositiveMonomial or GroupKind.Permutation))
            throw new AtlasArgumentException("--activation",
                $"the zoo's {spec.Name} uses ReLU, whose group is the positive-scaled permutations; {group.Activation.Name}'s group ({group.Kind}) contains other matrices and would change its function");
        var state = original.StateDict();
        var sites = spec.Name switch
        {
            "mlp" => ZooSites.Mlp(state),
            "cnn" => ZooSites.Cnn(state, group),
            "resnet20" => ZooSites.ResNet(state),
            _ => throw new AtlasArgumentException("--weights", $"{path}: no intertwiner sites are defined for '{spec.Name}' (attention and LayerNorm are not channel-wise); mlp, cnn and resnet20 are supported"),
        };
        var (moved, _) = ChannelIntertwiner.Apply(state, sites, group, rng);
        var transformed = spec.Create(new Rng(0));
        transformed.LoadStateDict(moved);
        transformed.Eval();
        original.Eval();

        var x = new Tensor(count, spec.InChannels, spec.ImageSize, spec.ImageSize);
        for (int i = 0; i < x.Numel; i++) x.Data[i] = rng.NextFloat();
        var (acts0, y0) = Capture(original, x);
        var (acts1, y1) = Capture(transformed, x);
        double diff = y0.Zip(y1, (a, b) => Math.Abs(a - b)).Max(), maxOut = y0.Max(Math.Abs);

        if (Path.GetExtension(outPath).Equals(".npz", StringComparison.OrdinalIgnoreCase)) Npz.Write(outPath, moved);
        else ModelFile.Save(outPath, transformed, spec);

        o.WriteLine($"model\t{spec.Name}, {sites.Count} intertwiner sites: {string.Join(", ", sites.Select(s => $"{s.Name} ({s.Channels})"))}");
        o.WriteLine($"group\t{group.Activation.Name}: {group.Description}");
        o.WriteLine("module\tshape\t" + RepresentationChange.Header);
        foreach (var (name, a) in acts0)
        {
            var b = acts1[name];
            if (a.Rank < 2) continue;
            o.WriteLine(RepresentationChange.Row(name, a, b));
        }
        o.WriteLine($"max output difference\t{diff:E3}\t(max |output| {maxOut:F4}, {count} random inputs in [0,1])");
        o.WriteLine($"wrote {outPath}");
        return 0;
    }

    /// <summary>Outputs of every top-level child module (the representations) and the model output.</summary>
    private static (Dictionary<string, Tensor> Acts, float[] Output) Capture(Module m, Tensor x)
    {
        var acts = new Dictionary<string, Tensor>();
        var hooks = m.NamedChildren().Select(kv => kv.Value.RegisterForwardHook((_, _, output) => acts[kv.Key] = output.Value.Clone())).ToList();
        try
        {
            float[] y = m.Forward(new Var(x)).Value.Data;
            return (acts, y);
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
        }
    }

}
