using System.CommandLine;
using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas activations</c>: saves chosen layers' outputs on the first N images to an .npz (key = layer name).</summary>
public sealed class ActivationsCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var weights = new Option<string>("--weights", "-w") { Description = "Weights (safetensors state dict); see 'atlas train --out'.", Required = true };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var layers = new Option<string>("--layers", "-l") { Description = "'all' (every named submodule) or comma-separated names such as conv1,relu3,fc2 (PyTorch's module names).", DefaultValueFactory = _ => "all" };
        var count = new Option<int>("--count", "-n") { Description = "How many images (the first N of the split).", DefaultValueFactory = _ => 1000 };
        var split = new Option<string>("--split") { Description = "test or train.", DefaultValueFactory = _ => "test" };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output .npz: one float32 array [N, ...] per layer, plus 'labels' (int64) and 'inputs' if --with-inputs.", DefaultValueFactory = _ => "acts.npz" };
        var withInputs = new Option<bool>("--with-inputs") { Description = "Also store the input images under 'inputs'." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("activations", "Run saved weights on N images and save the outputs of the named layers (forward hooks) to an .npz for the analyses.");
        foreach (var o in new Option[] { model, weights, data, dataDir, layers, count, split, seed, outPath, withInputs, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            int n = parse.GetValue(count);
            if (n <= 0) throw new AtlasArgumentException("--count", $"must be positive, got {n}");
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            string name = parse.GetValue(model)!;
            var fallback = name.Length > 0 ? EngineOptions.SpecFor(name, set) : null;
            var (net, spec) = ModelFile.Load(parse.GetValue(weights)!, fallback, name.Length > 0 ? name : null);
            string spec2 = parse.GetValue(layers)!;
            var names = spec2 == "all" ? ActivationCapture.AllLayers(net) : spec2.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            n = Math.Min(n, set.Count);
            var entries = new List<KeyValuePair<string, NdArray>>();
            using (var cap = new ActivationCapture(net, names))
            {
                const int bs = 256;
                var labels = new long[n];
                using (GradMode.NoGrad())
                    for (int s = 0; s < n; s += bs)
                    {
                        var idx = Enumerable.Range(s, Math.Min(bs, n - s)).ToArray();
                        net.Forward(new Var(set.Images(idx)));
                    }
                foreach (var l in names) entries.Add(new(l, NdArray.FromTensor(cap.Concatenated(l))));
                for (int i = 0; i < n; i++) labels[i] = set.Labels[i];
                entries.Add(new("labels", NdArray.FromInt64s(labels, n)));
            }
            if (parse.GetValue(withInputs)) entries.Add(new("inputs", NdArray.FromTensor(set.Images(n))));
            string outFile = parse.GetValue(outPath)!;
            Npz.Write(outFile, entries);
            var o = parse.InvocationConfiguration.Output;
            foreach (var (k, a) in entries) o.WriteLine($"{k}\t{a}");
            o.WriteLine($"wrote {entries.Count} arrays for {n} images of {set.Name} ({spec.Name}) to {outFile}");
            return 0;
        });
        return cmd;
    }
}
