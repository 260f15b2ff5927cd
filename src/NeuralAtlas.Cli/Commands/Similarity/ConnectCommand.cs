using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary><c>atlas connect -a A.safetensors -b B.safetensors</c>: loss and accuracy along the straight path between two trained networks.</summary>
public sealed class ConnectCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var wa = new Option<string?>("--a", "-a") { Description = "Weights of the first network (safetensors from 'atlas train --out'). Or --onnx-a." };
        var wb = new Option<string?>("--b", "-b") { Description = "Weights of the second network, same architecture. Or --onnx-b." };
        var oa = new Option<string?>("--onnx-a") { Description = "The first network as an ONNX graph (its float initializers are the weights interpolated)." };
        var ob = new Option<string?>("--onnx-b") { Description = "The second network as an ONNX graph with the same initializers (names and shapes) as the first." };
        var align = new Option<string>("--align") { Description = "Neuron alignment of B to A before interpolating: none, activations (permute B's hidden units to match A's by correlation + Hungarian), or both (report the two paths). Alignment needs a chain of Linear/Conv2d layers (zoo mlp, cnn).", DefaultValueFactory = _ => "both" };
        var alignCount = new Option<int>("--align-count") { Description = "Training images the unit correlations for alignment are computed on.", DefaultValueFactory = _ => 512 };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set (the one the networks were trained with).", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "test or train.", DefaultValueFactory = _ => "test" };
        var count = new Option<int>("--count", "-n") { Description = "Evaluate on the first N images of the split (0 = all).", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Points on the path, endpoints included (t = 0, 1/(steps−1), …, 1).", DefaultValueFactory = _ => 11 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of 't<TAB>loss<TAB>accuracy' lines." };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the JSON result to this file (atomically)." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("connect",
            "Linear mode connectivity: loss and accuracy of (1−t)·θ_A + t·θ_B along the straight path between two trained networks, and the loss and " +
            "accuracy barriers (height above the straight line between the endpoints), without and with neuron alignment of B to A.");
        foreach (var o in new Option[] { model, wa, wb, oa, ob, align, alignCount, data, dataDir, seed, split, count, steps, json, outPath, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            string mode = parse.GetValue(align)!;
            if (mode is not ("none" or "activations" or "both")) throw new AtlasArgumentException("--align", $"expected none, activations or both, got '{mode}'");
            int n = parse.GetValue(count);
            if (n < 0) throw new AtlasArgumentException("--count", $"must be 0 (all) or positive, got {n}");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            if (n > 0 && n < set.Count) set = set.Take(n);
            string name = parse.GetValue(model)!;
            var a = ModelSourceOptions.Resolve(name, parse.GetValue(wa), parse.GetValue(oa), set, 0, weightsRequired: true, weightsOption: "--a", onnxOption: "--onnx-a");
            var b = ModelSourceOptions.Resolve(name, parse.GetValue(wb), parse.GetValue(ob), set, 0, weightsRequired: true, weightsOption: "--b", onnxOption: "--onnx-b");
            if (a.IsOnnx != b.IsOnnx) throw new AtlasArgumentException("--b", "give both networks as weights (--a/--b) or both as ONNX graphs (--onnx-a/--onnx-b)");
            if (!a.IsOnnx && a.Spec != b.Spec) throw new AtlasArgumentException("--b", $"{b.Source} holds {b.Spec}, {a.Source} holds {a.Spec}: both must be the same architecture");
            var root = new JsonObject
            {
                ["a"] = a.Source,
                ["b"] = b.Source,
                ["model"] = a.IsOnnx ? "onnx" : a.Spec!.Name,
                ["images"] = set.Count,
            };
            var o = parse.InvocationConfiguration.Output;
            var table = new List<string>();
            void Report(string key, ConnectivityPath path)
            {
                root[key] = new JsonObject
                {
                    ["loss_barrier"] = path.LossBarrier,
                    ["accuracy_barrier"] = path.AccuracyBarrier,
                    ["barrier_t"] = path.BarrierT,
                    ["path"] = new JsonArray(path.Points.Select(p => (JsonNode)new JsonObject { ["t"] = p.T, ["loss"] = p.Loss, ["accuracy"] = p.Accuracy }).ToArray()),
                };
                table.Add($"# {key}");
                table.Add("t\tloss\taccuracy");
                foreach (var p in path.Points) table.Add(string.Create(CultureInfo.InvariantCulture, $"{p.T:F4}\t{p.Loss:F6}\t{p.Accuracy:F4}"));
                table.Add(string.Create(CultureInfo.InvariantCulture, $"loss barrier\t{path.LossBarrier:F6}\t(at t = {path.BarrierT:F3})"));
                table.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy barrier\t{path.AccuracyBarrier:F4}"));
            }
            if (a.IsOnnx && mode == "activations")
                throw new AtlasArgumentException("--align", "neuron alignment permutes a zoo chain's layers; an ONNX graph can only be connected with --align none");
            var kind = a.IsOnnx || mode == "none" ? ConnectivityAlignment.None : mode == "activations" ? ConnectivityAlignment.Activations : ConnectivityAlignment.Both;
            ConnectivityComparison result;
            if (a.IsOnnx) result = new ConnectivityComparison(ModeConnectivity.Interpolate(a.Module, Weights(a), Weights(b), set, parse.GetValue(steps)), null, null);
            // Unit correlations from training images, so the path is evaluated on data the alignment did not see.
            else result = ModeConnectivity.Connect(a.Module, b.Module, set, kind, splits.Train, parse.GetValue(alignCount), parse.GetValue(steps));
            if (result.Unaligned is not null) Report("unaligned", result.Unaligned);
            if (a.IsOnnx && mode == "both")
            {
                root["aligned"] = null;
                table.Add("# aligned: skipped (ONNX graphs are interpolated without alignment)");
            }
            if (result.Aligned is not null && result.Alignment is not null)
            {
                Report("aligned", result.Aligned);
                ((JsonObject)root["aligned"]!)["layers"] = new JsonArray(result.Alignment.Layers.Select(l => (JsonNode)new JsonObject
                {
                    ["layer"] = l.Layer,
                    ["mean_matched_correlation"] = l.MeanCorrelation,
                    ["permutation"] = new JsonArray(l.Permutation.Select(v => (JsonNode)v).ToArray()),
                }).ToArray());
            }
            string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (parse.GetValue(json)) o.WriteLine(text);
            else foreach (var line in table) o.WriteLine(line);
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, text + "\n");
            return 0;
        });
        return cmd;
    }

    // Copies, so that the path's end points do not share storage with the model being evaluated.
    private static Dictionary<string, Tensor> Weights(LoadedModel m) => m.Module.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
}
