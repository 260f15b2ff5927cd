using System.Text.Json.Nodes;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Report;
using NeuralAtlas.Report.Sections;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Report;

/// <summary>The report on imported ONNX graphs: 'atlas export-onnx' of two zoo CNNs against the zoo models with the same weights.</summary>
public class ReportOnnxTests
{
    [Fact]
    public void ImportedCnnsGiveTheZooModelsNumbersAndSkipOnlyWithAReason()
    {
        using var dir = new TempDir();
        var zoo = new List<Module>();
        var files = new List<string>();
        for (int seed = 1; seed <= 2; seed++)
        {
            var net = ModelZoo.Create("cnn", 1, 28, 10, new Rng((ulong)seed));
            string w = dir.File($"cnn{seed}.safetensors"), m = dir.File($"cnn{seed}.onnx");
            ModelFile.Save(w, net, new ModelSpec("cnn", 1, 28, 10));
            Assert.Equal(0, CliRunner.Run("export-onnx", "--weights", w, "--out", m).ExitCode);
            net.Eval();
            zoo.Add(net);
            files.Add(m);
        }
        var options = new ReportOptions { Onnx = files, Data = "synthetic", Quick = true, AnalysisLimit = 60, RobustnessLimit = 20 };
        ReportContext? ctx = null;
        var report = ReportPipeline.Run(options, null, c => ctx = c);
        var json = report.ToJson();
        foreach (var s in report.Sections)
        {
            Assert.True(s.Status != SectionStatus.Failed, $"{s.Id}: {s.Reason}");
            if (s.Status == SectionStatus.Skipped) Assert.False(string.IsNullOrWhiteSpace(s.Reason));
        }
        // Sections that need no zoo-specific code run on the graphs.
        foreach (var id in new[] { "training", "dimension", "similarity", "topology", "mapper", "spectra", "corruptions", "attacks", "intertwiner", "frequency" })
            Assert.True(report.Sections.Single(s => s.Id == id).Status == SectionStatus.Ok, $"{id}: {report.Sections.Single(s => s.Id == id).Reason}");

        // The graphs' layers are the nodes standing for the zoo CNN's analysis layers, one for one.
        Assert.Equal(new[] { "/conv1/Conv", "/relu1/Relu", "/pool1/MaxPool", "/conv2/Conv", "/relu2/Relu", "/pool2/MaxPool", "/fc1/Gemm", "/relu3/Relu", "/fc2/Gemm" }, ctx!.Models[0].Layers);
        Assert.Equal(TrainingSection.AnalysisLayers(zoo[0]).Count, ctx.Models[0].Layers.Count);

        // A reference context: the zoo models with the same weights on the same images.
        var zctx = new ReportContext { Options = options with { Onnx = null, Model = "cnn" }, Data = ctx.Data, AnalysisImages = ctx.AnalysisImages, AnalysisLabels = ctx.AnalysisLabels };
        for (int i = 0; i < 2; i++)
        {
            var m = new ReportModel { Label = ctx.Models[i].Label, Module = zoo[i], Seed = i, TestAccuracy = Trainer.Evaluate(zoo[i], ctx.Data.Test) };
            m.Activations = TrainingSection.Capture(zoo[i], ctx.AnalysisImages);
            zctx.Models.Add(m);
            Assert.Equal(m.TestAccuracy, json["sections"]!["training"]!["values"]!["test_accuracy"]![i]!.GetValue<double>());
            for (int l = 0; l < m.Activations.Count; l++)
                Assert.Equal(m.Activations[l].Activations.Data, ctx.Models[i].Activations[l].Activations.Data);
        }
        JsonNode Values(Action<ReportContext, ReportSection, Action<double>> build)
        {
            var s = new ReportSection("x", "x", "x.md");
            build(zctx, s, _ => { });
            Assert.Equal(SectionStatus.Ok, s.Status);
            return JsonNode.Parse(s.Values.ToJsonString())!;
        }
        var label = ctx.Models[0].Label;
        Assert.Equal(Values(DimensionSection.Build)[label]!["twonn"]!.ToJsonString(), json["sections"]!["dimension"]!["values"]![label]!["twonn"]!.ToJsonString());
        var sim = Values(SimilaritySection.Build);
        foreach (var key in new[] { "within", "across", "across_grelu_diagonal" })
            Assert.Equal(sim[key]!.ToJsonString(), json["sections"]!["similarity"]!["values"]![key]!.ToJsonString());
        // The intertwiner found from the graph's nodes is the zoo's: same sites, same draws, same representation changes.
        var tw = Values(IntertwinerSection.Build);
        foreach (var key in new[] { "relative_change", "linear_cka", "grelu_procrustes" })
            Assert.Equal(tw[key]!.ToJsonString(), json["sections"]!["intertwiner"]!["values"]![key]!.ToJsonString());
        Assert.Equal(3, json["sections"]!["intertwiner"]!["values"]!["sites"]!.AsArray().Count);
        // Reshaped-weight spectra are the same tensors (the operator norms differ on purpose: the graph gives each conv its real input size).
        Assert.Equal(Values(SpectraSection.Build)["average_alpha"]!.ToJsonString(), json["sections"]!["spectra"]!["values"]!["average_alpha"]!.ToJsonString());
    }

    [Fact]
    public void GraphsOfDifferentArchitecturesLeaveOutOnlyTheSameLayerComparisons()
    {
        var files = new[] { Fixtures.Path("onnx", "export_mlp.onnx"), Fixtures.Path("onnx", "export_cnn.onnx") };
        var report = ReportPipeline.Run(new ReportOptions { Onnx = files, Data = "synthetic", Quick = true, AnalysisLimit = 40, RobustnessLimit = 10 });
        foreach (var s in report.Sections) Assert.True(s.Status != SectionStatus.Failed, $"{s.Id}: {s.Reason}");
        var sim = report.Sections.Single(s => s.Id == "similarity");
        Assert.Equal(SectionStatus.Ok, sim.Status);
        Assert.True(sim.Values.ContainsKey("within"));
        Assert.False(sim.Values.ContainsKey("across"));
        Assert.Contains("export_cnn.onnx has other layers", sim.Reading);
        // The mlp graph is a chain: its two ReLU sites are found from the nodes.
        Assert.Equal(2, report.Sections.Single(s => s.Id == "intertwiner").Values["sites"]!.AsArray().Count);
    }

    [Fact]
    public void ReportRefusesOnnxWithZooOptionsAndGraphsThatCannotTakeTheImages()
    {
        using var dir = new TempDir();
        string cnn = Fixtures.Path("onnx", "export_cnn.onnx");
        var r = CliRunner.Run("report", "--onnx", cnn, "--model", "mlp", "--quick", "--out", dir.File("r.html"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--model", r.Err);
        r = CliRunner.Run("report", "--onnx", cnn + "," + dir.File("missing.onnx"), "--quick", "--out", dir.File("r.html"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("missing.onnx", r.Err);
        // An MLP graph on [N, 12] inputs cannot take 28×28 images: the setup section fails with that reason, nothing else runs.
        r = CliRunner.Run("report", "--onnx", Fixtures.Path("onnx", "mlp_gelu.onnx"), "--data", "synthetic", "--quick", "--out", dir.File("r.html"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("[N, 1, 28, 28]", r.Out);
    }
}
