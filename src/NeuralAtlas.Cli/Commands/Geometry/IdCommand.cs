using System.CommandLine;
using System.Globalization;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas id FILE</c>: intrinsic dimension of a point cloud, or of every layer in an activations file.</summary>
public sealed class IdCommand : ICliCommand
{
    public Command Create()
    {
        var input = new Argument<string>("input")
        {
            Description = "An .npy holding an n×d array (n points; trailing dimensions are flattened), or an .npz/.safetensors " +
                          "of activations with one N×… array per layer (e.g. from 'atlas activations'); rank-0/1 arrays are skipped.",
        };
        var estimator = new Option<string>("--estimator", "-e")
        {
            Description = "twonn (Facco et al.), mle (Levina–Bickel, MacKay–Ghahramani pooling), tle (tight local), mada, mom " +
                          "(method of moments), corrint (correlation dimension), lpca (local PCA), gride (Denti et al.).",
            DefaultValueFactory = _ => "twonn",
        };
        var k = new Option<int>("--k") { Description = "Neighbours per point for mle, tle, mada, mom, lpca; corrint uses radii at k/2 and k.", DefaultValueFactory = _ => 20 };
        var pointwise = new Option<string?>("--pointwise")
        {
            Description = "Write per-point estimates (local estimators: mle, tle, mada, mom, lpca) to this .npy (one float64 per row), " +
                          "or .npz (one vector per layer) for a multi-layer input.",
        };
        var json = new Option<bool>("--json") { Description = "Print the JSON result (value, bootstrap interval, per layer) instead of tab-separated lines." };
        var outPath = new Option<string?>("--out") { Description = "Also write the JSON result to this file (atomically)." };
        var duplicates = new Option<string>("--duplicates")
        {
            Description = "Repeated points make neighbour distances 0: 'error' stops and names them, 'remove' keeps one copy of each.",
            DefaultValueFactory = _ => "error",
        };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples (of per-point statistics, neighbour graph fixed) for the interval; 0 = none.", DefaultValueFactory = _ => 100 };
        var confidence = new Option<double>("--confidence") { Description = "Level of the two-sided percentile interval.", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the bootstrap resampling (same seed, same interval).", DefaultValueFactory = _ => 0UL };
        var discard = new Option<double>("--discard-fraction") { Description = "TwoNN: fraction of the largest ratios r2/r1 left out of the fit.", DefaultValueFactory = _ => 0.1 };
        var criterion = new Option<string>("--pca-criterion")
        {
            Description = "lpca: fo (Fukunaga–Olsen), ratio, maxgap, kaiser, broken-stick or participation-ratio.",
            DefaultValueFactory = _ => "fo",
        };
        var alpha = new Option<double?>("--pca-alpha") { Description = "lpca: α of fo (default 0.05 of the top eigenvalue) or ratio (default 0.95 of the variance)." };
        var n1 = new Option<int>("--gride-n1") { Description = "gride: order of the nearer neighbour in the ratio.", DefaultValueFactory = _ => 1 };
        var n2 = new Option<int>("--gride-n2") { Description = "gride: order of the farther neighbour (n2 > n1).", DefaultValueFactory = _ => 2 };
        var range = new Option<int>("--gride-range") { Description = "gride: also estimate at scales n1 = 1, 2, 4, … up to this neighbour rank (JSON 'scales'); 0 = off.", DefaultValueFactory = _ => 0 };
        var algorithm = new Option<string>("--neighbors")
        {
            Description = "Exact kNN search: auto (KD-tree up to 10 dimensions, else blocked GEMM), brute or kdtree.",
            DefaultValueFactory = _ => "auto",
        };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };

        var cmd = new Command("id",
            "Intrinsic dimension of a point cloud (rows of an .npy) or of every layer of an activations file. Prints " +
            "'estimator<TAB>value' (one 'layer<TAB>estimator<TAB>value' line per layer for .npz); --json/--out give the bootstrap interval too.");
        cmd.Arguments.Add(input);
        foreach (var opt in new Option[] { estimator, k, pointwise, json, outPath, duplicates, bootstrap, confidence, seed, discard, criterion, alpha, n1, n2, range, algorithm, threads })
            cmd.Options.Add(opt);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            string path = parse.GetValue(input)!;
            var est = IdEstimatorNames.Parse(parse.GetValue(estimator)!);
            int nThreads = parse.GetValue(threads);
            if (nThreads < 1) throw new AtlasArgumentException("--threads", $"must be at least 1, got {nThreads}");
            Tensors.Parallelism.MaxThreads = nThreads;
            var options = new IdOptions
            {
                K = parse.GetValue(k),
                DiscardFraction = parse.GetValue(discard),
                GrideN1 = parse.GetValue(n1),
                GrideN2 = parse.GetValue(n2),
                GrideRange = parse.GetValue(range),
                PcaCriterion = IdEstimatorNames.ParseCriterion(parse.GetValue(criterion)!),
                PcaAlpha = parse.GetValue(alpha),
                Duplicates = parse.GetValue(duplicates) switch
                {
                    "error" => DuplicatePolicy.Error,
                    "remove" => DuplicatePolicy.Remove,
                    var s => throw new AtlasArgumentException("--duplicates", $"expected 'error' or 'remove', got '{s}'"),
                },
                Bootstrap = parse.GetValue(bootstrap),
                Confidence = parse.GetValue(confidence),
                Seed = parse.GetValue(seed),
                Algorithm = parse.GetValue(algorithm) switch
                {
                    "auto" => KnnAlgorithm.Auto,
                    "brute" => KnnAlgorithm.BruteForce,
                    "kdtree" => KnnAlgorithm.KdTree,
                    var s => throw new AtlasArgumentException("--neighbors", $"expected auto, brute or kdtree, got '{s}'"),
                },
            };
            string? pw = parse.GetValue(pointwise);
            if (pw is not null && !est.IsLocal())
                throw new AtlasArgumentException("--pointwise", $"{est.Name()} is a global estimator; per-point values exist for mle, tle, mada, mom and lpca");

            bool multi = !IsNpy(path);
            var layers = LayerDimensions.FromFile(path, est, options);
            var bytes = IdJson.Serialize(path, est, options, layers);
            if (parse.GetValue(outPath) is { } op) AtomicFile.WriteAllBytes(op, bytes);
            if (pw is not null)
            {
                if (!multi) Npy.Write(pw, layers[0].Estimate.Pointwise!, new[] { layers[0].Estimate.Pointwise!.Length });
                else Npz.Write(pw, layers.Select(l => new KeyValuePair<string, NdArray>(l.Layer, NdArray.FromDoubles(l.Estimate.Pointwise!, l.Estimate.Pointwise!.Length))));
            }
            if (parse.GetValue(json)) o.WriteLine(System.Text.Encoding.UTF8.GetString(bytes));
            else
                foreach (var l in layers)
                    o.WriteLine(multi ? $"{l.Layer}\t{est.Name()}\t{F(l.Estimate.Value)}" : $"{est.Name()}\t{F(l.Estimate.Value)}");
            return 0;
        });
        return cmd;
    }

    private static bool IsNpy(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var head = new byte[6];
        using var fs = File.OpenRead(path);
        int got = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return got == 6 && head[0] == 0x93 && head[1] == 'N';
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
