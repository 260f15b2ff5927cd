using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.IO;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Cli.Commands.Similarity;

/// <summary>
/// <c>atlas compare X Y --measure M1,M2</c>: representation similarity of two activation arrays (.npy), or the
/// layer × layer matrix of two activation files (.npz from 'atlas activations').
/// </summary>
public sealed class CompareCommand : ICliCommand
{
    private static readonly string[] NonActivationKeys = { "labels", "inputs" };

    public Command Create()
    {
        var x = new Argument<string>("x") { Description = "First representation: an .npy of shape (n, d) or (n, c, h, w), or an .npz of layers (e.g. from 'atlas activations')." };
        var y = new Argument<string>("y") { Description = "Second representation, of the same n inputs in the same order: .npy, or .npz (may be the same file as X)." };
        var measures = new Option<string>("--measure", "-m")
        {
            Description = "Comma-separated measures, each 'name' or 'name:key=value:...': " + string.Join(", ", SimilarityMeasures.Names) +
                          ". Parameters: rbf-cka:threshold=1.0, minibatch-cka:batch=256, svcca:keep=0.99, shape-metric:alpha=1.0:score=angular|euclidean, " +
                          "rsa:rdm=correlation|euclidean:compare=spearman|pearson. 'all' = every measure with defaults.",
            DefaultValueFactory = _ => "linear-cka",
        };
        var conv = new Option<string>("--conv")
        {
            Description = "How (n, c, h, w) activations become a matrix: 'flatten' (n × c·h·w; channel-aware G_ReLU/O(n) measures still match channels) " +
                          "or 'spatial' (every input and position a sample: (n·h·w) × c).",
            DefaultValueFactory = _ => "flatten",
        };
        var layers = new Option<string>("--layers", "-l") { Description = ".npz only: 'all' (every array of rank ≥ 1 except labels/inputs) or comma-separated keys of X.", DefaultValueFactory = _ => "all" };
        var layersY = new Option<string?>("--layers-y") { Description = ".npz only: keys of Y (default: the same as --layers)." };
        var json = new Option<bool>("--json") { Description = "Print JSON (values and each measure's declared traits) instead of 'measure<TAB>value' lines." };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the JSON result to this file (atomically); for .npz inputs, the layer × layer matrices." };
        var svg = new Option<string?>("--svg") { Description = ".npz only: draw the first measure's layer × layer matrix as an SVG heatmap." };
        var cmd = new Command("compare",
            "Representation similarity (CKA, CCA family, Procrustes, shape metrics, RSA, G_ReLU measures) between two activation arrays, " +
            "or layer × layer between two activation files. Prints 'measure<TAB>value' per measure; for .npz, one matrix per measure.");
        cmd.Arguments.Add(x);
        cmd.Arguments.Add(y);
        foreach (var o in new Option[] { measures, conv, layers, layersY, json, outPath, svg }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            string px = parse.GetValue(x)!, py = parse.GetValue(y)!;
            var layout = parse.GetValue(conv) switch
            {
                "flatten" => ConvLayout.Flatten,
                "spatial" => ConvLayout.SpatialAsSamples,
                var s => throw new AtlasArgumentException("--conv", $"expected flatten or spatial, got '{s}'"),
            };
            var specs = ParseMeasures(parse.GetValue(measures)!);
            bool npzX = IsNpz(px), npzY = IsNpz(py);
            if (npzX != npzY) throw new AtlasArgumentException("y", "compare two .npy arrays or two .npz activation files, not one of each");
            JsonNode result = npzX
                ? CompareLayers(o, px, py, specs, layout, parse.GetValue(layers)!, parse.GetValue(layersY), parse.GetValue(json), parse.GetValue(svg))
                : CompareArrays(o, px, py, specs, layout, parse.GetValue(json));
            string? outFile = parse.GetValue(outPath);
            if (outFile is not null) AtomicFile.WriteAllText(outFile, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return 0;
        });
        return cmd;
    }

    private static bool IsNpz(string path) => path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    private static List<(string Spec, SimilarityMeasure Measure)> ParseMeasures(string text)
    {
        if (text.Trim() == "all") return SimilarityMeasures.Names.Select(n => (n, SimilarityMeasures.Create(n))).ToList();
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (s, SimilarityMeasures.Create(s))).ToList();
        if (list.Count == 0) throw new AtlasArgumentException("--measure", "no measure given; known: " + string.Join(", ", SimilarityMeasures.Names));
        return list;
    }

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static JsonNode CompareArrays(TextWriter o, string px, string py, List<(string Spec, SimilarityMeasure Measure)> specs, ConvLayout layout, bool json)
    {
        var a = LayerActivations.FromArray(Path.GetFileName(px), Npy.Read(px), layout);
        var b = LayerActivations.FromArray(Path.GetFileName(py), Npy.Read(py), layout);
        var results = new JsonArray();
        foreach (var (spec, m) in specs)
        {
            double v = LayerActivations.Compare(m, a, b);
            results.Add(new JsonObject { ["measure"] = spec, ["value"] = v, ["traits"] = LayerSimilarityMatrix.TraitsJson(m.Traits) });
            if (!json) o.WriteLine($"{spec}\t{Fmt(v)}");
        }
        var root = new JsonObject
        {
            ["x"] = px,
            ["y"] = py,
            ["samples"] = a.Matrix.Rows,
            ["x_features"] = a.Matrix.Cols,
            ["y_features"] = b.Matrix.Cols,
            ["layout"] = layout == ConvLayout.Flatten ? "flatten" : "spatial",
            ["results"] = results,
        };
        if (json) o.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return root;
    }

    private static JsonNode CompareLayers(TextWriter o, string px, string py, List<(string Spec, SimilarityMeasure Measure)> specs, ConvLayout layout,
        string layerSpec, string? layerSpecY, bool json, string? svgPath)
    {
        var fx = Npz.Read(px);
        bool same = Path.GetFullPath(px) == Path.GetFullPath(py);
        var fy = same ? fx : Npz.Read(py);
        var a = Select(fx, px, layerSpec, layout);
        var b = Select(fy, py, layerSpecY ?? layerSpec, layout);
        same = same && a.Select(l => l.Name).SequenceEqual(b.Select(l => l.Name));
        var matrices = new JsonArray();
        LayerSimilarityMatrix? first = null;
        foreach (var (spec, m) in specs)
        {
            var r = LayerSimilarity.Compute(m, a, b, same, label: spec);
            first ??= r;
            matrices.Add(r.ToJson());
            if (!json)
            {
                o.WriteLine($"# {spec} ({(m.Traits.LargerIsMoreSimilar ? "larger is more similar" : "smaller is more similar")}); rows: {px}, columns: {py}");
                o.WriteLine("layer\t" + string.Join('\t', r.ColumnLayers));
                for (int i = 0; i < r.RowLayers.Length; i++)
                    o.WriteLine(r.RowLayers[i] + "\t" + string.Join('\t', Enumerable.Range(0, r.ColumnLayers.Length).Select(j => double.IsFinite(r.Values[i, j]) ? r.Values[i, j].ToString("F6", CultureInfo.InvariantCulture) : "error")));
                foreach (var (row, col, msg) in r.Errors.Where(e => !same || e.Row <= e.Column))
                    o.WriteLine($"# {r.RowLayers[row]} × {r.ColumnLayers[col]}: {msg}");
            }
        }
        var root = new JsonObject { ["x"] = px, ["y"] = py, ["samples"] = a[0].Matrix.Rows, ["layout"] = layout == ConvLayout.Flatten ? "flatten" : "spatial", ["matrices"] = matrices };
        if (json) o.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (svgPath is not null && first is not null)
        {
            var h = new Heatmap(first.Values, first.RowLayers, first.ColumnLayers)
            {
                Title = $"{first.Measure}: {Path.GetFileName(px)} × {Path.GetFileName(py)}",
                XLabel = Path.GetFileName(py),
                YLabel = Path.GetFileName(px),
                ValueLabel = first.Measure,
            };
            h.Save(svgPath);
        }
        return root;
    }

    private static List<LayerActivations> Select(OrderedDictionary<string, NdArray> file, string path, string spec, ConvLayout layout)
    {
        List<string> keys;
        if (spec.Trim() == "all")
            keys = file.Where(kv => !NonActivationKeys.Contains(kv.Key) && kv.Value.Rank >= 1 && kv.Value.DType.ToString().StartsWith("Float", StringComparison.Ordinal)).Select(kv => kv.Key).ToList();
        else
        {
            keys = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            foreach (var k in keys)
                if (!file.ContainsKey(k))
                    throw new AtlasArgumentException("--layers", $"{path} has no array '{k}'; it holds: {string.Join(", ", file.Keys)}");
        }
        if (keys.Count == 0) throw new AtlasArgumentException("--layers", $"{path} holds no floating-point activation arrays");
        return keys.Select(k => LayerActivations.FromArray(k, file[k], layout)).ToList();
    }
}
