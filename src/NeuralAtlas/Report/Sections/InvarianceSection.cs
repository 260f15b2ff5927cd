using System.Text.Json.Nodes;
using NeuralAtlas.Geometry;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Sections;

/// <summary>Normalised invariance deviation per layer of the first model under rotations, a flip and a shift.</summary>
public static class InvarianceSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance) =>
        ImportedGraphs.Guard(ctx.Models[0], s, "the invariance analysis", () => Run(ctx, s, advance));

    private static void Run(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m0 = ctx.Models[0];
        int n = Math.Min(ctx.Options.Quick ? 100 : 300, ctx.AnalysisImages.Shape[0]);
        var images = Ops.Narrow(ctx.AnalysisImages, 0, 0, n);
        var labels = ctx.AnalysisLabels.Take(n).ToArray();
        var actions = new[] { ImageAction.Rotate90(1), ImageAction.Rotate90(2), ImageAction.FlipHorizontal(), ImageAction.Shift(2, 0) };
        var layers = m0.Layers.ToList();
        var results = InvarianceMetrics.Compute(m0.Module, images, labels, actions, layers);
        advance(0.9);

        var chart = new XYChart { Title = "Invariance deviation per layer", XLabel = "layer", YLabel = "deviation (0 = invariant, 1 = as far as another input)",
            XTickLabels = layers.ToArray() };
        var x = Enumerable.Range(0, layers.Count).Select(i => (double)i).ToArray();
        foreach (var r in results) chart.Line(x, r.Layers.Select(l => l.Invariance).ToArray(), r.Action);
        s.Figure($"Invariance deviation of {m0.Label} on {n} analysis images: mean ‖f(g·x) − f(x)‖ over the mean distance between different inputs.", chart);
        s.Table("Invariance deviation per layer and action", new[] { "layer" }.Concat(results.Select(r => r.Action)).ToArray(),
            layers.Select((l, i) => (IReadOnlyList<object>)new object[] { l }.Concat(results.Select(r => (object)r.Layers[i].Invariance)).ToArray()));
        s.Table("Accuracy on transformed inputs", new[] { "action", "accuracy", "baseline accuracy" },
            results.Select(r => (IReadOnlyList<object>)new object[] { r.Action, r.Accuracy is double a ? a : "-", r.BaselineAccuracy is double b ? b : "-" }));
        s.Values["model"] = m0.Label;
        s.Values["layers"] = ReportValues.Strings(layers);
        foreach (var r in results)
            s.Values[r.Action] = new JsonObject
            {
                ["invariance"] = ReportValues.Array(r.Layers.Select(l => l.Invariance)),
                ["equivariance"] = new JsonArray(r.Layers.Select(l => l.Equivariance is double e ? ReportValues.Number(e) : null).ToArray()),
                ["accuracy"] = r.Accuracy is double a ? ReportValues.Number(a) : null,
                ["baseline_accuracy"] = r.BaselineAccuracy is double b ? ReportValues.Number(b) : null,
            };
        s.Reading = "How far each layer's representation moves when the input is rotated, flipped or shifted, measured against how far " +
                    "apart two different inputs are. A curve that falls towards the output means the network learns to ignore that " +
                    "transformation; one that stays near 1 means the transformed image looks like a different input to it, and the " +
                    "accuracy table shows whether that costs predictions.";
    }
}
