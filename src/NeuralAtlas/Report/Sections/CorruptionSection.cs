using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Corruptions;

namespace NeuralAtlas.Report.Sections;

/// <summary>Accuracy of each model on the 15 common corruptions (severities 1, 3, 5; only 3 with --quick).</summary>
public static class CorruptionSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var test = ctx.Data.Test.Take(Math.Min(ctx.Options.RobustnessImages, ctx.Data.Test.Count));
        var images = test.Images();
        var labels = test.Labels.ToArray();
        int[] severities = ctx.Options.Quick ? new[] { 3 } : new[] { 1, 3, 5 };
        var reports = new List<(ReportModel M, CorruptionReport R)>();
        int k = 0;
        foreach (var m in ctx.Models)
        {
            int mi = k++;
            reports.Add((m, CorruptionEvaluation.Evaluate(m.Module, images, labels, CorruptionCatalog.Common, severities, ctx.Options.Seed,
                (done, total) => advance((mi + done / (double)total) / ctx.Models.Count))));
        }
        var names = CorruptionCatalog.Common.Select(c => c.Name).ToArray();
        var chart = new BarChart(names.Prepend("clean")) { Title = "Accuracy under corruption", YLabel = "accuracy (mean over severities)", YRange = (0, 1) };
        foreach (var (m, r) in reports)
            chart.Series(m.Label, names.Select(n => r.AccuracyByCorruption[n]).Prepend(r.CleanAccuracy).ToArray());
        chart.Width = 900;
        chart.Bottom = 110;
        s.Figure($"Accuracy on {images.Shape[0]} test images per corruption, {(severities.Length == 1 ? $"at severity {severities[0]}" : $"averaged over severities {string.Join(", ", severities)}")}.", chart);
        var first = reports[0].R;
        s.Table($"Accuracy of {reports[0].M.Label} by corruption and severity", new[] { "corruption", "family" }.Concat(severities.Select(v => $"severity {v}")).ToArray(),
            names.Select(n => (IReadOnlyList<object>)new object[] { n, first.Scores.First(x => x.Corruption == n).Family }
                .Concat(severities.Select(v => (object)first.Scores.First(x => x.Corruption == n && x.Severity == v).Accuracy)).ToArray()));
        foreach (var (m, r) in reports)
            s.Values[m.Label] = new JsonObject
            {
                ["clean"] = r.CleanAccuracy, ["mean"] = r.MeanAccuracy,
                ["scores"] = new JsonArray(r.Scores.Select(x => (JsonNode)new JsonObject { ["corruption"] = x.Corruption, ["severity"] = x.Severity, ["accuracy"] = x.Accuracy }).ToArray()),
            };
        if (reports.Count > 1)
        {
            double mce = reports[1].R.MeanCorruptionError(reports[0].R);
            s.Values["mce_seed2_vs_seed1"] = ReportValues.Number(mce);
        }
        s.Reading = "The same test images after 15 common corruptions (noise, blur, weather, digital) at increasing severity. " +
                    "A drop from the clean bar shows what the model has not learned to ignore; noise and blur usually hurt most for " +
                    "models trained without augmentation.";
    }
}
