using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary><c>atlas match frozen</c>: two runs sharing their first k weight layers (identical and frozen), matched layer by layer, for each k.</summary>
internal static class MatchFrozenCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Zoo architecture trained twice (mlp, cnn: chains of Linear/Conv2d layers).", DefaultValueFactory = _ => "mlp" };
        var freeze = new Option<string>("--freeze") { Description = "Comma-separated numbers k of first weight layers (Linear/Conv2d, in forward order) shared and frozen; one pair of runs per k.", DefaultValueFactory = _ => "0,1" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of each run.", DefaultValueFactory = _ => 2 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-3 };
        var seedA = new Option<int>("--seed-a") { Description = "Seed of run A (its initial weights are the shared frozen ones).", DefaultValueFactory = _ => 1 };
        var seedB = new Option<int>("--seed-b") { Description = "Seed of run B (initialisation of its trainable layers and batch order).", DefaultValueFactory = _ => 2 };
        var count = new Option<int>("--count", "-n") { Description = "Test images the unit correlations are computed on.", DefaultValueFactory = _ => 512 };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON (per k: frozen layers, accuracies, per layer matched and identity correlation).", DefaultValueFactory = _ => "frozen-basis.json" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("frozen",
            "The privileged-basis experiment: for each k, train two networks from different seeds whose first k weight layers are identical and " +
            "frozen, then match each hidden layer's units across the two (correlation + Hungarian). Prints 'k<TAB>layer<TAB>frozen<TAB>matched<TAB>identity'.");
        foreach (var o in new Option[] { model, freeze, epochs, lr, seedA, seedB, count, data, dataDir, outPath, threads }) cmd.Options.Add(o);
        SubcommandHelp.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            var ks = new List<int>();
            foreach (var part in parse.GetValue(freeze)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                ks.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) ? k
                    : throw new AtlasArgumentException("--freeze", $"expected comma-separated whole numbers, got '{part}'"));
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), 0);
            var train = new TrainOptions { Epochs = parse.GetValue(epochs), LearningRate = parse.GetValue(lr) };
            var err = parse.InvocationConfiguration.Error;
            var runs = FrozenBasisExperiment.Run(parse.GetValue(model)!, splits, ks, train, parse.GetValue(seedA), parse.GetValue(seedB), parse.GetValue(count), m => err.WriteLine(m));
            var root = new JsonObject
            {
                ["model"] = parse.GetValue(model),
                ["data"] = splits.Train.Name,
                ["epochs"] = train.Epochs,
                ["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
                {
                    ["frozen_layers"] = r.FrozenLayers,
                    ["frozen"] = new JsonArray(r.Frozen.Select(f => (JsonNode)f).ToArray()),
                    ["accuracy_a"] = r.AccuracyA,
                    ["accuracy_b"] = r.AccuracyB,
                    ["layers"] = new JsonArray(r.Layers.Select(l => (JsonNode)new JsonObject
                    {
                        ["layer"] = l.Layer,
                        ["frozen"] = l.Frozen,
                        ["mean_matched_correlation"] = l.MeanMatchedCorrelation,
                        ["mean_identity_correlation"] = l.MeanIdentityCorrelation,
                    }).ToArray()),
                }).ToArray()),
            };
            AtomicFile.WriteAllText(parse.GetValue(outPath)!, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("k\tlayer\tfrozen\tmatched\tidentity");
            foreach (var r in runs)
                foreach (var l in r.Layers)
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.FrozenLayers}\t{l.Layer}\t{(l.Frozen ? "yes" : "no")}\t{l.MeanMatchedCorrelation:F6}\t{l.MeanIdentityCorrelation:F6}"));
            return 0;
        });
        return cmd;
    }
}
