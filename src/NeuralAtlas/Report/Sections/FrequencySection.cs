using System.Text.Json.Nodes;
using NeuralAtlas.Geometry;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Sections;

/// <summary>Frequency sensitivity of the first model beside the data's power spectrum (maps and radial profiles).</summary>
public static class FrequencySection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m0 = ctx.Models[0];
        int n = Math.Min(ctx.Options.Quick ? 32 : 128, ctx.AnalysisImages.Shape[0]);
        var r = FrequencySensitivity.Compute(m0.Module, Ops.Narrow(ctx.AnalysisImages, 0, 0, n));
        advance(0.9);
        s.Figure($"Sensitivity E|∂f/∂x̂| of {m0.Label}'s top logit to each 2-D frequency (zero frequency at the centre, log colour scale), over {n} images.",
            Map(r.Sensitivity, r.Height, r.Width, "Frequency sensitivity (log10)", "log10"));
        s.Figure($"Power spectrum √E|x̂|² of the same {n} images (log colour scale).", Map(r.PowerSpectrum, r.Height, r.Width, "Data power spectrum (log10)", "log10"));
        var radius = Enumerable.Range(0, r.SensitivityRadial.Length).Select(i => (double)i).ToArray();
        var profile = new XYChart { Title = "Radial profiles (each scaled to its maximum)", XLabel = "frequency radius", YLabel = "relative value", LogY = true };
        profile.Line(radius, Scaled(r.SensitivityRadial), "model sensitivity");
        profile.Line(radius, Scaled(r.PowerRadial), "data power", dash: "5,3");
        s.Figure($"Mean over rings of equal frequency radius. Correlation of the log maps: {r.Correlation:F3}.", profile);
        s.Table("Radial profiles", new[] { "radius", "sensitivity", "data power" },
            radius.Select((x, i) => (IReadOnlyList<object>)new object[] { (int)x, r.SensitivityRadial[i], r.PowerRadial[i] }));
        s.Values["model"] = m0.Label;
        s.Values["images"] = n;
        s.Values["correlation"] = ReportValues.Number(r.Correlation);
        s.Values["sensitivity_radial"] = ReportValues.Array(r.SensitivityRadial);
        s.Values["power_radial"] = ReportValues.Array(r.PowerRadial);
        s.Values["sensitivity_map"] = ReportValues.Array(r.Sensitivity);
        s.Values["power_map"] = ReportValues.Array(r.PowerSpectrum);
        s.Reading = "Which spatial frequencies of the input the model's decision responds to, beside how much of each frequency the " +
                    "data contains. Networks tend to be most sensitive where the data has most power (low frequencies for natural " +
                    "images); a positive log correlation means the two maps line up, and sensitivity at frequencies the data lacks is " +
                    "where small, invisible perturbations can move the output.";
    }

    private static double[] Scaled(double[] v)
    {
        double max = v.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return v.Select(x => max > 0 ? Math.Max(x / max, 1e-6) : 1e-6).ToArray();
    }

    private static Heatmap Map(double[] values, int h, int w, string title, string label)
    {
        // Log colours: the spectra span orders of magnitude and a linear scale shows only the zero frequency.
        double floor = values.Where(v => v > 0 && double.IsFinite(v)).DefaultIfEmpty(1).Max() * 1e-6;
        var m = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                m[i, j] = Math.Log10(Math.Max(values[i * w + j], floor));
        // fftshift puts frequency 0 at index n/2.
        string[] Freq(int n) => Enumerable.Range(0, n).Select(i => (i - n / 2) % 4 == 0 ? (i - n / 2).ToString() : "").ToArray();
        return new Heatmap(m, Freq(h), Freq(w)) { Title = title, ValueLabel = label, Annotate = false, XLabel = "horizontal frequency", YLabel = "vertical frequency" };
    }
}
