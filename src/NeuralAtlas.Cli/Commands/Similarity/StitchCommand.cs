using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary><c>atlas stitch</c>: model A up to a layer, a fitted stitching layer, then the rest of model B.</summary>
public sealed class StitchCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var wa = new Option<string>("--a", "-a") { Description = "Weights of model A (its front half is used), safetensors from 'atlas train --out'.", Required = true };
        var wb = new Option<string>("--b", "-b") { Description = "Weights of model B (its back half is used).", Required = true };
        var layer = new Option<string>("--layer", "-l") { Description = "The child layer after which to stitch (e.g. act1 of the mlp); the same name in both models.", Required = true };
        var kind = new Option<string>("--kind", "-k")
        {
            Description = "affine (linear/1×1-conv map + bias, least squares), perm-scale (permutation × positive scaling: Hungarian on unit correlations, " +
                          "nonnegative scales) or low-rank (affine of rank --rank, reduced-rank regression).",
            DefaultValueFactory = _ => "affine",
        };
        var rank = new Option<int>("--rank") { Description = "Rank of the low-rank stitch.", DefaultValueFactory = _ => 8 };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set.", DefaultValueFactory = _ => 0 };
        var fitCount = new Option<int>("--fit-count") { Description = "Training images used to fit the stitching layer.", DefaultValueFactory = _ => 2000 };
        var count = new Option<int>("--count", "-n") { Description = "Test images to score (0 = all).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of lines." };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the JSON result to this file (atomically)." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("stitch",
            "Model stitching: run model A up to --layer, map its activations with a stitching layer fitted in closed form on training images, " +
            "finish with model B; print both models' accuracies, the stitched accuracy and the stitching penalty (mean of A and B minus stitched).");
        foreach (var o in new Option[] { model, wa, wb, layer, kind, rank, data, dataDir, seed, fitCount, count, json, outPath, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            var k = parse.GetValue(kind) switch
            {
                "affine" => StitchKind.Affine,
                "perm-scale" => StitchKind.PermutationScaling,
                "low-rank" => StitchKind.LowRank,
                var s => throw new AtlasArgumentException("--kind", $"expected affine, perm-scale or low-rank, got '{s}'"),
            };
            int nFit = parse.GetValue(fitCount), n = parse.GetValue(count);
            if (nFit < 2) throw new AtlasArgumentException("--fit-count", $"needs at least 2 images, got {nFit}");
            if (n < 0) throw new AtlasArgumentException("--count", $"must be 0 (all) or positive, got {n}");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var fit = splits.Train.Take(Math.Min(nFit, splits.Train.Count));
            var test = n > 0 && n < splits.Test.Count ? splits.Test.Take(n) : splits.Test;
            string name = parse.GetValue(model)!;
            var fallback = name.Length > 0 ? EngineOptions.SpecFor(name, test) : null;
            var (ma, _) = ModelFile.Load(parse.GetValue(wa)!, fallback, name.Length > 0 ? name : null);
            var (mb, _) = ModelFile.Load(parse.GetValue(wb)!, fallback, name.Length > 0 ? name : null);
            var r = ModelStitching.Stitch(ma, mb, parse.GetValue(layer)!, fit, test, k, parse.GetValue(rank));
            var root = new JsonObject
            {
                ["a"] = parse.GetValue(wa),
                ["b"] = parse.GetValue(wb),
                ["layer"] = r.Layer,
                ["kind"] = parse.GetValue(kind),
                ["fit_images"] = fit.Count,
                ["test_images"] = test.Count,
                ["accuracy_a"] = r.AccuracyA,
                ["accuracy_b"] = r.AccuracyB,
                ["stitched_accuracy"] = r.StitchedAccuracy,
                ["stitching_penalty"] = r.Penalty,
            };
            string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) o.WriteLine(text);
            else
                foreach (var (key, v) in new[] { ("accuracy_a", r.AccuracyA), ("accuracy_b", r.AccuracyB), ("stitched_accuracy", r.StitchedAccuracy), ("stitching_penalty", r.Penalty) })
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}\t{v:F4}"));
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, text + "\n");
            return 0;
        });
        return cmd;
    }
}
