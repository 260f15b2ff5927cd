using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Report.Sections;

/// <summary>The Mapper graph of the penultimate layer, lens = first principal component, nodes coloured by majority class.</summary>
public static class MapperSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m = ctx.Models[0];
        var (layer, acts) = m.Activations[^2];
        int n = acts.Shape[0], d = acts.Numel / n;
        var points = acts.Data.Select(v => (double)v).ToArray();
        var lens = MapperLens.Pca(points, n, d, 0);
        var g = Mapper.Build(points, n, d, new[] { lens }, new MapperOptions { Intervals = 10, Overlap = 0.3 }, ctx.AnalysisLabels);
        advance(0.8);
        var chart = new GraphChart(g.Nodes.Count, g.Edges.Select(e => (e.Source, e.Target)))
        {
            Title = $"Mapper graph of {layer}",
            NodeSizes = g.Nodes.Select(x => (double)x.Members.Length).ToArray(),
            NodeCategories = g.Nodes.Select(x => x.MajorityLabel ?? 0).ToArray(),
            NodeTitles = g.Nodes.Select(x => $"node {x.Id}: {x.Members.Length} images, majority class {x.MajorityLabel}, purity {AtlasReport.Display(x.Purity ?? double.NaN)}").ToArray(),
            Seed = ctx.Options.Seed,
        };
        s.Figure($"Nodes are clusters of test images within overlapping slices of the first principal component of {layer}; size = images, colour = majority class.", chart);
        double meanPurity = g.Nodes.Count == 0 ? double.NaN : g.Nodes.Where(x => x.Purity.HasValue).Select(x => x.Purity!.Value).DefaultIfEmpty(double.NaN).Average();
        s.Table("Mapper summary", new[] { "layer", "nodes", "edges", "mean class purity" }, new[] { (IReadOnlyList<object>)new object[] { layer, g.Nodes.Count, g.Edges.Count, meanPurity } });
        s.Values["nodes"] = g.Nodes.Count;
        s.Values["edges"] = g.Edges.Count;
        s.Values["mean_purity"] = ReportValues.Number(meanPurity);
        s.Reading = "Mapper summarises the shape of a layer's representation as a graph: images with similar lens values are " +
                    "clustered, and clusters sharing images are joined. Pure, well-separated branches mean the layer already " +
                    "sorts the classes; mixed nodes show where the model confuses them.";
        advance(1);
    }
}
