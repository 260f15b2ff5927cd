using System.Text.Json.Nodes;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Sections;

/// <summary>Loads the data, trains one model per seed (or loads the given weights), and captures activations.</summary>
public static class TrainingSection
{
    /// <summary>Layers the analyses look at: every named submodule except pure reshapes.</summary>
    public static IReadOnlyList<string> AnalysisLayers(Module model) =>
        ActivationCapture.AllLayers(model).Where(n => !n.EndsWith("flatten") && !n.Contains("dropout")).ToList();

    public static ReportContext Build(ReportOptions o, AtlasReport report, ReportSection s, Action<double> advance)
    {
        var data = ReportPipeline.LoadData(o);
        var train = data.Train.Take(Math.Min(o.TrainImages, data.Train.Count));
        var analysis = data.Test.Take(Math.Min(o.AnalysisImages, data.Test.Count));
        var ctx = new ReportContext
        {
            Options = o, Data = data, AnalysisImages = analysis.Images(), AnalysisLabels = analysis.Labels.ToArray(),
        };
        report.Setup["model"] = o.Model;
        report.Setup["data"] = data.Train.Name.Split('/')[0];
        report.Setup["train images"] = train.Count;
        report.Setup["epochs"] = o.Epochs;
        report.Setup["seeds"] = o.Seeds;
        report.Setup["mode"] = o.Quick ? "quick" : "default";
        var spec = new ModelSpec(o.Model, data.Train.Channels, data.Train.Height, data.Train.ClassCount);
        var curves = new XYChart { XLabel = "epoch", YLabel = "training loss (running mean)", Title = "Training loss" };
        var rows = new List<IReadOnlyList<object>>();
        var perSeed = new JsonObject();
        int models = o.Weights is null ? o.Seeds : Math.Max(o.Seeds, 1);
        for (int i = 0; i < models; i++)
        {
            int seed = o.Seed + i;
            ReportModel m;
            if (i == 0 && o.Weights is not null)
            {
                var (net, _) = ModelFile.Load(o.Weights, spec, o.Model);
                m = new ReportModel { Label = $"{o.Model} (given weights)", Module = net, Seed = seed };
            }
            else
            {
                var net = spec.Create(new Rng(seed));
                var xs = new List<double>();
                var ys = new List<double>();
                var result = Trainer.Train(net, train, new TrainOptions { Epochs = o.Epochs, BatchSize = 64, LearningRate = 1e-3, Seed = seed }, p =>
                {
                    // Epochs count from 0; the loss is the running mean over the epoch so far.
                    double at = p.Epoch + (p.EpochEnd ? 1 : (p.Batch + 1.0) / Math.Max(p.BatchesPerEpoch, 1));
                    if (p.Batch % 10 == 0 && !p.EpochEnd)
                    {
                        xs.Add(at);
                        ys.Add(p.Loss);
                    }
                    advance((i + at / o.Epochs) / models * 0.9);
                });
                curves.Line(xs, ys, $"seed {seed}");
                m = new ReportModel { Label = $"{o.Model} seed {seed}", Module = net, Seed = seed, Training = result };
                perSeed[$"seed {seed}"] = new JsonObject
                {
                    ["loss_x"] = new JsonArray(xs.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
                    ["loss"] = new JsonArray(ys.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
                };
            }
            m.Module.Eval();
            m.TestAccuracy = Trainer.Evaluate(m.Module, data.Test);
            m.Activations = Capture(m.Module, ctx.AnalysisImages);
            ctx.Models.Add(m);
            rows.Add(new object[] { m.Label, m.Training?.Epochs[^1].Loss ?? double.NaN, m.Training?.Epochs[^1].Accuracy ?? double.NaN, m.TestAccuracy, m.Training?.Seconds ?? double.NaN });
        }
        s.Reading = $"The {o.Model} model was trained from {o.Seeds} random seed(s) on {train.Count} images of {data.Train.Name.Split('/')[0]} " +
                    "for the analyses below; the curve shows the training loss as it fell, and the table the accuracy each run reached on held-out test images. " +
                    "Two seeds make cross-seed comparisons possible: same recipe, different random start.";
        if (perSeed.Count > 0) s.Figure("Training loss per seed (every 10 batches).", curves);
        s.Table("Training runs", new[] { "model", "final loss", "train accuracy", "test accuracy", "seconds" }, rows);
        s.Values["runs"] = perSeed;
        s.Values["test_accuracy"] = new JsonArray(ctx.Models.Select(m => (JsonNode)JsonValue.Create(m.TestAccuracy)!).ToArray());
        s.Values["layers"] = new JsonArray(AnalysisLayers(ctx.Models[0].Module).Select(l => (JsonNode)JsonValue.Create(l)!).ToArray());
        advance(1);
        return ctx;
    }


    public static IReadOnlyList<(string, Tensor)> Capture(Module model, Tensor images)
    {
        var layers = AnalysisLayers(model);
        using var cap = new ActivationCapture(model, layers);
        using (Autograd.GradMode.NoGrad())
        {
            int n = images.Shape[0], per = images.Numel / n;
            for (int start = 0; start < n; start += 256)
            {
                int b = Math.Min(256, n - start);
                var shape = (int[])images.Shape.Clone();
                shape[0] = b;
                model.Forward(new Autograd.Var(new Tensor(shape, images.Data.AsSpan(start * per, b * per).ToArray())));
            }
        }
        return layers.Select(l => (l, cap.Concatenated(l))).ToList();
    }
}
