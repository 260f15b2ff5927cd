using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Symmetry.ConvSpectra;

namespace NeuralAtlas.Report.Sections;

/// <summary>Singular values of every conv and linear weight, power-law exponents and Marchenko–Pastur outliers.</summary>
public static class SpectraSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m = ctx.Models[0];
        ModelSpectrum spectrum;
        List<string> notes = new();
        if (m.Graph is null)
        {
            var weights = m.Module.StateDict().Where(kv => kv.Key.EndsWith(".weight") && kv.Value.Rank is 2 or 4).ToList();
            spectrum = ModelSpectra.Analyse(weights, new SpectraOptions { InputSize = ctx.Data.Train.Height });
        }
        else
        {
            // An imported graph: the Conv/Gemm/MatMul weight initializers, each convolution at the size it really sees.
            var layers = OnnxSpectraLayers.Collect(m.Graph.Model, ctx.Data.Train.Height);
            notes = layers.Notes;
            spectrum = ModelSpectra.Analyse(layers.Weights, new SpectraOptions { InputSize = 0, Geometry = layers.Geometry });
            if (spectrum.Layers.Count == 0)
            {
                s.Skip($"{m.Label} has no Conv, Gemm or MatMul node with a stored weight{(notes.Count > 0 ? ": " + string.Join("; ", notes) : "")}");
                return;
            }
        }
        advance(0.8);
        var chart = new XYChart { Title = "Singular values", XLabel = "rank", YLabel = "singular value", LogY = true, LogX = true };
        var rows = new List<IReadOnlyList<object>>();
        foreach (var l in spectrum.Layers)
        {
            var sv = l.SingularValues.Where(v => v > 0).ToArray();
            chart.Line(Enumerable.Range(1, sv.Length).Select(i => (double)i).ToArray(), sv, l.Name);
            rows.Add(new object[]
            {
                l.Name, $"{l.Rows}×{l.Cols}", l.LambdaMax, l.PowerLaw?.Alpha ?? double.NaN, l.MarchenkoPastur.Outliers,
                l.Operator?.SpectralNorm ?? double.NaN,
            });
            s.Values[l.Name] = new JsonObject
            {
                ["singular_values"] = ReportValues.Array(l.SingularValues),
                ["alpha"] = ReportValues.Number(l.PowerLaw?.Alpha ?? double.NaN),
                ["mp_outliers"] = l.MarchenkoPastur.Outliers,
            };
        }
        s.Figure("Singular values of each weight reshaped to C_out × (C_in·k·k), largest first (log–log).", chart);
        // The widest layer's eigenvalue density against the Marchenko–Pastur law fitted to its bulk.
        var widest = spectrum.Layers.OrderByDescending(l => (long)l.Rows * l.Cols).First();
        var d = widest.Density;
        var mids = Enumerable.Range(0, d.Density.Length).Select(i => 0.5 * (d.Edges[i] + d.Edges[i + 1])).ToArray();
        var mp = widest.MarchenkoPastur;
        var grid = Enumerable.Range(0, 200).Select(i => mp.LambdaMinus + (mp.LambdaPlus - mp.LambdaMinus) * (i + 0.5) / 200).ToArray();
        var esd = new XYChart { Title = $"Spectral density of {widest.Name}", XLabel = "eigenvalue λ", YLabel = "density" }
            .Line(mids, d.Density, "empirical")
            .Line(grid, grid.Select(mp.Density).ToArray(), $"Marchenko–Pastur (σ² = {AtlasReport.Display(mp.Variance)})", dash: "5,3");
        s.Figure($"Eigenvalue histogram of {widest.Name} with the Marchenko–Pastur density of a random matrix of the same shape and bulk variance; {mp.Outliers} eigenvalue(s) lie beyond its edge.", esd);
        s.Table("Spectral summary", new[] { "layer", "matrix", "λ_max", "power-law α", "MP outliers", "operator norm (circular conv)" }, rows);
        s.Values["average_alpha"] = ReportValues.Number(spectrum.AverageAlpha ?? double.NaN);
        s.Values["average_alpha_weighted"] = ReportValues.Number(spectrum.AverageAlphaWeighted ?? double.NaN);
        if (notes.Count > 0) s.Values["notes"] = ReportValues.Strings(notes);
        s.Reading = (notes.Count > 0 ? "Notes on the imported graph: " + string.Join("; ", notes) + ". " : "") + "The singular values of a layer's weights show how much it stretches each direction. Heavy power-law tails " +
                    "(small α) and eigenvalues outside the Marchenko–Pastur bulk of a random matrix are signatures of learned " +
                    "structure; the operator norm is the exact largest stretch of the convolution itself (circular padding).";
        advance(1);
    }
}
