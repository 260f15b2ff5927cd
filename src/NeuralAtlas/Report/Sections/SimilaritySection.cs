using NeuralAtlas.IO;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Similarity;

namespace NeuralAtlas.Report.Sections;

/// <summary>Layer × layer linear CKA within a model and across seeds, and the ReLU-symmetry-aware G_ReLU-CKA across seeds.</summary>
public static class SimilaritySection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var a = Layers(ctx.Models[0]);
        var names = a.Select(l => l.Name).ToArray();
        var cka = SimilarityMeasures.Create("linear-cka");
        var within = LayerSimilarity.Compute(cka, a, a, sameModel: true);
        Add(s, "within", $"Linear CKA between the layers of {ctx.Models[0].Label}.", within, names, names);
        advance(0.3);
        // Imported graphs of different architectures have different layers: the same-layer comparison needs the same list.
        bool comparable = ctx.Models.Count > 1 && ctx.Models[1].Layers.SequenceEqual(ctx.Models[0].Layers);
        if (ctx.Models.Count > 1 && !comparable)
            s.Values["across_skipped"] = $"{ctx.Models[1].Label} has other layers than {ctx.Models[0].Label}; the cross-model comparison needs the same layer names";
        string note = ctx.Models.Count > 1 && !comparable ? $" (The cross-model comparison is left out: {ctx.Models[1].Label} has other layers than {ctx.Models[0].Label}.)" : "";
        if (comparable)
        {
            var b = Layers(ctx.Models[1]);
            var across = LayerSimilarity.Compute(cka, a, b);
            Add(s, "across", $"Linear CKA across seeds: rows {ctx.Models[0].Label}, columns {ctx.Models[1].Label}.", across, names, names);
            advance(0.6);
            // G_ReLU-CKA matches channels (Hungarian) per pair: the full matrix in the default report, only the
            // same-layer pairs with --quick.
            var greluMeasure = SimilarityMeasures.Create("grelu-cka");
            double[] grelu;
            if (ctx.Options.Quick)
                grelu = names.Select((_, i) => LayerActivations.Compare(greluMeasure, a[i], b[i])).ToArray();
            else
            {
                var full = LayerSimilarity.Compute(greluMeasure, a, b);
                Add(s, "across_grelu", $"G_ReLU-CKA across seeds (rows {ctx.Models[0].Label}, columns {ctx.Models[1].Label}): CKA after aligning channels by the ReLU symmetry (permutation and positive scaling).", full, names, names);
                grelu = names.Select((_, i) => full.Values[i, i]).ToArray();
            }
            var diag = Enumerable.Range(0, names.Length).Select(i => across.Values[i, i]).ToArray();
            s.Values["across_grelu_diagonal"] = ReportValues.Array(grelu);
            s.Table("Same layer across seeds", new[] { "layer", "linear CKA", "G_ReLU-CKA" },
                names.Select((n, i) => (IReadOnlyList<object>)new object[] { n, diag[i], grelu[i] }));
            var bars = new BarChart(names) { Title = "Same layer across seeds", YLabel = "similarity", YRange = (0, 1) };
            bars.Series("linear CKA", diag).Series("G_ReLU-CKA", grelu);
            s.Figure("How reproducible each layer is across seeds, with and without accounting for the ReLU symmetry.", bars);
        }
        s.Reading = "Centered kernel alignment compares what two layers represent, independent of rotations and scale: 1 means the " +
                    "same representational geometry, 0 unrelated. Within one model, neighbouring layers are similar and the similarity " +
                    "decays with depth; across seeds, the diagonal shows how reproducible each layer is. G_ReLU-CKA first aligns each " +
                    "channel's scale, the symmetry a ReLU network cannot see." + note;
        advance(1);
    }

    private static List<LayerActivations> Layers(ReportModel m) =>
        m.Activations.Select(x => LayerActivations.FromArray(x.Layer, NdArray.FromTensor(x.Activations), ConvLayout.Flatten)).ToList();

    private static void Add(ReportSection s, string key, string caption, LayerSimilarityMatrix m, string[] rows, string[] cols)
    {
        s.Figure(caption, new Heatmap(m.Values, rows, cols) { Title = key switch { "within" => "CKA within a model", "across" => "CKA across seeds", _ => "G_ReLU-CKA across seeds" }, Range = (0, 1), ValueLabel = "CKA" });
        s.Values[key] = ReportValues.Matrix(m.Values);
    }
}
