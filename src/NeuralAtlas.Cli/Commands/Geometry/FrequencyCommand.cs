using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas frequency</c>: frequency sensitivity map vs the data's power spectrum, and high-pass filtered data.</summary>
public sealed class FrequencyCommand : ICliCommand
{
    public Command Create()
    {
        var source = new ModelSourceOptions(weightsRequired: false, withData: true);
        var count = new Option<int>("--count", "-n") { Description = "How many test images to average over (the first N).", DefaultValueFactory = _ => 64 };
        var logit = new Option<int?>("--logit") { Description = "Output index to differentiate (default: each image's top logit)." };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the data set and of an uninitialised model.", DefaultValueFactory = _ => 0 };
        var highPass = new Option<double?>("--high-pass") { Description = "Also write the N images high-pass filtered: zero the centred square of half-width ratio R (0..1) of the shifted spectrum." };
        var highOut = new Option<string>("--high-pass-out") { Description = "Where the filtered images go (.npy, N×C×H×W float32).", DefaultValueFactory = _ => "high-pass.npy" };
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON: shifted H×W maps (sensitivity, power spectrum), radial profiles, log-log correlation.", DefaultValueFactory = _ => "frequency.json" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("frequency",
            "Frequency sensitivity (gradient with respect to the orthonormal 2-D DFT coefficients of the input) against the data's power spectrum, " +
            "their radial profiles and correlation; optionally the high-pass filtered data set for training comparisons.");
        source.AddTo(cmd);
        foreach (var o in new Option[] { count, logit, seed, highPass, highOut, outPath, threads }) cmd.Options.Add(o);
        cmd.Subcommands.Add(FrequencySweepCommand.Create());
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            int s = parse.GetValue(seed);
            var set = source.LoadData(parse, s).Test;
            int n = Math.Min(parse.GetValue(count), set.Count);
            if (n < 1) throw new AtlasArgumentException("--count", $"must be positive, got {n}");
            var net = source.Load(parse, set, s).Module;
            var images = set.Images(n);
            var r = FrequencySensitivity.Compute(net, images, parse.GetValue(logit));
            if (parse.GetValue(highPass) is double ratio) Npy.Write(parse.GetValue(highOut)!, FrequencySensitivity.HighPass(images, ratio));
            AtomicFile.WriteAllBytes(parse.GetValue(outPath)!, Serialize(r, n));
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"correlation\t{F(r.Correlation)}");
            o.WriteLine("radius\tsensitivity\tpower");
            for (int i = 0; i < r.SensitivityRadial.Length; i++) o.WriteLine($"{i}\t{F(r.SensitivityRadial[i])}\t{F(r.PowerRadial[i])}");
            return 0;
        });
        return cmd;
    }

    private static byte[] Serialize(FrequencyReport r, int n)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteNumber("images", n);
            w.WriteNumber("height", r.Height);
            w.WriteNumber("width", r.Width);
            if (double.IsFinite(r.Correlation)) w.WriteNumber("correlation", r.Correlation); else w.WriteNull("correlation");
            Array(w, "sensitivity", r.Sensitivity);
            Array(w, "power_spectrum", r.PowerSpectrum);
            Array(w, "sensitivity_radial", r.SensitivityRadial);
            Array(w, "power_radial", r.PowerRadial);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void Array(Utf8JsonWriter w, string name, double[] a)
    {
        w.WriteStartArray(name);
        foreach (double v in a) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
