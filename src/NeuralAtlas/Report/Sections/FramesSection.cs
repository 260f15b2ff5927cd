using System.Text.Json.Nodes;
using NeuralAtlas.Geometry;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Sections;

/// <summary>Neural frames of the first model: how augmentation, noise and adversarial directions are carried layer by layer.</summary>
public static class FramesSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance) =>
        ImportedGraphs.Guard(ctx.Models[0], s, "neural frames", () => Run(ctx, s, advance));

    private static void Run(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m0 = ctx.Models[0];
        int n = Math.Min(ctx.Options.Quick ? 4 : 16, ctx.AnalysisImages.Shape[0]);
        var layers = m0.Layers.ToList();
        var rng = new Rng((ulong)ctx.Options.Seed);
        // Per group and layer, the mean relative norm over directions and images; per layer the mean effective rank.
        var norms = new Dictionary<string, double[]>();
        var counts = new Dictionary<string, int[]>();
        var rank = new double[layers.Count];
        int directions = 0;
        for (int i = 0; i < n; i++)
        {
            var image = Ops.Narrow(ctx.AnalysisImages, 0, i, 1);
            var dirs = FrameDirections.Augmentations(image).Concat(FrameDirections.Noise(image, 7, rng))
                .Append(FrameDirections.Adversarial(m0.Module, image, ctx.AnalysisLabels[i])).ToList();
            directions = dirs.Count;
            var r = NeuralFrames.Compute(m0.Module, image, dirs, layers);
            for (int l = 0; l < layers.Count; l++)
            {
                rank[l] += r.Layers[l].EffectiveRank / n;
                for (int d = 0; d < dirs.Count; d++)
                {
                    string g = dirs[d].Group;
                    if (!norms.ContainsKey(g)) { norms[g] = new double[layers.Count]; counts[g] = new int[layers.Count]; }
                    norms[g][l] += r.Layers[l].RelativeNorms[d];
                    counts[g][l]++;
                }
            }
            advance((i + 1.0) / n);
        }
        foreach (var g in norms.Keys) for (int l = 0; l < layers.Count; l++) norms[g][l] /= Math.Max(counts[g][l], 1);

        var x = Enumerable.Range(0, layers.Count).Select(i => (double)i).ToArray();
        var chart = new XYChart { Title = "Frame norms per layer", XLabel = "layer", YLabel = "‖J_ℓ v‖ / ‖v‖ (mean)", LogY = true, XTickLabels = layers.ToArray() };
        foreach (var (g, v) in norms) chart.Line(x, v.Select(z => Math.Max(z, 1e-12)).ToArray(), g);
        s.Figure($"How much each kind of unit input direction is amplified at each layer of {m0.Label} (Jacobian–vector products, mean over {n} images).", chart);
        var rankChart = new BarChart(layers) { Title = "Effective rank of the frame", YLabel = $"effective rank (of {directions} directions)" };
        rankChart.Series("effective rank", rank);
        s.Figure("Effective rank (exponential of the entropy of the normalised singular values) of the pushed-forward frame per layer.", rankChart);
        var groups = norms.Keys.ToArray();
        s.Table("Mean relative norm per layer and direction group, and the frame's effective rank", new[] { "layer" }.Concat(groups).Append("effective rank").ToArray(),
            layers.Select((l, i) => (IReadOnlyList<object>)new object[] { l }.Concat(groups.Select(g => (object)norms[g][i])).Append(rank[i]).ToArray()));
        s.Values["model"] = m0.Label;
        s.Values["images"] = n;
        s.Values["layers"] = ReportValues.Strings(layers);
        s.Values["effective_rank"] = ReportValues.Array(rank);
        s.Values["relative_norms"] = new JsonObject(norms.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, ReportValues.Array(kv.Value))));
        s.Reading = "A frame is a set of small input changes (augmentations such as rotation or brightness, random noise, and the " +
                    "adversarial gradient) followed through the network. Directions whose norm shrinks layer by layer are being ignored; " +
                    "the adversarial direction usually grows the most, and a falling effective rank means the layers squeeze the frame " +
                    "into fewer independent directions.";
    }
}
