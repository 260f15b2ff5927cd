using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Autograd;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas frames compare</c>: the neural frames of two models on the same images and directions, layer by layer.</summary>
internal static class FramesCompareCommand
{
    public static Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var wa = new Option<string?>("--a", "-a") { Description = "Weights of the first model (safetensors). Or --onnx-a." };
        var wb = new Option<string?>("--b", "-b") { Description = "Weights of the second model (safetensors). Or --onnx-b." };
        var oa = new Option<string?>("--onnx-a") { Description = "The first model as an ONNX graph." };
        var ob = new Option<string?>("--onnx-b") { Description = "The second model as an ONNX graph." };
        var layers = new Option<string>("--layers", "-l") { Description = "'all' or comma-separated layer names of A (node names for an ONNX graph).", DefaultValueFactory = _ => "all" };
        var layersB = new Option<string?>("--layers-b") { Description = "B's layers, paired with --layers by position (default: the same names)." };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var sample = new FrameSampleOptions("Seed of the data set and of the noise directions (the same for both models).");
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON (per layer: A's and B's statistics and B − A).", DefaultValueFactory = _ => "frames-compare.json" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("compare",
            "Compare two models' neural frames (e.g. trained with and without augmentation or adversarial training) on the same images and " +
            "directions: per layer, the mean relative norm of augmentation, noise and adversarial directions, effective rank and the " +
            "augmentation/noise angle, for A, for B, and B − A.");
        foreach (var o in new Option[] { model, wa, wb, oa, ob, layers, layersB, data, dataDir }) cmd.Options.Add(o);
        sample.AddTo(cmd);
        cmd.Options.Add(outPath);
        cmd.Options.Add(threads);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            var (n, nNoise, adv, s) = sample.Read(parse);
            var set = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), s).Test;
            string name = parse.GetValue(model)!;
            var a = ModelSourceOptions.Resolve(name, parse.GetValue(wa), parse.GetValue(oa), set, s, weightsRequired: true, weightsOption: "--a", onnxOption: "--onnx-a");
            var b = ModelSourceOptions.Resolve(name, parse.GetValue(wb), parse.GetValue(ob), set, s, weightsRequired: true, weightsOption: "--b", onnxOption: "--onnx-b");
            string ls = parse.GetValue(layers)!;
            var namesA = ls == "all" ? LayerTaps.Names(a.Module, new Var(set.Images(1))).ToList() : Split(ls);
            var namesB = parse.GetValue(layersB) is { } lb ? Split(lb) : namesA;
            n = Math.Min(n, set.Count);
            var images = Enumerable.Range(0, n).Select(i => set.Images(new[] { i }).Reshape(set.Channels, set.Height, set.Width)).ToList();
            // Noise directions are seeded per image, so A and B see the same ones; the adversarial direction is each model's own.
            IReadOnlyList<FrameDirection> Dirs(Module m, Tensor x, int i)
            {
                var d = FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, nNoise, new Rng((ulong)(s + 1) * 1000003UL + (ulong)i))).ToList();
                if (adv) d.Add(FrameDirections.Adversarial(m, x, set.Labels[i]));
                return d;
            }
            var rows = FrameComparison.Compare(a.Module, b.Module, images, (x, i) => Dirs(a.Module, x, i), namesA, namesB, (x, i) => Dirs(b.Module, x, i));
            static JsonNode? N(double? v) => v is double d ? JsonValue.Create(d) : null;
            static JsonObject Stats(FrameLayerSummary f) => new()
            {
                ["layer"] = f.Layer,
                ["augmentation_norm"] = N(f.AugmentationNorm),
                ["noise_norm"] = N(f.NoiseNorm),
                ["adversarial_norm"] = N(f.AdversarialNorm),
                ["effective_rank"] = f.EffectiveRank,
                ["mean_angle"] = N(f.MeanAngle),
            };
            var root = new JsonObject
            {
                ["a"] = a.Label,
                ["b"] = b.Label,
                ["images"] = n,
                ["layers"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["a"] = Stats(r.A),
                    ["b"] = Stats(r.B),
                    ["difference"] = new JsonObject
                    {
                        ["augmentation_norm"] = N(r.AugmentationNormDifference),
                        ["noise_norm"] = N(r.NoiseNormDifference),
                        ["adversarial_norm"] = N(r.AdversarialNormDifference),
                        ["effective_rank"] = r.EffectiveRankDifference,
                        ["mean_angle"] = N(r.MeanAngleDifference),
                    },
                }).ToArray()),
            };
            AtomicFile.WriteAllText(parse.GetValue(outPath)!, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("layer\taug_norm_a\taug_norm_b\tnoise_norm_a\tnoise_norm_b\teff_rank_a\teff_rank_b");
            static string F(double? v) => v is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : "-";
            foreach (var r in rows)
                o.WriteLine($"{r.A.Layer}\t{F(r.A.AugmentationNorm)}\t{F(r.B.AugmentationNorm)}\t{F(r.A.NoiseNorm)}\t{F(r.B.NoiseNorm)}\t{F(r.A.EffectiveRank)}\t{F(r.B.EffectiveRank)}");
            return 0;
        });
        return cmd;
    }

    private static List<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
