using System.Text.Json.Nodes;
using NeuralAtlas.Autograd;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Similarity;
using NeuralAtlas.Symmetry;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Sections;

/// <summary>
/// A random ReLU intertwiner (positive-scaled channel permutations at every hidden site) applied to the first model:
/// the function must not change while the representations do, which is what G_ReLU-aware measures are for.
/// </summary>
public static class IntertwinerSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m0 = ctx.Models[0];
        var moved = m0.Graph is null ? Zoo(ctx, m0, s) : Imported(ctx, m0, s);
        if (moved is null) return; // skipped, with the reason
        var (sites, transformed) = moved.Value;
        transformed.Eval();
        m0.Module.Eval();
        advance(0.2);

        var images = ctx.AnalysisImages;
        float[] y0 = Outputs(m0.Module, images), y1 = Outputs(transformed, images);
        double maxDiff = 0, maxOut = 0;
        for (int i = 0; i < y0.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(y0[i] - y1[i]));
            maxOut = Math.Max(maxOut, Math.Abs(y0[i]));
        }
        advance(0.4);

        var a0 = TrainingSection.Capture(m0.Module, images, m0.Layers);
        var a1 = TrainingSection.Capture(transformed, images, m0.Layers);
        var layers = new List<string>();
        var rel = new List<double>();
        var cka = new List<double>();
        var grelu = new List<double>();
        for (int l = 0; l < a0.Count; l++)
        {
            var (name, ta) = a0[l];
            var tb = a1[l].Item2;
            if (ta.Rank < 2) continue;
            int positions = ta.Rank == 4 ? ta.Shape[2] * ta.Shape[3] : 1;
            var xa = DMatrix.FromTensor(ta);
            var xb = DMatrix.FromTensor(tb);
            double num = 0, den = 0;
            for (int i = 0; i < xa.Data.Length; i++) { num += Math.Pow(xa.Data[i] - xb.Data[i], 2); den += xa.Data[i] * xa.Data[i]; }
            layers.Add(name);
            rel.Add(den > 0 ? Math.Sqrt(num / den) : double.NaN);
            cka.Add(Safe(() => new LinearCka().Compute(xa, xb)));
            grelu.Add(Safe(() => new GReluProcrustes().Compute(xa, positions, xb, positions)));
            advance(0.4 + 0.6 * (l + 1) / a0.Count);
        }

        var chart = new BarChart(layers) { Title = "Raw change of each representation", YLabel = "‖ΔH‖ / ‖H‖" };
        chart.Series("relative change", rel.Select(v => double.IsFinite(v) ? v : 0).ToArray());
        s.Figure($"{m0.Label} and the same network after a random ReLU intertwiner at its {sites.Count} hidden sites " +
                 $"({string.Join(", ", sites.Select(x => $"{x.Name}: {x.Channels}"))}), on {images.Shape[0]} analysis images. " +
                 $"Max output difference {maxDiff:E2} (max |output| {maxOut:F3}).", chart);
        var gap = new BarChart(layers) { Title = "Dissimilarity seen by each measure", YLabel = "1 − similarity" };
        gap.Series("1 − linear CKA", cka.Select(v => double.IsFinite(v) ? 1 - v : 0).ToArray());
        gap.Series("1 − G_ReLU-Procrustes", grelu.Select(v => double.IsFinite(v) ? 1 - v : 0).ToArray());
        s.Figure("The same pairs of representations through two similarity measures: linear CKA is invariant to orthogonal maps and " +
                 "isotropic scaling but not to per-channel scaling; G_ReLU-Procrustes is invariant to the whole ReLU group, so its bars should vanish.", gap);
        s.Table("Representation change per layer under the intertwiner", new[] { "layer", "relative change", "linear CKA", "G_ReLU-Procrustes" },
            layers.Select((n, i) => (IReadOnlyList<object>)new object[] { n, Cell(rel[i]), Cell(cka[i]), Cell(grelu[i]) }));
        s.Table("Function difference", new[] { "quantity", "value" }, new IReadOnlyList<object>[]
        {
            new object[] { "max |output difference|", maxDiff },
            new object[] { "max |output|", maxOut },
            new object[] { "intertwiner sites", sites.Count },
        });
        s.Values["model"] = m0.Label;
        s.Values["max_output_difference"] = ReportValues.Number(maxDiff);
        s.Values["max_output"] = ReportValues.Number(maxOut);
        s.Values["sites"] = ReportValues.Strings(sites.Select(x => x.Name));
        s.Values["layers"] = ReportValues.Strings(layers);
        s.Values["relative_change"] = ReportValues.Array(rel);
        s.Values["linear_cka"] = ReportValues.Array(cka);
        s.Values["grelu_procrustes"] = ReportValues.Array(grelu);
        s.Reading = "Scaling each hidden ReLU channel by a positive number and permuting the channels, then undoing it in the next layer, " +
                    "gives a network that computes exactly the same function (the output difference is float32 rounding) but whose " +
                    "hidden layers look different. Measures that are not invariant to this symmetry (the raw relative change, and linear CKA, " +
                    "which the uneven channel scales move) report a change that is not really there; G_ReLU-Procrustes, which matches and " +
                    "normalises channels, stays at 1. The output layer is not intertwined, so its change is only rounding.";
    }

    /// <summary>A zoo model: the architecture's channel sites on its state dict, loaded into a second instance.</summary>
    private static (List<ChannelSite>, Module)? Zoo(ReportContext ctx, ReportModel m0, ReportSection s)
    {
        var group = IntertwinerGroup.For("relu");
        var state = m0.Module.StateDict();
        List<ChannelSite>? sites = ctx.Options.Model switch
        {
            "mlp" => ZooSites.Mlp(state),
            "cnn" => ZooSites.Cnn(state, group),
            "resnet20" => ZooSites.ResNet(state),
            _ => null,
        };
        if (sites is null)
        {
            // Attention and LayerNorm are not channel-wise: the ReLU group does not act on this architecture.
            s.Skip($"no ReLU intertwiner sites are defined for '{ctx.Options.Model}' (attention and LayerNorm are not channel-wise); mlp, cnn and resnet20 are supported");
            return null;
        }
        var (moved, _) = ChannelIntertwiner.Apply(state, sites, group, new Rng((ulong)(ctx.Options.Seed + 1)));
        var train = ctx.Data.Train;
        var transformed = new ModelSpec(ctx.Options.Model, train.Channels, train.Height, train.ClassCount).Create(new Rng(0));
        transformed.LoadStateDict(moved);
        return (sites, transformed);
    }

    /// <summary>An imported graph: sites from its node structure (chains only); a graph without them is skipped with the reason.</summary>
    private static (List<ChannelSite>, Module)? Imported(ReportContext ctx, ReportModel m0, ReportSection s)
    {
        var graph = m0.Graph!;
        var shape = (int[])ctx.AnalysisImages.Shape.Clone();
        shape[0] = 1;
        OnnxSites plan;
        try { plan = OnnxSites.Find(graph.Model, OnnxProbe.ValueShapes(graph, shape)); }
        catch (AtlasArgumentException e)
        {
            s.Skip($"{m0.Label} has no intertwiner sites this analysis can use: {e.Message}");
            return null;
        }
        var copy = plan.Intertwine(graph.Model, new Rng((ulong)(ctx.Options.Seed + 1)));
        return (plan.Sites.ToList(), new Onnx.OnnxModule(copy));
    }

    private static object Cell(double v) => double.IsFinite(v) ? v : "-";

    private static double Safe(Func<double> f)
    {
        try { return f(); }
        catch (AtlasException) { return double.NaN; }
    }

    private static float[] Outputs(Module m, Tensor images)
    {
        using (GradMode.NoGrad())
        {
            int n = images.Shape[0], per = images.Numel / n;
            var outs = new List<float>();
            for (int start = 0; start < n; start += 256)
            {
                int b = Math.Min(256, n - start);
                var shape = (int[])images.Shape.Clone();
                shape[0] = b;
                outs.AddRange(m.Forward(new Var(new Tensor(shape, images.Data.AsSpan(start * per, b * per).ToArray()))).Value.Data);
            }
            return outs.ToArray();
        }
    }
}
