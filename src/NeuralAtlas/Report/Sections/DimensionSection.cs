using System.Text.Json.Nodes;
using NeuralAtlas.Geometry;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Report.Plotting;

namespace NeuralAtlas.Report.Sections;

/// <summary>TwoNN intrinsic dimension of every layer with bootstrap confidence bands, one curve per model.</summary>
public static class DimensionSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var layers = ctx.Models[0].Activations.Select(a => a.Layer).ToArray();
        var chart = new XYChart { Title = "Intrinsic dimension (TwoNN)", XLabel = "layer", YLabel = "intrinsic dimension", XTickLabels = layers };
        var rows = new List<IReadOnlyList<object>>();
        int done = 0, total = ctx.Models.Count * layers.Length;
        var options = new IdOptions { Bootstrap = ctx.Options.Quick ? 20 : 100, Seed = (ulong)ctx.Options.Seed, Duplicates = DuplicatePolicy.Remove };
        foreach (var m in ctx.Models)
        {
            var values = new double[layers.Length];
            var lo = new double[layers.Length];
            var hi = new double[layers.Length];
            for (int i = 0; i < layers.Length; i++)
            {
                var e = IntrinsicDimension.Estimate(DMatrix.FromTensor(m.Activations[i].Activations), IdEstimator.TwoNN, options);
                values[i] = e.Value;
                lo[i] = e.Lower;
                hi[i] = e.Upper;
                rows.Add(new object[] { m.Label, layers[i], e.Value, e.Lower, e.Upper, e.Points });
                advance(++done / (double)total);
            }
            var x = Enumerable.Range(0, layers.Length).Select(i => (double)i).ToArray();
            chart.Band(x, lo, hi);
            chart.Line(x, values, m.Label);
            s.Values[m.Label] = new JsonObject { ["layers"] = ReportValues.Strings(layers), ["twonn"] = ReportValues.Array(values), ["lower"] = ReportValues.Array(lo), ["upper"] = ReportValues.Array(hi) };
        }
        s.Reading = "How many directions the data really varies along at each layer, estimated from the ratio of each point's " +
                    "second- to first-nearest-neighbour distance (TwoNN). Shaded bands are 95% bootstrap intervals. Typical networks " +
                    "first expand and then compress the dimension towards the output, whose dimension is bounded by the number of classes.";
        s.Figure("TwoNN estimate per layer with 95% bootstrap band, per model.", chart);
        s.Table("Intrinsic dimension", new[] { "model", "layer", "TwoNN", "lower", "upper", "points" }, rows);
    }
}
