using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NeuralAtlas.Robustness.Attacks;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary><c>atlas scaling-law</c>: attack success against ε and subspace dimension, and the collapse on ε·(dim V/dim X)^{1/q}.</summary>
public sealed class ScalingLawCommand : ICliCommand
{
    public Command Create()
    {
        var m = new TrainedModelOptions(defaultCount: 200);
        var norms = new Option<string>("--norms") { Description = "Norms to run: a comma list of inf, 2, 1.", DefaultValueFactory = _ => "inf,2,1" };
        var ratios = new Option<string>("--ratios") { Description = "Subspace sizes dim V / dim X (random pixel subsets).", DefaultValueFactory = _ => "0.00390625,0.015625,0.0625,0.25,1" };
        var epsInf = new Option<string>("--eps-inf") { Description = "ε grid for ℓ∞.", DefaultValueFactory = _ => "0.01,0.03,0.1,0.3,1" };
        var eps2 = new Option<string>("--eps-2") { Description = "ε grid for ℓ2.", DefaultValueFactory = _ => "0.1,0.3,1,3,10" };
        var eps1 = new Option<string>("--eps-1") { Description = "ε grid for ℓ1.", DefaultValueFactory = _ => "1,3,10,30,100" };
        var steps = new Option<int>("--steps") { Description = "PGD steps per attack.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of subspaces and random starts.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write every point (norm, ratio, ε, effective ε, success) as JSON." };
        var cmd = new Command("scaling-law", "Run PGD in random pixel subspaces of several sizes for each norm and ε; prints success against ε and against ε·(dim V/dim X)^(1/q), where curves for p > 1 collapse.");
        m.AddTo(cmd);
        foreach (var o in new Option[] { norms, ratios, epsInf, eps2, eps1, steps, seed, output }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var ps = parse.GetValue(norms)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(LpNorms.Parse).Distinct().ToList();
            var rs = Numbers(parse.GetValue(ratios)!, "--ratios");
            var grids = new Dictionary<LpNorm, double[]>
            {
                [LpNorm.Inf] = Numbers(parse.GetValue(epsInf)!, "--eps-inf"),
                [LpNorm.L2] = Numbers(parse.GetValue(eps2)!, "--eps-2"),
                [LpNorm.L1] = Numbers(parse.GetValue(eps1)!, "--eps-1"),
            };
            foreach (var g in grids.Values)
                if (g.Any(e => !(e >= 0))) throw new AtlasArgumentException("--eps", "every ε must be ≥ 0");
            var (model, images, labels, _) = m.Load(parse);
            var o = parse.InvocationConfiguration.Output;
            var points = ScalingLaw.Run(model, images, labels, ps, rs, p => grids[p], parse.GetValue(steps), parse.GetValue(seed));
            o.WriteLine("norm\tratio\tdim_v\teps\teffective_eps\tsuccess");
            foreach (var pt in points)
                o.WriteLine(string.Join('\t', pt.Norm, F(pt.Ratio), pt.DimV, F(pt.Epsilon), F(pt.EffectiveEpsilon), F(pt.SuccessRate)));
            var json = new JsonObject { ["count"] = labels.Length, ["steps"] = parse.GetValue(steps) };
            var spread = new JsonObject();
            foreach (var p in ps)
            {
                double s = ScalingLaw.CollapseSpread(points, p.Name());
                spread[p.Name()] = double.IsFinite(s) ? s : null;
                o.WriteLine($"# collapse spread (mean success gap at matched effective ε), p={p.Name()}: {F(s)}");
            }
            json["collapse_spread"] = spread;
            json["points"] = new JsonArray(points.Select(pt => (JsonNode)new JsonObject
            {
                ["norm"] = pt.Norm, ["ratio"] = pt.Ratio, ["dim_v"] = pt.DimV, ["dim_x"] = pt.DimX, ["eps"] = pt.Epsilon,
                ["effective_eps"] = pt.EffectiveEpsilon, ["success"] = pt.SuccessRate,
            }).ToArray());
            if (parse.GetValue(output) is string path) TrainedModelOptions.WriteJson(path, json);
            return 0;
        });
        return cmd;
    }

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    internal static double[] Numbers(string text, string option)
    {
        try
        {
            var v = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (v.Length == 0) throw new FormatException();
            return v;
        }
        catch (FormatException)
        {
            throw new AtlasArgumentException(option, $"'{text}' is not a comma-separated list of numbers");
        }
    }
}
