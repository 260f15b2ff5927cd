using System.CommandLine;
using System.Globalization;
using NeuralAtlas.IO;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Cli.Commands.Topology;

/// <summary><c>atlas mapper POINTS</c>: the Mapper graph of a point cloud, as JSON.</summary>
public sealed class MapperCommand : ICliCommand
{
    public Command Create()
    {
        var file = new Argument<string>("points") { Description = "Point cloud: an .npy n×d array, an .npz (array named by --key, labels from --labels-key if present), or a text file with one point per line." };
        var key = new Option<string?>("--key") { Description = "Array to use from an .npz (default: the first array that is not the labels)." };
        var labelsKey = new Option<string>("--labels-key") { Description = "Integer labels array in the .npz, for node purity.", DefaultValueFactory = _ => "labels" };
        var labelsFile = new Option<string?>("--labels") { Description = "Integer labels (.npy, one per point) for node purity." };
        var lens = new Option<string>("--lens") { Description = "Lens: pcaK (K-th principal component), norm, centroid (distance to the centroid), point:I (distance to point I), column:J (coordinate J).", DefaultValueFactory = _ => "pca0" };
        var lens2 = new Option<string?>("--lens2") { Description = "A second lens for a 2-D cover (same choices as --lens)." };
        var intervals = new Option<int>("--intervals") { Description = "Cover intervals per lens coordinate.", DefaultValueFactory = _ => 10 };
        var overlap = new Option<double>("--overlap") { Description = "Overlap fraction of neighbouring intervals, in [0, 1).", DefaultValueFactory = _ => 0.3 };
        var clustering = new Option<string>("--clustering") { Description = "single-linkage (cut at --eps) or dbscan.", DefaultValueFactory = _ => "single-linkage" };
        var eps = new Option<double?>("--eps") { Description = "Neighbourhood radius (default: 3 × the median nearest-neighbour distance)." };
        var minPts = new Option<int>("--min-points") { Description = "DBSCAN's min_samples (the point itself included).", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Write the graph JSON here (default: print it)." };
        var cmd = new Command("mapper", "Mapper graph (Singh–Mémoli–Carlsson): cover a lens by overlapping intervals, cluster each preimage, connect clusters sharing points; node membership and class purity as JSON.");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { key, labelsKey, labelsFile, lens, lens2, intervals, overlap, clustering, eps, minPts, output }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var (pts, n, d, labels) = Load(path, parse.GetValue(key), parse.GetValue(labelsKey)!);
            if (parse.GetValue(labelsFile) is { } lf) labels = Npy.Read(lf).ToInt64s().Select(x => (int)x).ToArray();
            var lenses = new List<double[]> { Lens(parse.GetValue(lens)!, pts, n, d) };
            if (parse.GetValue(lens2) is { } l2) lenses.Add(Lens(l2, pts, n, d));
            string cl = parse.GetValue(clustering)!.ToLowerInvariant();
            var options = new MapperOptions
            {
                Intervals = parse.GetValue(intervals),
                Overlap = parse.GetValue(overlap),
                Clustering = cl switch
                {
                    "dbscan" => MapperClustering.Dbscan,
                    "single-linkage" or "single" => MapperClustering.SingleLinkage,
                    _ => throw new AtlasArgumentException("--clustering", $"expected single-linkage or dbscan, got '{cl}'"),
                },
                Epsilon = parse.GetValue(eps),
                MinPoints = parse.GetValue(minPts),
            };
            var g = Mapper.Build(pts, n, d, lenses.ToArray(), options, labels);
            string json = Mapper.ToJson(g);
            if (parse.GetValue(output) is { } o)
            {
                AtomicFile.WriteAllText(o, json + "\n");
                parse.InvocationConfiguration.Output.WriteLine($"{g.Nodes.Count} nodes, {g.Edges.Count} edges (eps {g.Epsilon.ToString("G6", CultureInfo.InvariantCulture)}) -> {o}");
            }
            else parse.InvocationConfiguration.Output.WriteLine(json);
            return 0;
        });
        return cmd;
    }

    internal static double[] Lens(string spec, double[] pts, int n, int d)
    {
        string s = spec.ToLowerInvariant();
        if (s.StartsWith("pca", StringComparison.Ordinal) && int.TryParse(s[3..], NumberStyles.None, CultureInfo.InvariantCulture, out int k)) return MapperLens.Pca(pts, n, d, k);
        if (s == "norm") return MapperLens.Norm(pts, n, d);
        if (s == "centroid") return MapperLens.DistanceTo(pts, n, d, MapperLens.Centroid(pts, n, d));
        if (s.StartsWith("point:", StringComparison.Ordinal) && int.TryParse(s[6..], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < n)
            return MapperLens.DistanceTo(pts, n, d, pts.AsSpan(i * d, d).ToArray());
        if (s.StartsWith("column:", StringComparison.Ordinal) && int.TryParse(s[7..], NumberStyles.None, CultureInfo.InvariantCulture, out int j) && j < d)
            return MapperLens.Apply(pts, n, d, x => x[j]);
        throw new AtlasArgumentException("--lens", $"expected pcaK, norm, centroid, point:I (I < {n}) or column:J (J < {d}), got '{spec}'");
    }

    private static (double[] Pts, int N, int D, int[]? Labels) Load(string path, string? key, string labelsKey)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var z = Npz.Read(path);
            string k = key ?? z.Keys.FirstOrDefault(x => x != labelsKey) ?? throw new AtlasFormatException(path, 0, "an array of points");
            if (!z.TryGetValue(k, out var a)) throw new AtlasFormatException(path, 0, $"an array named '{k}', found {string.Join(", ", z.Keys)}");
            int[]? labels = z.TryGetValue(labelsKey, out var l) ? l.ToInt64s().Select(x => (int)x).ToArray() : null;
            var (p, n, d) = LayerTopology.PointCloud(a);
            return (p, n, d, labels);
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var (p, n, d) = LayerTopology.PointCloud(Npy.Read(path));
            return (p, n, d, null);
        }
        var inp = RipserInput.Read(path, RipserFormat.PointCloud);
        return (Array.ConvertAll(inp.Points!, x => (double)x), inp.PointCount, inp.Dimension, null);
    }
}
