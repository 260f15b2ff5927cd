using System.CommandLine;
using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas activations</c>: saves chosen layers' outputs on the first N images to an .npz (key = layer name).</summary>
public sealed class ActivationsCommand : ICliCommand
{
    public Command Create()
    {
        var source = new ModelSourceOptions(weightsRequired: true, withData: true,
            weightsDescription: "Weights (safetensors state dict); see 'atlas train --out'. Not with --onnx.",
            onnxDescription: "Run an ONNX model instead of --model/--weights; --layers then names ONNX nodes (as 'atlas onnx inspect' lists them, e.g. /conv1/Conv) or node output values.");
        var layers = new Option<string>("--layers", "-l") { Description = "'all' (every named submodule) or comma-separated names such as conv1,relu3,fc2 (PyTorch's module names); with --onnx, node names or output value names.", DefaultValueFactory = _ => "all" };
        var count = new Option<int>("--count", "-n") { Description = "How many images (the first N of the split).", DefaultValueFactory = _ => 1000 };
        var split = new Option<string>("--split") { Description = "test or train.", DefaultValueFactory = _ => "test" };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output .npz: one float32 array [N, ...] per layer, plus 'labels' (int64) and 'inputs' if --with-inputs.", DefaultValueFactory = _ => "acts.npz" };
        var withInputs = new Option<bool>("--with-inputs") { Description = "Also store the input images under 'inputs'." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("activations", "Run saved weights on N images and save the outputs of the named layers (forward hooks) to an .npz for the analyses.");
        source.AddTo(cmd);
        foreach (var o in new Option[] { layers, count, split, seed, outPath, withInputs, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            int n = parse.GetValue(count);
            if (n <= 0) throw new AtlasArgumentException("--count", $"must be positive, got {n}");
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            var splits = source.LoadData(parse, parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            var loaded = source.Load(parse, set);
            if (loaded.Onnx is not null)
                return WriteOnnx(parse, loaded.Onnx, set, Math.Min(n, set.Count), parse.GetValue(layers)!, parse.GetValue(outPath)!, parse.GetValue(withInputs));
            var net = loaded.Module;
            var spec = loaded.Spec!;
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

    /// <summary>Captures ONNX node outputs (keys are the names as given) on the first n images, batch by batch.</summary>
    private static int WriteOnnx(ParseResult parse, OnnxModule net, ImageDataset set, int n, string layerSpec, string outFile, bool withInputs)
    {
        net.Eval();
        var names = layerSpec == "all"
            ? net.ActivationNodes(new Var(set.Images(Enumerable.Range(0, Math.Min(2, set.Count)).ToArray())))
            : layerSpec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var values = names.Select(net.ValueName).ToList();
        var batches = names.Select(_ => new List<Tensor>()).ToList();
        const int bs = 256;
        using (GradMode.NoGrad())
            for (int s = 0; s < n; s += bs)
            {
                var run = net.Run(new Var(set.Images(Enumerable.Range(s, Math.Min(bs, n - s)).ToArray())));
                for (int i = 0; i < names.Count; i++)
                {
                    if (!run.TryGetValue(values[i], out var v))
                        throw new AtlasArgumentException("--layers", $"'{names[i]}' is a constant or shape value, not an activation");
                    batches[i].Add(v.Value);
                }
            }
        var entries = new List<KeyValuePair<string, NdArray>>();
        for (int i = 0; i < names.Count; i++)
        {
            if (batches[i].Any(b => b.Rank == 0 || b.Shape[0] != batches[i][0].Shape[0] && b != batches[i][^1]))
                throw new AtlasArgumentException("--layers", $"'{names[i]}' is not batch-first, so it cannot be stacked over images");
            entries.Add(new(names[i], NdArray.FromTensor(batches[i].Count == 1 ? batches[i][0] : Ops.Cat(batches[i], 0))));
        }
        entries.Add(new("labels", NdArray.FromInt64s(set.Labels.Take(n).Select(l => (long)l).ToArray(), n)));
        if (withInputs) entries.Add(new("inputs", NdArray.FromTensor(set.Images(n))));
        Npz.Write(outFile, entries);
        var o = parse.InvocationConfiguration.Output;
        foreach (var (k, a) in entries) o.WriteLine($"{k}\t{a}");
        o.WriteLine($"wrote {entries.Count} arrays for {n} images of {set.Name} ({net.Model.File}) to {outFile}");
        return 0;
    }
}
