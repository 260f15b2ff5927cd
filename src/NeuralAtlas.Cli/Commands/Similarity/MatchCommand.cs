using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.IO;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary><c>atlas match A.npz B.npz</c>: neuron matching (correlation + Hungarian) of each shared layer of two runs.</summary>
public sealed class MatchCommand : ICliCommand
{
    public Command Create()
    {
        var a = new Argument<string>("a") { Description = "Activations of the first network (.npz from 'atlas activations', one [N, ...] array per layer)." };
        var b = new Argument<string>("b") { Description = "Activations of the second network on the same N inputs, with the same layer names." };
        var layers = new Option<string>("--layers", "-l") { Description = "'all' (every floating-point array present in both files, except inputs) or comma-separated layer names.", DefaultValueFactory = _ => "all" };
        var conv = new Option<string>("--conv")
        {
            Description = "Units of (n, c, h, w) layers: 'channels' (each channel a unit, positions as extra samples) or 'flatten' (each of c·h·w values a unit).",
            DefaultValueFactory = _ => "channels",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON (per layer: mean matched and identity correlation, the matching) instead of lines." };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the JSON result to this file (atomically)." };
        var cmd = new Command("match",
            "Match the units of each layer across two networks (Pearson correlation over the inputs, Hungarian assignment) and print, per layer, " +
            "the mean correlation of matched units and of units in their given order: 'layer<TAB>matched<TAB>identity<TAB>units'.");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        cmd.Subcommands.Add(MatchFrozenCommand.Create());
        foreach (var o in new Option[] { layers, conv, json, outPath }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            string pa = parse.GetValue(a)!, pb = parse.GetValue(b)!;
            var layout = parse.GetValue(conv) switch
            {
                "channels" => ConvLayout.SpatialAsSamples,
                "flatten" => ConvLayout.Flatten,
                var s => throw new AtlasArgumentException("--conv", $"expected channels or flatten, got '{s}'"),
            };
            var fa = Npz.Read(pa);
            var fb = Npz.Read(pb);
            string spec = parse.GetValue(layers)!;
            List<string> names = spec.Trim() == "all"
                ? fa.Where(kv => kv.Key is not ("labels" or "inputs") && kv.Value.DType.ToString().StartsWith("Float", StringComparison.Ordinal) && kv.Value.Rank >= 2 && fb.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList()
                : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (names.Count == 0) throw new AtlasArgumentException("--layers", $"no layer is present in both {pa} and {pb}");
            var results = new JsonArray();
            bool printJson = parse.GetValue(json);
            if (!printJson) o.WriteLine("layer\tmatched\tidentity\tunits");
            foreach (var name in names)
            {
                if (!fa.TryGetValue(name, out var xa)) throw new AtlasArgumentException("--layers", $"{pa} has no layer '{name}'; it holds: {string.Join(", ", fa.Keys)}");
                if (!fb.TryGetValue(name, out var xb)) throw new AtlasArgumentException("--layers", $"{pb} has no layer '{name}'; it holds: {string.Join(", ", fb.Keys)}");
                var x = ActivationLayout.ToMatrix(xa.ToDoubles(), xa.Shape, layout);
                var y = ActivationLayout.ToMatrix(xb.ToDoubles(), xb.Shape, layout);
                NeuronMatch m;
                try { m = NeuronMatching.Match(x, y); }
                catch (AtlasArgumentException e) { throw new AtlasArgumentException(name, e.Message); }
                catch (ShapeMismatchException e) { throw new AtlasArgumentException(name, e.Message); }
                results.Add(new JsonObject
                {
                    ["layer"] = name,
                    ["units_a"] = x.Cols,
                    ["units_b"] = y.Cols,
                    ["mean_matched_correlation"] = m.MeanMatchedCorrelation,
                    ["mean_identity_correlation"] = m.MeanIdentityCorrelation,
                    ["dead_units_a"] = m.DeadUnitsX,
                    ["dead_units_b"] = m.DeadUnitsY,
                    ["assignment"] = new JsonArray(m.Assignment.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
                    ["matched_correlations"] = new JsonArray(m.MatchedCorrelations.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
                });
                if (!printJson)
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{m.MeanMatchedCorrelation:F6}\t{m.MeanIdentityCorrelation:F6}\t{x.Cols}") +
                                (m.DeadUnitsX + m.DeadUnitsY > 0 ? $"\t(dead units counted as 0: {m.DeadUnitsX} in A, {m.DeadUnitsY} in B)" : ""));
            }
            var root = new JsonObject { ["a"] = pa, ["b"] = pb, ["layers"] = results };
            string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            if (printJson) o.WriteLine(text);
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, text + "\n");
            return 0;
        });
        return cmd;
    }
}
