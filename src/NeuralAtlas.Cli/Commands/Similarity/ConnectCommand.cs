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
        var wa = new Option<string>("--a", "-a") { Description = "Weights of the first network (safetensors from 'atlas train --out').", Required = true };
        var wb = new Option<string>("--b", "-b") { Description = "Weights of the second network, same architecture.", Required = true };
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
            "accuracy barriers (height above the straight line between the endpoints). No neuron alignment is applied.");
        foreach (var o in new Option[] { model, wa, wb, data, dataDir, seed, split, count, steps, json, outPath, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            int n = parse.GetValue(count);
            if (n < 0) throw new AtlasArgumentException("--count", $"must be 0 (all) or positive, got {n}");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            if (n > 0 && n < set.Count) set = set.Take(n);
            string name = parse.GetValue(model)!;
            var fallback = name.Length > 0 ? EngineOptions.SpecFor(name, set) : null;
            string pa = parse.GetValue(wa)!, pb = parse.GetValue(wb)!;
            var (net, specA) = ModelFile.Load(pa, fallback, name.Length > 0 ? name : null);
            var (netB, specB) = ModelFile.Load(pb, fallback, name.Length > 0 ? name : null);
            if (specA != specB) throw new AtlasArgumentException("--b", $"{pb} holds {specB}, {pa} holds {specA}: both must be the same architecture");
            var path = ModeConnectivity.Interpolate(net, net.StateDict(), netB.StateDict(), set, parse.GetValue(steps));
            var o = parse.InvocationConfiguration.Output;
            var root = new JsonObject
            {
                ["a"] = pa,
                ["b"] = pb,
                ["model"] = specA.Name,
                ["images"] = set.Count,
                ["loss_barrier"] = path.LossBarrier,
                ["accuracy_barrier"] = path.AccuracyBarrier,
                ["barrier_t"] = path.BarrierT,
                ["path"] = new JsonArray(path.Points.Select(p => (JsonNode)new JsonObject { ["t"] = p.T, ["loss"] = p.Loss, ["accuracy"] = p.Accuracy }).ToArray()),
            };
            string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (parse.GetValue(json)) o.WriteLine(text);
            else
            {
                o.WriteLine("t\tloss\taccuracy");
                foreach (var p in path.Points) o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.T:F4}\t{p.Loss:F6}\t{p.Accuracy:F4}"));
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss barrier\t{path.LossBarrier:F6}\t(at t = {path.BarrierT:F3})"));
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy barrier\t{path.AccuracyBarrier:F4}"));
            }
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, text + "\n");
            return 0;
        });
        return cmd;
    }
}
