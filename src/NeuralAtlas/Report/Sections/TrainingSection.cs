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

    /// <summary>Operators whose outputs an imported graph's analyses look at: layers, nonlinearities, pooling, normalisation
    /// and residual sums (not reshapes, casts or shape arithmetic).</summary>
    private static readonly HashSet<string> GraphLayerOps = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "Gemm", "MatMul", "Relu", "LeakyRelu", "Gelu", "Sigmoid", "Tanh", "MaxPool", "AveragePool",
        "GlobalAveragePool", "BatchNormalization", "LayerNormalization", "GroupNormalization", "Add", "Softmax",
    };

    /// <summary>Most layers an imported graph contributes (evenly spaced, the output node always kept), so that a large graph
    /// does not make every per-layer analysis hundreds of times slower.</summary>
    public const int MaxGraphLayers = 24;

    /// <summary>
    /// Layers the analyses look at in an imported graph: the nodes (as <see cref="LayerTaps"/> names them) of
    /// <see cref="GraphLayerOps"/> whose output is per-example, found by running <paramref name="sample"/>.
    /// </summary>
    public static IReadOnlyList<string> AnalysisLayers(Onnx.OnnxModule graph, Tensor sample)
    {
        var ops = graph.Model.Nodes.ToDictionary(n => n.Name, n => n.OpType, StringComparer.Ordinal);
        var nodes = LayerTaps.Names(graph, new Autograd.Var(sample)).Where(n => ops.TryGetValue(n, out var op) && GraphLayerOps.Contains(op)).ToList();
        if (nodes.Count == 0)
            throw new AtlasArgumentException("--onnx", $"{graph.Model.File}: no node among {string.Join(", ", GraphLayerOps)} produces a per-example value to analyse");
        if (nodes.Count <= MaxGraphLayers) return nodes;
        return Enumerable.Range(0, MaxGraphLayers).Select(i => nodes[(int)Math.Round(i * (nodes.Count - 1) / (double)(MaxGraphLayers - 1))]).ToList();
    }

    public static ReportContext Build(ReportOptions o, AtlasReport report, ReportSection s, Action<double> advance)
    {
        if (o.Onnx is not null) return BuildImported(o, report, s, advance);
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


    /// <summary>Imported models: no training; each ONNX file is evaluated and its layers captured.</summary>
    private static ReportContext BuildImported(ReportOptions o, AtlasReport report, ReportSection s, Action<double> advance)
    {
        var data = ReportPipeline.LoadData(o);
        var analysis = data.Test.Take(Math.Min(o.AnalysisImages, data.Test.Count));
        var ctx = new ReportContext
        {
            Options = o, Data = data, AnalysisImages = analysis.Images(), AnalysisLabels = analysis.Labels.ToArray(),
        };
        var files = o.Onnx!;
        report.Setup["model"] = "imported ONNX: " + string.Join(", ", files.Select(Path.GetFileName));
        report.Setup["data"] = data.Train.Name.Split('/')[0];
        report.Setup["models"] = files.Count;
        report.Setup["mode"] = o.Quick ? "quick" : "default";
        var rows = new List<IReadOnlyList<object>>();
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var sample = Ops.Narrow(ctx.AnalysisImages, 0, 0, Math.Min(3, ctx.AnalysisImages.Shape[0]));
        for (int i = 0; i < files.Count; i++)
        {
            var graph = new Onnx.OnnxModule(Onnx.OnnxModel.Load(files[i]));
            graph.Eval();
            CheckInput(graph, data.Test);
            string label = Path.GetFileName(files[i]);
            for (int k = 2; !labels.Add(label); k++) label = $"{Path.GetFileName(files[i])} ({k})";
            var m = new ReportModel { Label = label, Module = graph, Seed = o.Seed + i, Graph = graph };
            m.TestAccuracy = Trainer.Evaluate(graph, data.Test);
            m.Activations = Capture(graph, ctx.AnalysisImages, AnalysisLayers(graph, sample));
            ctx.Models.Add(m);
            rows.Add(new object[] { label, files[i], graph.Model.Nodes.Count, graph.Model.ParameterCount, m.TestAccuracy });
            advance((i + 1.0) / files.Count);
        }
        s.Reading = $"The {(files.Count == 1 ? "model was" : $"{files.Count} models were")} imported from ONNX and run by NeuralAtlas's own engine " +
                    $"(nothing was trained); the table shows each one's accuracy on the {data.Test.Count} test images of {data.Train.Name.Split('/')[0]}. " +
                    "Layers are the graph's node names. " + (files.Count > 1
                        ? "Cross-model sections compare the first file with the second."
                        : "With one file the cross-model comparisons are left out; give two (--onnx a.onnx,b.onnx) for them.");
        s.Table("Imported models", new[] { "model", "file", "nodes", "parameters", "test accuracy" }, rows);
        s.Values["files"] = new JsonArray(files.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        s.Values["test_accuracy"] = new JsonArray(ctx.Models.Select(m => (JsonNode)JsonValue.Create(m.TestAccuracy)!).ToArray());
        s.Values["layers"] = new JsonArray(ctx.Models[0].Layers.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray());
        advance(1);
        return ctx;
    }

    /// <summary>Refuses a graph whose declared input cannot take the data's [N, C, H, W] images, naming both.</summary>
    private static void CheckInput(Onnx.OnnxModule graph, ImageDataset set)
    {
        var input = graph.Model.Inputs[0];
        var want = new[] { set.Channels, set.Height, set.Width };
        bool fits = input.Shape.Count == 4 && Enumerable.Range(0, 3).All(i =>
            !int.TryParse(input.Shape[i + 1], System.Globalization.CultureInfo.InvariantCulture, out int d) || d == want[i]);
        if (input.Shape.Count != 0 && !fits)
            throw new AtlasArgumentException("--onnx", $"{graph.Model.File}: input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; " +
                $"the images of {set.Name} need [N, {set.Channels}, {set.Height}, {set.Width}] (choose the data with --data)");
    }

    public static IReadOnlyList<(string, Tensor)> Capture(Module model, Tensor images, IReadOnlyList<string>? layerNames = null)
    {
        var layers = layerNames ?? AnalysisLayers(model);
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
