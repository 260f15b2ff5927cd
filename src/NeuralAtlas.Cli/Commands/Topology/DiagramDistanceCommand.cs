using System.CommandLine;
using System.Globalization;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Cli.Commands.Topology;

/// <summary><c>atlas diagram-distance A B</c>: bottleneck or p-Wasserstein distance between two persistence diagrams.</summary>
public sealed class DiagramDistanceCommand : ICliCommand
{
    public Command Create()
    {
        var a = new Argument<string>("a") { Description = "First diagram: JSON from 'atlas ph --json/--out', an npz (dgmK arrays), an npy k×2 array, Ripser's text output, or lines 'birth death' (death 'inf' for essential classes)." };
        var b = new Argument<string>("b") { Description = "Second diagram, in any of the same forms." };
        var metric = new Option<string>("--metric") { Description = "bottleneck (exact), wasserstein (exact up to --exact-limit points, else auction with a bound), or sliced (sliced Wasserstein).", DefaultValueFactory = _ => "bottleneck" };
        var p = new Option<double>("--p") { Description = "Order p ≥ 1 of the Wasserstein distance.", DefaultValueFactory = _ => 2.0 };
        var internalP = new Option<double>("--internal-p") { Description = "Ground metric of --metric wasserstein: L_q between points, q ≥ 1 or inf (GUDHI's internal_p).", DefaultValueFactory = _ => double.PositiveInfinity };
        var dim = new Option<int>("--dim") { Description = "Homology dimension to read from files holding several (JSON, npz, Ripser text).", DefaultValueFactory = _ => 1 };
        var exactLimit = new Option<int>("--exact-limit") { Description = "Largest total number of finite points solved exactly (Hungarian); above it the auction algorithm reports an interval.", DefaultValueFactory = _ => 1200 };
        var directions = new Option<int>("--directions") { Description = "Number of directions for --metric sliced.", DefaultValueFactory = _ => 50 };
        var cmd = new Command("diagram-distance", "Distance between two persistence diagrams (L∞ ground metric unless --internal-p; essential classes matched among themselves, infinite distance when their counts differ).");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        foreach (var o in new Option[] { metric, p, internalP, dim, exactLimit, directions }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var w = parse.InvocationConfiguration.Output;
            int k = parse.GetValue(dim);
            var da = DiagramIO.Read(parse.GetValue(a)!, k);
            var db = DiagramIO.Read(parse.GetValue(b)!, k);
            string m = parse.GetValue(metric)!.ToLowerInvariant();
            switch (m)
            {
                case "bottleneck":
                    w.WriteLine(F(DiagramDistance.Bottleneck(da, db)));
                    break;
                case "wasserstein":
                    var est = DiagramDistance.WassersteinWithBound(da, db, parse.GetValue(p), parse.GetValue(exactLimit), internalP: parse.GetValue(internalP));
                    w.WriteLine(est.Exact ? F(est.Value) : $"{F(est.Value)}\t# auction: true value in [{F(est.Lower)}, {F(est.Upper)}]");
                    break;
                case "sliced":
                    w.WriteLine(F(Vectorisation.SlicedWasserstein(da, db, parse.GetValue(directions))));
                    break;
                default:
                    throw new AtlasArgumentException("--metric", $"expected bottleneck, wasserstein or sliced, got '{m}'");
            }
            return 0;
        });
        return cmd;
    }

    private static string F(double x) => double.IsPositiveInfinity(x) ? "inf" : x.ToString("R", CultureInfo.InvariantCulture);
}
