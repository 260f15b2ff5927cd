using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Cli.Commands.Topology;

/// <summary><c>atlas layer-topology acts.npz</c>: H0/H1 per layer and sliced Wasserstein distances between layers.</summary>
public sealed class LayerTopologyCommand : ICliCommand
{
    public Command Create()
    {
        var files = new Argument<string[]>("activations") { Description = "One or more .npz files of activations (one array per layer, first axis = images; n×c×h×w arrays use the largest-norm spatial vector per image). Several files compare layers across models.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Write the JSON (diagrams per layer, distance matrices) here; default: print a summary and the H1 distance matrix." };
        var maxPoints = new Option<int>("--max-points") { Description = "At most this many images (a seeded subsample shared by all layers).", DefaultValueFactory = _ => 400 };
        var dim = new Option<int>("--dim") { Description = "Homology up to this dimension.", DefaultValueFactory = _ => 1 };
        var directions = new Option<int>("--directions") { Description = "Directions of the sliced Wasserstein distance.", DefaultValueFactory = _ => 50 };
        var normalize = new Option<bool>("--normalize") { Description = "Scale each layer's cloud to unit mean pairwise distance before persistence." };
        var skip = new Option<string[]>("--skip") { Description = "Arrays to ignore (e.g. labels).", DefaultValueFactory = _ => new[] { "labels", "targets", "y" }, AllowMultipleArgumentsPerToken = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the image subsample.", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "Threads for the persistence computation.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("layer-topology", "Topology of a network's layers: per layer the point cloud of images, its H0/H1 persistence diagrams, and sliced Wasserstein distances between layers (of one model or several).");
        cmd.Arguments.Add(files);
        foreach (var o in new Option[] { output, maxPoints, dim, directions, normalize, skip, seed, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var w = parse.InvocationConfiguration.Output;
            var paths = parse.GetValue(files)!;
            var skipSet = new HashSet<string>(parse.GetValue(skip)!, StringComparer.Ordinal);
            var layers = new List<(string, NdArray)>();
            foreach (var p in paths)
            {
                var z = Npz.Read(p);
                foreach (var (k, a) in z)
                {
                    if (skipSet.Contains(k) || a.Rank < 2) continue;
                    layers.Add((paths.Length > 1 ? $"{Path.GetFileNameWithoutExtension(p)}:{k}" : k, a));
                }
            }
            if (layers.Count == 0) throw new AtlasFormatException(paths[0], 0, "at least one activation array with an image axis (rank ≥ 2)");
            var r = LayerTopology.Compute(layers, new LayerTopologyOptions
            {
                MaxPoints = parse.GetValue(maxPoints),
                MaxDimension = parse.GetValue(dim),
                Directions = parse.GetValue(directions),
                Normalize = parse.GetValue(normalize),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            });
            foreach (var l in r.Layers)
                w.WriteLine($"{l.Name}\t{l.Points} points in R^{l.Dimension}\t" + string.Join("\t", l.Diagrams.Select(d => $"H{d.Dimension}: {d.Count}")));
            int top = Math.Min(1, r.SlicedWasserstein.Count - 1);
            w.WriteLine($"sliced Wasserstein distances (H{top}):");
            var m = r.SlicedWasserstein[top];
            for (int i = 0; i < m.GetLength(0); i++)
                w.WriteLine(string.Join("\t", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString("G5", System.Globalization.CultureInfo.InvariantCulture))));
            if (parse.GetValue(output) is { } o) AtomicFile.WriteAllText(o, LayerTopology.ToJson(r) + "\n");
            return 0;
        });
        return cmd;
    }
}
