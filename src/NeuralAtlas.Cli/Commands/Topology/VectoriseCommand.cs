using System.CommandLine;
using System.Globalization;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Cli.Commands.Topology;

/// <summary><c>atlas vectorise D1 [D2 …]</c>: Betti curves, landscapes and persistence images of diagrams on one shared grid.</summary>
public sealed class VectoriseCommand : ICliCommand
{
    public Command Create()
    {
        var files = new Argument<string[]>("diagrams") { Description = "Diagram files: JSON/npz from 'atlas ph --out', an npy k×2 array, Ripser's text output, or lines 'birth death'.", Arity = ArgumentArity.OneOrMore };
        var dim = new Option<int>("--dim") { Description = "Homology dimension to read from files holding several.", DefaultValueFactory = _ => 1 };
        var kind = new Option<string>("--kind") { Description = "What to compute: all, or a comma-separated subset of betti, landscape, image.", DefaultValueFactory = _ => "all" };
        var resolution = new Option<int>("--resolution") { Description = "Grid points of the Betti curves and landscapes.", DefaultValueFactory = _ => 100 };
        var range = new Option<string?>("--range") { Description = "Grid range LO,HI of the Betti curves and landscapes (default: smallest birth to largest finite death over all the diagrams)." };
        var landscapes = new Option<int>("--landscapes") { Description = "How many landscape functions λ_1 … λ_K.", DefaultValueFactory = _ => 3 };
        var imageSize = new Option<string>("--image-size") { Description = "Persistence image pixels, WIDTHxHEIGHT (birth × persistence).", DefaultValueFactory = _ => "20x20" };
        var bandwidth = new Option<double?>("--bandwidth") { Description = "Gaussian σ of the persistence image (default: a twentieth of the largest persistence)." };
        var directions = new Option<int>("--directions") { Description = "Directions of the sliced Wasserstein distance matrix between the diagrams (two or more; 0 = skip).", DefaultValueFactory = _ => 50 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output: .json (default) or .npz (grid, betti_i, landscapes_i K×N, image_i H×W, sliced_wasserstein).", DefaultValueFactory = _ => "vectorisation.json" };
        var cmd = new Command("vectorise",
            "Fixed-length summaries of persistence diagrams on one shared grid (for statistics and learning): Betti curves, persistence " +
            "landscapes (Bubenik), persistence images (Adams et al.) and, for two or more diagrams, their sliced Wasserstein distances.");
        cmd.Arguments.Add(files);
        foreach (var o in new Option[] { dim, kind, resolution, range, landscapes, imageSize, bandwidth, directions, outPath }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var paths = parse.GetValue(files)!;
            int k = parse.GetValue(dim);
            var diagrams = paths.Select(p => DiagramIO.Read(p, k)).ToList();
            var kinds = parse.GetValue(kind)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToHashSet();
            bool all = kinds.Contains("all");
            foreach (var s in kinds)
                if (s is not ("all" or "betti" or "landscape" or "image"))
                    throw new AtlasArgumentException("--kind", $"expected all or a list of betti, landscape, image; got '{s}'");
            double? lo = null, hi = null;
            if (parse.GetValue(range) is { } r)
            {
                var parts = r.Split(',');
                if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                    || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
                    throw new AtlasArgumentException("--range", $"expected LO,HI (two numbers), got '{r}'");
                (lo, hi) = (a, b);
            }
            string size = parse.GetValue(imageSize)!;
            var wh = size.Split('x', 'X');
            if (wh.Length != 2 || !int.TryParse(wh[0], out int width) || !int.TryParse(wh[1], out int height))
                throw new AtlasArgumentException("--image-size", $"expected WIDTHxHEIGHT, e.g. 20x20, got '{size}'");
            var features = DiagramFeatures.Compute(diagrams, paths, new DiagramFeatureOptions
            {
                Betti = all || kinds.Contains("betti"),
                Landscapes = all || kinds.Contains("landscape"),
                Image = all || kinds.Contains("image"),
                Resolution = parse.GetValue(resolution),
                RangeLow = lo,
                RangeHigh = hi,
                LandscapeCount = parse.GetValue(landscapes),
                ImageWidth = width,
                ImageHeight = height,
                Bandwidth = parse.GetValue(bandwidth),
                Directions = parse.GetValue(directions),
            });
            features.Save(parse.GetValue(outPath)!);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"grid [{F(features.Grid[0])}, {F(features.Grid[^1])}] × {features.Grid.Length}; image bandwidth {F(features.Bandwidth)}");
            o.WriteLine("diagram\tpoints\tessential\tmax_betti\tlandscape1_max\timage_sum");
            for (int i = 0; i < diagrams.Count; i++)
            {
                string betti = features.Betti[i] is { } bc ? bc.Max().ToString(CultureInfo.InvariantCulture) : "-";
                string l1 = features.Landscapes[i] is { } l ? F(l.Take(features.Grid.Length).Max()) : "-";
                string img = features.Images[i] is { } im ? F(im.Sum()) : "-";
                o.WriteLine($"{paths[i]}\t{diagrams[i].Count}\t{diagrams[i].EssentialCount}\t{betti}\t{l1}\t{img}");
            }
            return 0;
        });
        return cmd;
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
