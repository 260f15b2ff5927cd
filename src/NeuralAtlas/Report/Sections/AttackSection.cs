using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Robustness.Attacks;

namespace NeuralAtlas.Report.Sections;

/// <summary>PGD success against ε in random pixel subspaces of several sizes, and the same curves against ε·(dim V/dim X)^{1/q}.</summary>
public static class AttackSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        var m = ctx.Models[0];
        var test = ctx.Data.Test.Take(Math.Min(Math.Min(ctx.Options.Quick ? 60 : 200, ctx.Options.RobustnessImages), ctx.Data.Test.Count));
        var images = test.Images();
        var labels = test.Labels.ToArray();
        var ratios = ctx.Options.Quick ? new[] { 1.0 / 16, 1.0 / 4, 1 } : new[] { 1.0 / 64, 1.0 / 16, 1.0 / 4, 1 };
        var grids = new Dictionary<LpNorm, double[]>
        {
            [LpNorm.Inf] = ctx.Options.Quick ? new[] { 0.02, 0.1, 0.3 } : new[] { 0.01, 0.03, 0.1, 0.3, 0.6 },
            [LpNorm.L2] = ctx.Options.Quick ? new[] { 0.3, 1, 3 } : new[] { 0.1, 0.3, 1, 3, 6 },
        };
        var points = ScalingLaw.Run(m.Module, images, labels, grids.Keys.ToList(), ratios, p => grids[p], steps: ctx.Options.Quick ? 5 : 10, seed: ctx.Options.Seed,
            progress: (done, total) => advance(done / (double)total));
        foreach (var p in grids.Keys)
        {
            string name = p.Name();
            var byEps = new XYChart { Title = $"ℓ{(p == LpNorm.Inf ? "∞" : "2")} PGD success vs ε", XLabel = "ε", YLabel = "success rate", LogX = true, YRange = (0, 1) };
            var byEff = new XYChart { Title = $"Same runs vs ε·(dim V/dim X)^(1/q)", XLabel = "effective ε", YLabel = "success rate", LogX = true, YRange = (0, 1) };
            foreach (double r in ratios)
            {
                var pts = points.Where(x => x.Norm == name && x.Ratio == r).OrderBy(x => x.Epsilon).ToList();
                string label = r == 1 ? "dim V = dim X" : $"dim V/dim X = 1/{Math.Round(1 / r)}";
                byEps.Line(pts.Select(x => x.Epsilon).ToArray(), pts.Select(x => x.SuccessRate).ToArray(), label);
                byEff.Line(pts.Select(x => x.EffectiveEpsilon).ToArray(), pts.Select(x => x.SuccessRate).ToArray(), label);
            }
            s.Figure($"Attack success on {labels.Length} test images when the perturbation may only touch a random subset of pixels.", byEps);
            s.Figure("For p > 1 the curves should collapse onto one another on this axis.", byEff);
            s.Values[$"collapse_spread_{name}"] = ReportValues.Number(ScalingLaw.CollapseSpread(points, name));
        }
        s.Table("Attack success", new[] { "norm", "dim V/dim X", "ε", "effective ε", "success" },
            points.Select(x => (IReadOnlyList<object>)new object[] { x.Norm, x.Ratio, x.Epsilon, x.EffectiveEpsilon, x.SuccessRate }));
        s.Values["points"] = new JsonArray(points.Select(x => (JsonNode)new JsonObject
        {
            ["norm"] = x.Norm, ["ratio"] = x.Ratio, ["eps"] = x.Epsilon, ["effective_eps"] = x.EffectiveEpsilon, ["success"] = x.SuccessRate,
        }).ToArray());
        s.Reading = "Projected gradient descent looks for a small perturbation that flips the model's answer, here confined to a " +
                    "random subset of the pixels. Smaller subspaces need larger budgets; the theory says success depends only on " +
                    "ε·(dim V/dim X)^(1/q) with 1/p + 1/q = 1, so on the right-hand plots the curves for different subspace sizes should " +
                    "fall on top of each other (the collapse spread in the JSON measures how well they do).";
    }
}
