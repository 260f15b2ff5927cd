using System.Globalization;

namespace NeuralAtlas.Topology;

/// <summary>
/// One persistent-homology run as a command line states it: the input file and format, the <see cref="RipsOptions"/>,
/// the metric and where the diagrams go. <c>atlas ph</c> fills it from its parsed options; <c>atlas-ph</c> (the
/// ahead-of-time compiled engine, which carries no command-line library) parses its arguments with
/// <see cref="Parse"/>. Both then call <see cref="Execute"/>, so the two print the same thing.
/// </summary>
public sealed record RipserCommandLine
{
    public required string Path { get; init; }
    /// <summary>Null: guessed from the file name (<see cref="RipserFormats.Guess"/>).</summary>
    public RipserFormat? Format { get; init; }
    public RipsOptions Options { get; init; } = new();
    public PointMetric Metric { get; init; } = PointMetric.Euclidean;
    /// <summary>Print JSON instead of Ripser's text.</summary>
    public bool Json { get; init; }
    /// <summary>Also write the diagrams here (.json or .npz).</summary>
    public string? OutPath { get; init; }

    public const string Usage = """
        Usage: atlas-ph FILE [options]

        Vietoris–Rips persistent homology over Z/p with Ripser's algorithm; prints Ripser's text output (same
        intervals, same order, same digits). The engine of `atlas ph`, compiled ahead of time: no runtime start-up
        and a few MB of memory of its own.

        Options:
          --format F       lower-distance, upper-distance, distance, point-cloud, dipha, sparse, binary, npy,
                           npy-distance, npy-points (default: npy for .npy, dipha for .dipha, else distance, as Ripser)
          --dim K          compute persistent homology up to dimension K (default 1)
          --threshold T    only simplices of diameter at most T (default: the enclosing radius for dense input)
          --modulus P      coefficients in Z/p for a prime p <= 251 (default 2)
          --ratio R        only report intervals with death/birth above R (default 1)
          --metric M       for point clouds: euclidean, cosine, manhattan or chebyshev (default euclidean)
          --cocycles       also compute representative cocycles (written with --json/--out)
          --json           print JSON (intervals per dimension, null for infinite deaths) instead of Ripser's text
          --out PATH       also write the diagrams to PATH: .json, or .npz with one k x 2 array dgmK per dimension
          --threads T      threads for the parts that parallelise (default 1)
          --force          run even when the memory estimate exceeds the available memory
          -h, --help       show this help
        """;

    /// <summary>
    /// Parses atlas-ph's arguments (the options of <c>atlas ph</c>, also in Ripser's own spelling). Returns null
    /// when help was asked for. Errors name the argument and what was expected.
    /// </summary>
    public static RipserCommandLine? Parse(IReadOnlyList<string> args)
    {
        string? path = null, outPath = null;
        RipserFormat? format = null;
        var options = new RipsOptions();
        var metric = PointMetric.Euclidean;
        bool json = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new AtlasArgumentException(a, "expected a value after it");
            int Int()
            {
                string v = Value();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : throw new AtlasArgumentException(a, $"expected an integer, got '{v}'");
            }
            double Real()
            {
                string v = Value();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && !double.IsNaN(x) ? x : throw new AtlasArgumentException(a, $"expected a number, got '{v}'");
            }
            switch (a)
            {
                case "-h" or "--help" or "-?": return null;
                case "--format": format = RipserFormats.Parse(Value()); break;
                case "--dim": options = options with { MaxDimension = Int() }; break;
                case "--threshold": options = options with { Threshold = Real() }; break;
                case "--modulus": options = options with { Modulus = Int() }; break;
                case "--ratio": options = options with { Ratio = Real() }; break;
                case "--metric": metric = PointMetrics.Parse(Value()); break;
                case "--cocycles": options = options with { Cocycles = true }; break;
                case "--json": json = true; break;
                case "--out": outPath = Value(); break;
                case "--threads": options = options with { Threads = Int() }; break;
                case "--force": options = options with { IgnoreMemoryEstimate = true }; break;
                default:
                    if (a.StartsWith('-') && a.Length > 1) throw new AtlasArgumentException(a, "unknown option (see --help)");
                    if (path is not null) throw new AtlasArgumentException(a, $"expected one input file, already have '{path}'");
                    path = a;
                    break;
            }
        }
        if (path is null) throw new AtlasArgumentException("FILE", "expected an input file (see --help)");
        return new RipserCommandLine { Path = path, Format = format, Options = options, Metric = metric, Json = json, OutPath = outPath };
    }

    /// <summary>Reads the input, computes, prints Ripser's text (or JSON) to <paramref name="output"/>, saves the diagrams if asked.</summary>
    public PersistenceResult Execute(TextWriter output)
    {
        var input = RipserInput.Read(Path, Format ?? RipserFormats.Guess(Path));
        var result = RipserCompat.Run(input, Options, Metric, Json ? null : output);
        if (Json) output.WriteLine(DiagramIO.ToJson(result));
        if (OutPath is not null) DiagramIO.Save(OutPath, result);
        return result;
    }
}
