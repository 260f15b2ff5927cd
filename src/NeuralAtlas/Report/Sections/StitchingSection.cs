using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Report.Sections;

/// <summary>Stitching penalties between the first two seeds at every hidden layer (affine and permutation×scaling stitches).</summary>
public static class StitchingSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        if (ctx.Models.Count < 2)
        {
            s.Skip(ctx.Models[0].Graph is null ? "stitching compares two models; run with --seeds 2 or more" : "stitching compares two models; give two ONNX files (--onnx a.onnx,b.onnx)");
            return;
        }
        ImportedGraphs.Guard(ctx.Models[0], s, "model stitching", () => Run(ctx, s, advance));
    }

    private static void Run(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var fit = ctx.Data.Train.Take(Math.Min(ctx.Options.Quick ? 500 : 2000, ctx.Data.Train.Count));
        var test = ctx.Data.Test.Take(Math.Min(ctx.Options.RobustnessImages, ctx.Data.Test.Count));
        var a = ctx.Models[0].Module;
        var b = ctx.Models[1].Module;
        // Cut points: the representations after each nonlinearity or pooling (where the ReLU symmetry acts), never
        // after the last child, so B always has layers left to run.
        List<string> layers;
        if (ctx.Models[0].Graph is { } graph)
        {
            // An imported graph: its activation and pooling nodes (named alike in both graphs when they share an architecture).
            var ops = graph.Model.Nodes.ToDictionary(n => n.Name, n => n.OpType, StringComparer.Ordinal);
            var nodes = ctx.Models[0].Layers;
            layers = nodes.Take(nodes.Count - 1).Where(n => ops[n] is "Relu" or "LeakyRelu" or "Gelu" or "MaxPool" or "AveragePool").ToList();
            if (layers.Count == 0)
            {
                s.Skip($"{ctx.Models[0].Label} has no Relu, LeakyRelu, Gelu or pooling node among its analysed layers to cut at");
                return;
            }
        }
        else
        {
            var children = a.NamedChildren().Select(c => c.Key).ToList();
            layers = children.Take(children.Count - 1).Where(n => n.Contains("relu") || n.Contains("pool") || n.StartsWith("act")).ToList();
            if (layers.Count == 0) layers = children.Take(children.Count - 1).Where(n => !n.Contains("flatten")).ToList();
        }
        var kinds = new[] { StitchKind.Affine, StitchKind.PermutationScaling };
        var penalties = kinds.ToDictionary(k => k, _ => new List<double>());
        var rows = new List<IReadOnlyList<object>>();
        var used = new List<string>();
        int done = 0;
        foreach (var layer in layers)
        {
            var r = kinds.Select(k => ModelStitching.Stitch(a, b, layer, fit, test, k)).ToList();
            used.Add(layer);
            for (int i = 0; i < kinds.Length; i++)
            {
                penalties[kinds[i]].Add(r[i].Penalty);
                rows.Add(new object[] { layer, kinds[i].ToString(), r[i].AccuracyA, r[i].AccuracyB, r[i].StitchedAccuracy, r[i].Penalty });
            }
            advance(++done / (double)layers.Count);
        }
        var chart = new BarChart(used) { Title = "Stitching penalty per layer", YLabel = "mean accuracy of A and B − stitched accuracy" };
        foreach (var k in kinds) chart.Series(k == StitchKind.Affine ? "affine" : "permutation × scaling", penalties[k]);
        s.Figure($"{ctx.Models[0].Label} up to the layer, a stitching layer fitted on {fit.Count} training images, then {ctx.Models[1].Label}; penalties on {test.Count} test images.", chart);
        s.Table("Stitching", new[] { "layer", "stitch", "accuracy A", "accuracy B", "stitched", "penalty" }, rows);
        foreach (var k in kinds) s.Values[k.ToString()] = ReportValues.Array(penalties[k]);
        s.Values["layers"] = ReportValues.Strings(used);
        s.Reading = "Model stitching asks whether two networks' layers hold the same information in different coordinates: run " +
                    "the first model up to a layer, map its activations with a simple layer fitted on training data, and let the " +
                    "second model finish. A penalty near zero means an affine (or, stricter, a permuted and rescaled) copy of one " +
                    "representation serves the other, even where CKA says they differ.";
    }
}
