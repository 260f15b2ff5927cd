using System.CommandLine;
using System.Globalization;
using NeuralAtlas.IO;

namespace NeuralAtlas.Cli.Commands.IO;

/// <summary><c>atlas tensors FILE</c>: what an npy, npz or safetensors file holds, with summary statistics.</summary>
public sealed class TensorsCommand : ICliCommand
{
    public Command Create()
    {
        var file = new Argument<string>("file") { Description = "An .npy, .npz or .safetensors file (the format is recognised from its first bytes)." };
        var stats = new Option<bool>("--no-stats") { Description = "List names, dtypes and shapes only, without min/max/mean (faster on large files)." };
        var against = new Option<string?>("--against")
        {
            Description = "Instead of listing, compare FILE with this second tensor file (e.g. a PyTorch state dict and ours): print " +
                          "missing/unexpected names, shape mismatches and the largest absolute difference of each common tensor. " +
                          "Exits 3 when names or shapes differ.",
        };
        var cmd = new Command("tensors", "List the tensors in an npy, npz or safetensors file: name, dtype, shape, min, max and mean (NaNs are counted, not averaged).");
        cmd.Arguments.Add(file);
        cmd.Options.Add(stats);
        cmd.Options.Add(against);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            string path = parse.GetValue(file)!;
            if (parse.GetValue(against) is string other) return Compare(o, path, other);
            var (format, tensors, metadata) = TensorFiles.Read(path);
            o.WriteLine($"# {path}: {format}, {tensors.Count} tensor{(tensors.Count == 1 ? "" : "s")}");
            foreach (var (k, v) in metadata) o.WriteLine($"# metadata {k} = {v}");
            bool noStats = parse.GetValue(stats);
            o.WriteLine(noStats ? "name\tdtype\tshape" : "name\tdtype\tshape\tmin\tmax\tmean\tnan");
            foreach (var (name, a) in tensors)
            {
                string shape = "[" + string.Join(",", a.Shape) + "]";
                string dtype = format == "safetensors" ? a.DType.SafetensorsName() : a.DType.NumpyName();
                if (noStats) { o.WriteLine($"{name}\t{dtype}\t{shape}"); continue; }
                var s = TensorFiles.Summarize(a);
                o.WriteLine($"{name}\t{dtype}\t{shape}\t{F(s.Min)}\t{F(s.Max)}\t{F(s.Mean)}\t{s.NaNs}");
            }
            return 0;
        });
        return cmd;
    }

    private static int Compare(TextWriter o, string a, string b)
    {
        var ta = TensorFiles.Read(a).Tensors;
        var tb = TensorFiles.Read(b).Tensors;
        var issues = Checkpoint.Mismatches(ta.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Shape)), tb.ToDictionary(kv => kv.Key, kv => kv.Value.Shape));
        o.WriteLine($"# {a} against {b}: {issues.Count} name/shape mismatch{(issues.Count == 1 ? "" : "es")}");
        foreach (var line in issues) o.WriteLine(line);
        o.WriteLine("name	max_abs_diff");
        foreach (var (k, x) in ta)
        {
            if (!tb.TryGetValue(k, out var y) || !x.Shape.AsSpan().SequenceEqual(y.Shape)) continue;
            double[] u = x.ToDoubles(), v = y.ToDoubles();
            double m = 0;
            for (int i = 0; i < u.Length; i++)
            {
                double d = Math.Abs(u[i] - v[i]);
                if (double.IsNaN(d)) d = double.IsNaN(u[i]) && double.IsNaN(v[i]) ? 0 : double.PositiveInfinity;
                m = Math.Max(m, d);
            }
            o.WriteLine($"{k}	{F(m)}");
        }
        return issues.Count == 0 ? 0 : 3;
    }

    private static string F(double x) => double.IsNaN(x) ? "-" : x.ToString("G6", CultureInfo.InvariantCulture);
}
