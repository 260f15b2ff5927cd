using System.Text.Json.Nodes;
using NeuralAtlas.IO;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Report.Sections;

/// <summary>H0/H1 persistence of every layer's point cloud and the sliced-Wasserstein distances between layers.</summary>
public static class TopologySection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m = ctx.Models[0];
        var layers = m.Activations.Select(a => (a.Layer, NdArray.FromTensor(a.Activations))).ToList();
        var result = LayerTopology.Compute(layers, new LayerTopologyOptions { MaxPoints = ctx.Options.Quick ? 150 : 300, MaxDimension = 1, Normalize = true, Seed = (ulong)ctx.Options.Seed });
        advance(0.8);
        var names = result.Layers.Select(l => l.Name).ToArray();
        // The penultimate layer's diagram, the representation the classifier reads.
        var pen = result.Layers[Math.Max(0, result.Layers.Count - 2)];
        var diagram = new PersistenceDiagramChart { Title = $"Persistence diagram of {pen.Name}" };
        foreach (var d in pen.Diagrams) diagram.Add(d.Dimension, d.Intervals.Select(i => i.Birth).ToArray(), d.Intervals.Select(i => i.Death).ToArray());
        s.Figure($"H0 and H1 of {pen.Name} ({pen.Points} points, distances scaled by {AtlasReport.Display(pen.Scale)}).", diagram);
        var barcode = new BarcodeChart { Title = $"Barcode of {pen.Name}" };
        foreach (var d in pen.Diagrams) barcode.Add(d.Dimension, d.Intervals.Select(i => i.Birth).ToArray(), d.Intervals.Select(i => i.Death).ToArray());
        s.Figure("The longest bars per dimension.", barcode);
        for (int k = 0; k < result.SlicedWasserstein.Count; k++)
        {
            s.Figure($"Sliced-Wasserstein distance between the H{k} diagrams of the layers.", new Heatmap(result.SlicedWasserstein[k], names, names) { Title = $"Layer distances (H{k})", ValueLabel = "SW" });
            s.Values[$"sliced_wasserstein_h{k}"] = ReportValues.Matrix(result.SlicedWasserstein[k]);
        }
        s.Table("Features per layer", new[] { "layer", "points", "H0 intervals", "H1 intervals", "longest H1 bar" },
            result.Layers.Select(l => (IReadOnlyList<object>)new object[]
            {
                l.Name, l.Points, l.Diagrams[0].Count, l.Diagrams.Count > 1 ? l.Diagrams[1].Count : 0,
                l.Diagrams.Count > 1 && l.Diagrams[1].Finite.Any() ? l.Diagrams[1].Finite.Max(i => i.Death - i.Birth) : 0.0,
            }));
        s.Values["layers"] = ReportValues.Strings(names);
        s.Values["penultimate"] = new JsonObject
        {
            ["layer"] = pen.Name,
            ["diagrams"] = new JsonArray(pen.Diagrams.Select(d => (JsonNode)new JsonObject
            {
                ["dim"] = d.Dimension,
                ["birth"] = ReportValues.Array(d.Intervals.Select(i => i.Birth)),
                ["death"] = ReportValues.Array(d.Intervals.Select(i => i.Death)),
            }).ToArray()),
        };
        s.Reading = "Each layer turns the test images into a point cloud; persistent homology records the connected components (H0) " +
                    "and loops (H1) that appear and vanish as the distance scale grows. Points far from the diagonal are robust features. " +
                    "The heatmaps compare the layers' diagrams: layers close in topology have small sliced-Wasserstein distance.";
        advance(1);
    }
}
