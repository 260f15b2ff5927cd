using System.CommandLine;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Cli.Commands.Topology;

/// <summary><c>atlas ph FILE</c>: Vietoris–Rips persistent homology, printing exactly Ripser's text output.</summary>
public sealed class PhCommand : ICliCommand
{
    public Command Create()
    {
        var file = new Argument<string>("file") { Description = "Input: a distance matrix, point cloud or sparse distance list in one of Ripser's formats, or an .npy array." };
        var format = new Option<string?>("--format") { Description = $"Input format: {RipserFormats.Names}. Default: npy for .npy files, dipha for .dipha, else distance (Ripser's default)." };
        var dim = new Option<int>("--dim") { Description = "Compute persistent homology up to this dimension.", DefaultValueFactory = _ => 1 };
        var threshold = new Option<double?>("--threshold") { Description = "Only simplices of diameter at most this (default: the enclosing radius for dense input; every pair for sparse input)." };
        var modulus = new Option<int>("--modulus") { Description = "Coefficients in Z/p for a prime p ≤ 251.", DefaultValueFactory = _ => 2 };
        var ratio = new Option<double>("--ratio") { Description = "Only report intervals with death/birth above this ratio.", DefaultValueFactory = _ => 1.0 };
        var metric = new Option<string>("--metric") { Description = "Metric for point clouds: euclidean, cosine, manhattan or chebyshev.", DefaultValueFactory = _ => "euclidean" };
        var cocycles = new Option<bool>("--cocycles") { Description = "Also compute representative cocycles (written with --json/--out)." };
        var json = new Option<bool>("--json") { Description = "Print JSON (intervals per dimension, null for infinite deaths) instead of Ripser's text." };
        var output = new Option<string?>("--out") { Description = "Also write the diagrams to this file: .json, or .npz with one k×2 array dgmK per dimension." };
        var threads = new Option<int>("--threads") { Description = "Threads for the parts that parallelise (assembling columns, neighbour graphs).", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Run even when the memory estimate exceeds the available memory." };
        var cmd = new Command("ph", "Vietoris–Rips persistent homology over Z/p with Ripser's algorithm; prints Ripser's text output (same intervals, same order, same digits). " +
            "./atlas-ph at the repository root runs the same engine compiled ahead of time (same options and output, a few MB and no runtime start-up).");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { format, dim, threshold, modulus, ratio, metric, cocycles, json, output, threads, force }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var run = new RipserCommandLine
            {
                Path = parse.GetValue(file)!,
                Format = parse.GetValue(format) is { } f ? RipserFormats.Parse(f) : null,
                Options = new RipsOptions
                {
                    MaxDimension = parse.GetValue(dim),
                    Threshold = parse.GetValue(threshold),
                    Modulus = parse.GetValue(modulus),
                    Ratio = parse.GetValue(ratio),
                    Cocycles = parse.GetValue(cocycles),
                    Threads = parse.GetValue(threads),
                    IgnoreMemoryEstimate = parse.GetValue(force),
                },
                Metric = PointMetrics.Parse(parse.GetValue(metric)!),
                Json = parse.GetValue(json),
                OutPath = parse.GetValue(output),
            };
            run.Execute(parse.InvocationConfiguration.Output);
            return 0;
        });
        return cmd;
    }
}
