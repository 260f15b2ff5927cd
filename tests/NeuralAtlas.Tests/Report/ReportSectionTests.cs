using System.Diagnostics;
using System.Text.Json.Nodes;
using NeuralAtlas.Report;
using NeuralAtlas.Report.Sections;

namespace NeuralAtlas.Tests.Report;

/// <summary>The intertwiner and mathematical-data sections on a tiny trained MLP: their claims hold and their tables equal their JSON.</summary>
public class ReportSectionTests
{
    private static readonly Lazy<ReportContext> Tiny = new(() =>
    {
        var o = new ReportOptions
        {
            Model = "mlp", Data = "synthetic", Quick = true, Seeds = 1, EpochsOverride = 1, TrainLimit = 300, AnalysisLimit = 60, RobustnessLimit = 20,
        };
        var report = new AtlasReport { Title = "t" };
        var s = new ReportSection("training", "Training", "training.md");
        return TrainingSection.Build(o, report, s, _ => { });
    });

    private static (ReportSection Section, double Seconds) Run(string id, Action<ReportContext, ReportSection, Action<double>> body)
    {
        var s = new ReportSection(id, id, id + ".md");
        var ctx = Tiny.Value;
        var sw = Stopwatch.StartNew();
        double last = 0;
        body(ctx, s, f =>
        {
            Assert.InRange(f, last - 1e-12, 1 + 1e-12); // progress never goes back
            last = f;
        });
        return (s, sw.Elapsed.TotalSeconds);
    }

    [Fact]
    public void IntertwinerKeepsTheFunctionAndMovesTheRepresentations()
    {
        var (s, _) = Run("intertwiner", IntertwinerSection.Build);
        Assert.Equal(SectionStatus.Ok, s.Status);
        double diff = s.Values["max_output_difference"]!.GetValue<double>();
        double maxOut = s.Values["max_output"]!.GetValue<double>();
        Assert.True(maxOut > 0.1, $"outputs should not be trivially zero ({maxOut})");
        Assert.True(diff < 1e-4 * Math.Max(1, maxOut), $"function changed by {diff}");
        var rel = s.Values["relative_change"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var cka = s.Values["linear_cka"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var grelu = s.Values["grelu_procrustes"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.NotEmpty(rel);
        // Some hidden layer really moved (positive scalings change linear CKA), yet the G_ReLU-invariant measure does not see it.
        Assert.Contains(rel, r => r > 0.05);
        Assert.Contains(cka, c => c < 0.999);
        Assert.Contains(grelu.Zip(rel), p => p.Second > 0.05 && p.First > 0.999);
        AssertTablesMatch(s, 0, new[] { "relative_change", "linear_cka", "grelu_procrustes" });
        Assert.Equal(diff, (double)s.Tables[1].Rows[0][1]);
        Assert.Equal(2, s.Figures.Count(f => f.Svg.Contains("<svg")));
    }

    [Fact]
    public void MathDataMatchesPublishedClassSizesAndTheTwoChernMethodsAgree()
    {
        var (s, seconds) = Run("mathdata", MathDataSection.Build);
        Assert.Equal(SectionStatus.Ok, s.Status);
        Assert.True(seconds < 15, $"took {seconds:F1} s");
        // Torkildsen (2008): A1..A7 mutation classes have 1, 1, 4, 6, 19, 49, 150 quivers; Buan–Torkildsen (2009): D4 6, D5 26, D6 80.
        var published = new Dictionary<string, int> { ["A1"] = 1, ["A2"] = 1, ["A3"] = 4, ["A4"] = 6, ["A5"] = 19, ["A6"] = 49, ["A7"] = 150, ["D4"] = 6, ["D5"] = 26, ["D6"] = 80 };
        var quivers = s.Values["quivers"]!.AsArray();
        foreach (var (type, size) in published)
            Assert.Equal(size, quivers.First(q => q!["type"]!.GetValue<string>() == type)!["size"]!.GetValue<int>());
        var table = s.Tables.Single(t => t.Caption == "Quiver mutation classes");
        Assert.Equal(quivers.Count, table.Rows.Count);
        for (int i = 0; i < quivers.Count; i++) Assert.Equal(quivers[i]!["size"]!.GetValue<int>(), (int)table.Rows[i][2]);

        var h = s.Values["haldane"]!;
        int samples = h["samples"]!.GetValue<int>();
        Assert.Equal(100, samples);
        var counts = h["counts"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
        Assert.Equal(new[] { -2, -1, 0, 1, 2 }, h["classes"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray());
        Assert.All(counts, c => Assert.Equal(20, c)); // balanced
        Assert.Equal(samples, h["methods_agree"]!.GetValue<int>());
        Assert.Equal(samples, h["lattice_equals_label"]!.GetValue<int>());
        Assert.InRange(h["max_gap"]!.GetValue<double>(), 0, 0.2);
        var classTable = s.Tables[0];
        Assert.Equal(counts, classTable.Rows.Select(r => (int)r[1]).ToArray());
    }

    [Fact]
    public void FramesShowTheAdversarialDirectionGrowingMostAndTableEqualsJson()
    {
        var (s, seconds) = Run("frames", FramesSection.Build);
        Assert.Equal(SectionStatus.Ok, s.Status);
        Assert.True(seconds < 15, $"took {seconds:F1} s");
        var norms = s.Values["relative_norms"]!.AsObject();
        var adversarial = norms["adversarial"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var noise = norms["noise"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        // At the logits the loss gradient direction moves the output far more than a random unit direction.
        Assert.True(adversarial[^1] > 2 * noise[^1], $"adversarial {adversarial[^1]} vs noise {noise[^1]}");
        var rank = s.Values["effective_rank"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.All(rank, r => Assert.InRange(r, 1, 15));
        var table = s.Tables[0];
        var groups = table.Columns.Skip(1).Take(table.Columns.Count - 2).ToArray();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            for (int g = 0; g < groups.Length; g++) Assert.Equal(norms[groups[g]]![r]!.GetValue<double>(), (double)table.Rows[r][g + 1]);
            Assert.Equal(rank[r], (double)table.Rows[r][^1]);
        }
    }

    [Fact]
    public void InvarianceSectionEqualsTheLibraryCall()
    {
        var (s, seconds) = Run("invariance", InvarianceSection.Build);
        Assert.Equal(SectionStatus.Ok, s.Status);
        Assert.True(seconds < 15, $"took {seconds:F1} s");
        var ctx = Tiny.Value;
        var m = ctx.Models[0].Module;
        var layers = TrainingSection.AnalysisLayers(m);
        int n = Math.Min(100, ctx.AnalysisImages.Shape[0]);
        var direct = NeuralAtlas.Geometry.InvarianceMetrics.Compute(m, NeuralAtlas.Tensors.Ops.Narrow(ctx.AnalysisImages, 0, 0, n), ctx.AnalysisLabels.Take(n).ToArray(),
            new[] { NeuralAtlas.Geometry.ImageAction.Rotate90(2) }, layers)[0];
        var json = s.Values[direct.Action]!["invariance"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(direct.Layers.Select(l => l.Invariance).ToArray(), json);
        Assert.Contains(json, v => v > 0.01); // an MLP is not rotation invariant
        int col = s.Tables[0].Columns.ToList().IndexOf(direct.Action);
        Assert.Equal(json, s.Tables[0].Rows.Select(r => (double)r[col]).ToArray());
    }

    [Fact]
    public void FrequencySectionDrawsMapsAndProfilesThatEqualTheJson()
    {
        var (s, seconds) = Run("frequency", FrequencySection.Build);
        Assert.Equal(SectionStatus.Ok, s.Status);
        Assert.True(seconds < 15, $"took {seconds:F1} s");
        Assert.Equal(3, s.Figures.Count);
        var sens = s.Values["sensitivity_radial"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var power = s.Values["power_radial"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(sens, s.Tables[0].Rows.Select(r => (double)r[1]).ToArray());
        Assert.Equal(power, s.Tables[0].Rows.Select(r => (double)r[2]).ToArray());
        Assert.All(sens, v => Assert.True(v >= 0 && double.IsFinite(v)));
        Assert.Contains(sens, v => v > 0);
        Assert.InRange(s.Values["correlation"]!.GetValue<double>(), -1, 1);
        var images = Tiny.Value.AnalysisImages;
        Assert.Equal(images.Shape[2] * images.Shape[3], s.Values["sensitivity_map"]!.AsArray().Count);
        Assert.Equal(images.Shape[2] * images.Shape[3], s.Values["power_map"]!.AsArray().Count);
    }

    private static void AssertTablesMatch(ReportSection s, int table, string[] keys)
    {
        var rows = s.Tables[table].Rows;
        for (int k = 0; k < keys.Length; k++)
        {
            var values = s.Values[keys[k]]!.AsArray();
            Assert.Equal(values.Count, rows.Count);
            for (int r = 0; r < rows.Count; r++)
                if (values[r] is JsonNode v) Assert.Equal(v.GetValue<double>(), (double)rows[r][k + 1]);
                else Assert.Equal("-", rows[r][k + 1]);
        }
    }
}
