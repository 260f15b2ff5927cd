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
        var cmd = new Command("tensors", "List the tensors in an npy, npz or safetensors file: name, dtype, shape, min, max and mean (NaNs are counted, not averaged).");
        cmd.Arguments.Add(file);
        cmd.Options.Add(stats);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            string path = parse.GetValue(file)!;
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

    private static string F(double x) => double.IsNaN(x) ? "-" : x.ToString("G6", CultureInfo.InvariantCulture);
}
