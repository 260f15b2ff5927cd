using System.Globalization;
using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Report.Plotting;

namespace NeuralAtlas.Geometry;

/// <summary>
/// What a <see cref="FrequencySweepResult"/> becomes on disk: JSON the report can draw (settings, the data's maps,
/// one object per run with its maps, radial profile and correlations) and an SVG of the radial profiles.
/// </summary>
public static class FrequencySweepOutput
{
    public static void WriteJson(FrequencySweepResult r, string path) => AtomicFile.WriteAllBytes(path, ToJson(r));

    public static byte[] ToJson(FrequencySweepResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            var o = r.Options;
            w.WriteStartObject();
            w.WriteString("data", r.Data);
            w.WriteNumber("height", r.Height);
            w.WriteNumber("width", r.Width);
            w.WriteStartObject("settings");
            w.WriteNumber("epochs", o.Epochs);
            w.WriteNumber("train_count", o.TrainCount);
            w.WriteNumber("count", o.Count);
            w.WriteNumber("eval_count", o.EvalCount);
            w.WriteNumber("channels", o.Channels);
            w.WriteBoolean("relu", o.Relu);
            w.WriteString("optimizer", o.Optimizer);
            w.WriteNumber("lr", o.LearningRate);
            w.WriteNumber("batch_size", o.BatchSize);
            w.WriteNumber("seed", o.Seed);
            w.WriteEndObject();
            Numbers(w, "power_spectrum", r.PowerSpectrum);
            Numbers(w, "power_radial", r.PowerRadial);
            w.WriteStartArray("runs");
            foreach (var run in r.Runs)
            {
                w.WriteStartObject();
                w.WriteNumber("depth", run.Depth);
                w.WriteNumber("weight_decay", run.WeightDecay);
                w.WriteNumber("weight_norm", run.WeightNorm);
                w.WriteNumber("train_loss", run.TrainLoss);
                w.WriteNumber("train_accuracy", run.TrainAccuracy);
                w.WriteNumber("test_accuracy", run.TestAccuracy);
                w.WriteNumber("seconds", run.Seconds);
                Number(w, "correlation", run.Report.Correlation);
                Number(w, "radial_correlation", run.RadialCorrelation);
                Numbers(w, "sensitivity_radial", run.Report.SensitivityRadial);
                Numbers(w, "sensitivity", run.Report.Sensitivity);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>
    /// Radial profiles on a log scale, each divided by its own maximum so shapes compare across models of
    /// different scale; the data's power profile dashed.
    /// </summary>
    public static XYChart Plot(FrequencySweepResult r)
    {
        var chart = new XYChart { Title = $"Frequency sensitivity vs data power ({r.Data})", XLabel = "radius (frequency)", YLabel = "profile / its maximum", LogY = true };
        foreach (var run in r.Runs)
            chart.Line(Radii(run.Report.SensitivityRadial), Normalised(run.Report.SensitivityRadial),
                string.Create(CultureInfo.InvariantCulture, $"depth {run.Depth}, wd {run.WeightDecay:G3}"));
        chart.Line(Radii(r.PowerRadial), Normalised(r.PowerRadial), "data power", dash: "6,4");
        return chart;
    }

    private static double[] Radii(double[] profile) => Enumerable.Range(0, profile.Length).Select(i => (double)i).ToArray();

    // Zeros (a dead model) are floored at a tiny positive value so the log axis stays finite.
    private static double[] Normalised(double[] profile)
    {
        double max = profile.Length == 0 ? 0 : profile.Max();
        return profile.Select(v => max > 0 ? Math.Max(v / max, 1e-12) : 1e-12).ToArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Numbers(Utf8JsonWriter w, string name, double[] a)
    {
        w.WriteStartArray(name);
        foreach (double v in a) if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    }
}
