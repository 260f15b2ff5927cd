using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary><c>atlas stitch</c>: model A up to a layer, a stitching layer (closed form, optionally trained), then model B from its layer on.</summary>
public sealed class StitchCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        model.Description += " Applies to both --a and --b weights files that do not name their architecture.";
        var wa = new Option<string?>("--a", "-a") { Description = "Weights of model A (its front part is used), safetensors from 'atlas train --out'. Give this or --onnx-a." };
        var wb = new Option<string?>("--b", "-b") { Description = "Weights of model B (its back part is used). Give this or --onnx-b." };
        var oa = new Option<string?>("--onnx-a") { Description = "Model A as an ONNX graph (layers are node names, see 'atlas onnx inspect'), instead of --a." };
        var ob = new Option<string?>("--onnx-b") { Description = "Model B as an ONNX graph, instead of --b." };
        var layer = new Option<string?>("--layer", "-l") { Description = "The layer to stitch at, the same name in both models (a submodule such as act1 or layer2.1.relu2, or an ONNX node name such as /act1/Relu)." };
        var layerA = new Option<string?>("--layer-a") { Description = "A's layer whose output feeds the stitch (overrides --layer for A)." };
        var layerB = new Option<string?>("--layer-b") { Description = "B's layer whose output the stitch replaces; B runs on from there (overrides --layer for B)." };
        var kind = new Option<string>("--kind", "-k")
        {
            Description = "affine (linear/1×1-conv map + bias, least squares), perm-scale (permutation × positive scaling: Hungarian on unit correlations, " +
                          "nonnegative scales; trained as a Sinkhorn relaxation, rounded by Hungarian), low-rank (affine of rank --rank, reduced-rank regression; " +
                          "trained as W = UV) or sparse (affine trained with an L1 penalty --l1 on W; needs --train-steps).",
            DefaultValueFactory = _ => "affine",
        };
        var rank = new Option<int>("--rank") { Description = "Rank of the low-rank stitch.", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--train-steps") { Description = "Adam steps training the stitch on B's cross-entropy after the closed-form start, both models frozen (0 = closed form only).", DefaultValueFactory = _ => 0 };
        var lr = new Option<double>("--lr") { Description = "Learning rate of the stitch training.", DefaultValueFactory = _ => 1e-3 };
        var batch = new Option<int>("--batch-size") { Description = "Minibatch size of the stitch training.", DefaultValueFactory = _ => 64 };
        var l1 = new Option<double>("--l1") { Description = "L1 weight λ of the sparse stitch (each step soft-thresholds W by lr·λ).", DefaultValueFactory = _ => 1e-2 };
        var tau = new Option<double>("--tau") { Description = "Temperature τ of the perm-scale relaxation P = Sinkhorn(exp(L/τ)); smaller is closer to a permutation.", DefaultValueFactory = _ => 0.1 };
        var iters = new Option<int>("--sinkhorn-iterations") { Description = "Row and column normalisations per Sinkhorn evaluation.", DefaultValueFactory = _ => 20 };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set and of the training minibatch order.", DefaultValueFactory = _ => 0 };
        var fitCount = new Option<int>("--fit-count") { Description = "Training images used to fit (and train) the stitching layer.", DefaultValueFactory = _ => 2000 };
        var count = new Option<int>("--count", "-n") { Description = "Test images to score (0 = all).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of lines (progress goes to stderr)." };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the JSON result to this file (atomically)." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("stitch",
            "Model stitching: run model A up to --layer-a, map its activations with a stitching layer fitted in closed form on training images " +
            "(and trained on the task loss with --train-steps), then run model B on from --layer-b; print both models' accuracies, the stitched " +
            "accuracy and the stitching penalty (mean of A and B minus stitched). Works on any zoo model or ONNX graph.");
        foreach (var o in new Option[] { model, wa, wb, oa, ob, layer, layerA, layerB, kind, rank, steps, lr, batch, l1, tau, iters, data, dataDir, seed, fitCount, count, json, outPath, threads })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string kindName = parse.GetValue(kind)!;
            var k = kindName switch
            {
                "affine" => StitchKind.Affine,
                "perm-scale" => StitchKind.PermutationScaling,
                "low-rank" => StitchKind.LowRank,
                "sparse" => StitchKind.Sparse,
                var s => throw new AtlasArgumentException("--kind", $"expected affine, perm-scale, low-rank or sparse, got '{s}'"),
            };
            string? la = parse.GetValue(layerA) ?? parse.GetValue(layer), lb = parse.GetValue(layerB) ?? parse.GetValue(layer);
            if (la is null || lb is null) throw new AtlasArgumentException(la is null ? "--layer-a" : "--layer-b", "give --layer (the same layer in both models) or --layer-a and --layer-b");
            int nFit = parse.GetValue(fitCount), n = parse.GetValue(count), nSteps = parse.GetValue(steps);
            if (nFit < 2) throw new AtlasArgumentException("--fit-count", $"needs at least 2 images, got {nFit}");
            if (n < 0) throw new AtlasArgumentException("--count", $"must be 0 (all) or positive, got {n}");
            if (k == StitchKind.Sparse && nSteps == 0) throw new AtlasArgumentException("--train-steps", "a sparse stitch is the L1-penalised training of the affine one; give --train-steps > 0");
            int s0 = parse.GetValue(seed);
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), s0);
            var fit = splits.Train.Take(Math.Min(nFit, splits.Train.Count));
            var test = n > 0 && n < splits.Test.Count ? splits.Test.Take(n) : splits.Test;
            string name = parse.GetValue(model)!;
            var ma = ModelSourceOptions.Resolve(name, parse.GetValue(wa), parse.GetValue(oa), test, s0, weightsRequired: true, weightsOption: "--a", onnxOption: "--onnx-a");
            var mb = ModelSourceOptions.Resolve(name, parse.GetValue(wb), parse.GetValue(ob), test, s0, weightsRequired: true, weightsOption: "--b", onnxOption: "--onnx-b");
            var o = parse.InvocationConfiguration.Output;
            var progressOut = parse.GetValue(json) ? parse.InvocationConfiguration.Error : o;
            if (nSteps > 0)
                progressOut.WriteLine($"training the {kindName} stitch {la} → {lb}: {nSteps} steps, batch {parse.GetValue(batch)}, lr {parse.GetValue(lr).ToString(CultureInfo.InvariantCulture)} on {fit.Count} images");
            var r = ModelStitching.Stitch(ma.Module, mb.Module, new StitchOptions
            {
                LayerA = la,
                LayerB = lb,
                Kind = k,
                Rank = parse.GetValue(rank),
                TrainSteps = nSteps,
                LearningRate = parse.GetValue(lr),
                BatchSize = parse.GetValue(batch),
                L1 = parse.GetValue(l1),
                Tau = parse.GetValue(tau),
                SinkhornIterations = parse.GetValue(iters),
                Seed = (ulong)s0,
                Progress = p => progressOut.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps}\tloss {p.Loss:F4}")),
            }, fit, test);
            var root = new JsonObject
            {
                ["a"] = ma.Source,
                ["b"] = mb.Source,
                ["layer_a"] = r.Layer,
                ["layer_b"] = r.LayerB,
                ["kind"] = kindName,
                ["fit_images"] = fit.Count,
                ["test_images"] = test.Count,
                ["train_steps"] = r.TrainSteps,
                ["accuracy_a"] = r.AccuracyA,
                ["accuracy_b"] = r.AccuracyB,
                ["closed_form_accuracy"] = r.ClosedFormAccuracy,
                ["stitched_accuracy"] = r.StitchedAccuracy,
                ["stitching_penalty"] = r.Penalty,
            };
            var lines = new List<(string, double)> { ("accuracy_a", r.AccuracyA), ("accuracy_b", r.AccuracyB) };
            if (r.TrainSteps > 0)
            {
                root["final_loss"] = r.FinalLoss;
                lines.Add(("closed_form_accuracy", r.ClosedFormAccuracy));
            }
            if (r.RelaxedAccuracy is { } relaxed)
            {
                root["relaxed_accuracy"] = relaxed;
                lines.Add(("relaxed_accuracy", relaxed));
            }
            lines.Add(("stitched_accuracy", r.StitchedAccuracy));
            lines.Add(("stitching_penalty", r.Penalty));
            if (k is StitchKind.Sparse or StitchKind.Affine or StitchKind.LowRank)
            {
                root["sparsity"] = r.Stitch.Sparsity;
                if (k == StitchKind.Sparse) lines.Add(("sparsity", r.Stitch.Sparsity));
            }
            if (r.Stitch.Permutation is { } perm) root["permutation"] = new JsonArray(perm.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
            string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (parse.GetValue(json)) o.WriteLine(text);
            else
                foreach (var (key, v) in lines) o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}\t{v:F4}"));
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, text + "\n");
            return 0;
        });
        return cmd;
    }
}
