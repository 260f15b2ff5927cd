using NeuralAtlas.IO;
using NeuralAtlas.Report;
using NeuralAtlas.Report.Sections;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Tests.Report;

public class SimilaritySectionTests
{
    [Fact]
    public void DefaultModeDrawsTheFullGReluCkaMatrixAndItsDiagonalIsTheLibrarysValue()
    {
        var options = new ReportOptions { Model = "mlp", Data = "synthetic", Quick = false, Seeds = 2, EpochsOverride = 1, TrainLimit = 300, AnalysisLimit = 60, RobustnessLimit = 20 };
        var ctx = TrainingSection.Build(options, new AtlasReport(), new ReportSection("training", "t", "training.md"), _ => { });
        var s = new ReportSection("similarity", "s", "similarity.md");
        SimilaritySection.Build(ctx, s, _ => { });
        var matrix = s.Values["across_grelu"]!.AsArray();
        int layers = ctx.Models[0].Activations.Count;
        Assert.Equal(layers, matrix.Count);
        var measure = SimilarityMeasures.Create("grelu-cka");
        for (int i = 0; i < layers; i++)
        {
            var a = LayerActivations.FromArray("a", NdArray.FromTensor(ctx.Models[0].Activations[i].Activations), ConvLayout.Flatten);
            var b = LayerActivations.FromArray("b", NdArray.FromTensor(ctx.Models[1].Activations[i].Activations), ConvLayout.Flatten);
            Assert.Equal(LayerActivations.Compare(measure, a, b), matrix[i]![i]!.GetValue<double>(), 12);
        }
        Assert.Equal(4, s.Figures.Count); // heatmaps within, across and G_ReLU across seeds, and the same-layer bars
    }
}
