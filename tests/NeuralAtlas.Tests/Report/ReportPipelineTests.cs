using System.Globalization;
using System.Text.Json.Nodes;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Report;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Report;

/// <summary>The whole report on a small configuration: every section, numbers equal to the library's, the browser view.</summary>
[Trait("Category", "Slow")]
public class ReportPipelineTests
{
    private static readonly ReportOptions Small = new()
    {
        Model = "mlp", Data = "synthetic", Quick = true, Seeds = 2, EpochsOverride = 1, TrainLimit = 600, AnalysisLimit = 120, RobustnessLimit = 40,
    };

    [Fact]
    public async Task FullReportRendersAndItsNumbersAreTheLibrarysNumbers()
    {
        ReportContext? ctx = null;
        var report = ReportPipeline.Run(Small, null, c => ctx = c);
        Assert.All(report.Sections, s => Assert.True(s.Status == SectionStatus.Ok, $"{s.Id}: {s.Reason}"));
        Assert.Equal(ReportPipeline.Stages.Count + 1, report.Sections.Count);
        var json = report.ToJson();

        // Numbers drawn equal the library calls that made them, recomputed here from the same activations.
        var m0 = ctx!.Models[0];
        var layer0 = m0.Activations[0];
        var id = IntrinsicDimension.Estimate(DMatrix.FromTensor(layer0.Activations), IdEstimator.TwoNN,
            new IdOptions { Bootstrap = 20, Seed = 0, Duplicates = DuplicatePolicy.Remove });
        Assert.Equal(id.Value, json["sections"]!["dimension"]!["values"]![m0.Label]!["twonn"]![0]!.GetValue<double>());
        var a = LayerActivations.FromArray(layer0.Layer, NdArray.FromTensor(layer0.Activations), ConvLayout.Flatten);
        var b = LayerActivations.FromArray(m0.Activations[1].Layer, NdArray.FromTensor(m0.Activations[1].Activations), ConvLayout.Flatten);
        double cka = LayerActivations.Compare(SimilarityMeasures.Create("linear-cka"), a, b);
        Assert.Equal(cka, json["sections"]!["similarity"]!["values"]!["within"]![0]![1]!.GetValue<double>());
        Assert.Equal(m0.TestAccuracy, json["sections"]!["training"]!["values"]!["test_accuracy"]![0]!.GetValue<double>());

        // The HTML shows the same numbers as the JSON, cell by cell.
        string html = report.ToHtml();
        var doc = ReportDocumentTests.ParseHtml(html);
        var tables = doc.Descendants().Where(e => e.Name.LocalName == "table").ToList();
        int checkedCells = 0;
        foreach (var (sectionId, section) in json["sections"]!.AsObject())
        {
            var htmlSection = doc.Descendants().First(e => e.Name.LocalName == "section" && e.Attribute("id")?.Value == sectionId);
            var htmlTables = htmlSection.Descendants().Where(e => e.Name.LocalName == "table").ToList();
            var jsonTables = section!["tables"]!.AsArray();
            Assert.Equal(jsonTables.Count, htmlTables.Count);
            for (int t = 0; t < jsonTables.Count; t++)
            {
                var rows = htmlTables[t].Descendants().Where(e => e.Name.LocalName == "tr").Skip(1).ToList();
                var jrows = jsonTables[t]!["rows"]!.AsArray();
                Assert.Equal(jrows.Count, rows.Count);
                for (int r = 0; r < rows.Count; r++)
                {
                    var cells = rows[r].Elements().ToList();
                    var jcells = jrows[r]!.AsArray();
                    for (int c = 0; c < cells.Count; c++)
                    {
                        var dv = cells[c].Attribute("data-value");
                        if (dv is null) continue;
                        var jv = jcells[c];
                        if (jv is null) { Assert.Contains(dv.Value, new[] { "NaN", "Infinity", "-Infinity" }); continue; }
                        Assert.Equal(double.Parse(jv.ToJsonString(), CultureInfo.InvariantCulture), double.Parse(dv.Value, CultureInfo.InvariantCulture));
                        checkedCells++;
                    }
                }
            }
        }
        Assert.True(checkedCells > 50, $"only {checkedCells} numeric cells");

        using var dir = new TempDir();
        string path = dir.File("report.html");
        report.Save(path);
        int figures = await ReportBrowserTests.CheckInBrowser(path, dir.File("report.png"));
        Assert.True(figures >= 12, $"{figures} figures");
        string keep = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png");
        File.Copy(dir.File("report.png"), keep, overwrite: true);
    }

    [Fact]
    public void MismatchedWeightsFailTheFirstSectionAndTheReportStillExplains()
    {
        using var dir = new TempDir();
        var spec = new NeuralAtlas.Nn.Zoo.ModelSpec("mlp", 1, 28, 10);
        // A bare state dict (no metadata naming the model, as PyTorch writes it) of the wrong architecture.
        NeuralAtlas.IO.Checkpoint.Save(dir.File("mlp.safetensors"), spec.Create(new NeuralAtlas.Tensors.Rng(0)).StateDict());
        var r = CliRunner.Run("report", "--model", "cnn", "--weights", dir.File("mlp.safetensors"), "--data", "synthetic", "--quick", "--out", dir.File("r.html"));
        Assert.Equal(1, r.ExitCode);
        Assert.True(File.Exists(dir.File("r.html")));
        var json = JsonNode.Parse(File.ReadAllText(dir.File("r.json")))!;
        Assert.Equal("failed", json["sections"]!["training"]!["status"]!.GetValue<string>());
        Assert.Contains("conv1.weight", json["sections"]!["training"]!["reason"]!.GetValue<string>());
        Assert.Contains("This section failed", File.ReadAllText(dir.File("r.html")));
    }
}
