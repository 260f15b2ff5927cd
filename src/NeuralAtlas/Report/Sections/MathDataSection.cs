using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Science.Haldane;
using NeuralAtlas.Science.Quivers;

namespace NeuralAtlas.Report.Sections;

/// <summary>
/// The mathematical data sets, generated small: a balanced Haldane set (Chern-number classes, agreement of the
/// Chern–Weil integral with the lattice method) and quiver mutation classes of A_n and D_n against published sizes.
/// </summary>
public static class MathDataSection
{
    public static void Build(ReportContext ctx, ReportSection s, Action<double> advance)
    {
        bool quick = ctx.Options.Quick;
        int count = quick ? 100 : 300;
        // Small grids keep the section fast; both check grids must resolve the largest frequency (ChernNumber.MinGrid).
        int grid = quick ? 16 : 32;
        int[] checks = quick ? new[] { 16, 32 } : new[] { 32, 64 };
        var options = new HaldaneOptions { Grid = grid, ScreenGrid = checks[0], CheckGrids = checks };
        var set = HaldaneGenerator.Generate(count, options, (ulong)ctx.Options.Seed);
        advance(0.4);

        // Agreement of the two methods on the finest check grid, per sample.
        int top = checks[^1], agree = 0, matchLabel = 0;
        double maxGap = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var (cw, lat) = ChernNumber.Compute(set.Pairs[i], top);
            if (Math.Round(cw) == Math.Round(lat)) agree++;
            if ((int)Math.Round(lat) == set.Chern[i]) matchLabel++;
            maxGap = Math.Max(maxGap, Math.Abs(cw - lat));
        }
        advance(0.6);
        var counts = set.ClassCounts();
        var classes = counts.Keys.ToArray();
        var haldaneChart = new BarChart(classes.Select(c => c.ToString())) { Title = "Haldane data set", XLabel = "Chern number", YLabel = "samples" };
        haldaneChart.Series("samples", classes.Select(c => (double)counts[c]).ToArray());
        s.Figure($"{set.Count} verified Haldane samples (sections on a {grid}×{grid} grid, Chern numbers verified on {string.Join(" and ", checks.Select(g => $"{g}×{g}"))} " +
                 $"grids; {set.Candidates} candidates drawn).", haldaneChart);
        s.Table("Haldane samples per Chern number", new[] { "Chern number", "samples" },
            classes.Select(c => (IReadOnlyList<object>)new object[] { c, counts[c] }));
        s.Table($"Chern–Weil integral vs lattice (Fukui–Hatsugai–Suzuki) Chern number on the {top}×{top} grid", new[] { "quantity", "value" },
            new IReadOnlyList<object>[]
            {
                new object[] { "samples", set.Count },
                new object[] { "both methods round to the same integer", agree },
                new object[] { "lattice number equals the label", matchLabel },
                new object[] { "max |Chern–Weil − lattice|", maxGap },
            });

        // Quiver mutation classes: breadth-first enumeration up to isomorphism vs the published sizes.
        var types = Enumerable.Range(1, 7).Select(n => QuiverType.Create(QuiverFamily.A, n))
            .Concat(Enumerable.Range(4, quick ? 3 : 4).Select(n => QuiverType.Create(QuiverFamily.D, n))).ToList();
        var sizes = new List<(QuiverType T, int Size, long? Published)>();
        for (int i = 0; i < types.Count; i++)
        {
            sizes.Add((types[i], MutationClass.EnumerateKeys(types[i].Representative()).Count, types[i].PublishedClassSize()));
            advance(0.6 + 0.4 * (i + 1) / types.Count);
        }
        var quiverChart = new BarChart(sizes.Select(x => x.T.ToString())) { Title = "Mutation class sizes", YLabel = "quivers up to isomorphism" };
        quiverChart.Series("enumerated", sizes.Select(x => (double)x.Size).ToArray());
        quiverChart.Series("published", sizes.Select(x => (double)(x.Published ?? 0)).ToArray());
        s.Figure("Sizes of the mutation classes of A_n and D_n enumerated by mutation at every vertex up to isomorphism, beside the published counts " +
                 "(Torkildsen 2008 for A_n, Buan–Torkildsen 2009 for D_n).", quiverChart);
        s.Table("Quiver mutation classes", new[] { "type", "vertices", "class size", "published" },
            sizes.Select(x => (IReadOnlyList<object>)new object[] { x.T.ToString(), x.T.Rank, x.Size, x.Published is long p ? (object)(int)p : "-" }));

        s.Values["haldane"] = new JsonObject
        {
            ["samples"] = set.Count, ["grid"] = grid, ["check_grids"] = new JsonArray(checks.Select(g => (JsonNode)g).ToArray()),
            ["candidates"] = set.Candidates,
            ["classes"] = new JsonArray(classes.Select(c => (JsonNode)c).ToArray()),
            ["counts"] = new JsonArray(classes.Select(c => (JsonNode)counts[c]).ToArray()),
            ["methods_agree"] = agree, ["lattice_equals_label"] = matchLabel, ["max_gap"] = ReportValues.Number(maxGap),
        };
        s.Values["quivers"] = new JsonArray(sizes.Select(x => (JsonNode)new JsonObject
        {
            ["type"] = x.T.ToString(), ["size"] = x.Size, ["published"] = x.Published,
        }).ToArray());
        s.Reading = "Two data sets where the right answer is known exactly. Each Haldane sample is a pair of trigonometric polynomials on the " +
                    "torus labelled by the Chern number of the line bundle they define, computed two independent ways (integrating the " +
                    "curvature, and summing lattice Berry phases); the classes are balanced. Each quiver mutation class is grown by mutating " +
                    "at every vertex until nothing new appears; its size matching the published count is a check that mutation and the " +
                    "isomorphism test are right.";
    }
}
