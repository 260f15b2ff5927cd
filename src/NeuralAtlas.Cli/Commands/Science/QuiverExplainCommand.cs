using System.CommandLine;
using System.Diagnostics;
using NeuralAtlas.Science.Quivers;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Science;

/// <summary><c>atlas quiver explain</c>: trains the quiver GNN and explains its decisions by arrow/vertex deletion and edge saliency.</summary>
internal static class QuiverExplainCommand
{
    public static Command Create()
    {
        var trainMin = new Option<int>("--train-min") { Description = "Smallest vertex count in the training set.", DefaultValueFactory = _ => 6 };
        var trainMax = new Option<int>("--train-max") { Description = "Largest vertex count in the training set.", DefaultValueFactory = _ => 10 };
        var testN = new Option<int>("--test-vertices") { Description = "Vertex count of the quivers whose predictions are explained (unseen size).", DefaultValueFactory = _ => 11 };
        var types = new Option<string>("--types") { Description = "Comma-separated families (A, D, E, A~, D~, E~).", DefaultValueFactory = _ => "A,D,E,A~,D~,E~" };
        var per = new Option<int>("--max-per-type") { Description = "At most this many training quivers per type and vertex count (0 = whole classes).", DefaultValueFactory = _ => 300 };
        var explainPer = new Option<int>("--explain-per-type") { Description = "At most this many test quivers per type to explain.", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 20 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 3e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for sampling, relabelling, initialisation and batch order.", DefaultValueFactory = _ => 0UL };
        var cmd = new Command("explain",
            "Train the quiver GNN as 'quiver train' does, then explain its decisions on test quivers: for every arrow, the drop in " +
            "the true class's probability when the arrow is deleted, whether that flips the prediction, and its edge-feature " +
            "saliency (gradient × input). Prints one row per (type, local pattern of the arrow: double arrow, oriented triangle, " +
            "other cycle, D-type fork leaf, other leaf, path), 'top' = how many quivers have their most important arrow in that pattern, " +
            "and for A and D the fraction of those deletions after which the quiver truly leaves the type (Buan–Vatne / Vatne criteria).")
        { trainMin, trainMax, testN, types, per, explainPer, epochs, lr, seed };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int lo = parse.GetValue(trainMin), hi = parse.GetValue(trainMax), tn = parse.GetValue(testN);
            if (lo < 2 || hi < lo || hi > 16 || tn < 2 || tn > 16) throw new AtlasArgumentException("--train-min/--train-max/--test-vertices", $"need 2 ≤ min ≤ max ≤ 16 and 2 ≤ test ≤ 16, got {lo}…{hi}, {tn}");
            double rate = parse.GetValue(lr);
            if (!(rate > 0) || !double.IsFinite(rate)) throw new AtlasArgumentException("--lr", $"must be a positive number, got {rate}");
            int ep = parse.GetValue(explainPer);
            if (ep < 1) throw new AtlasArgumentException("--explain-per-type", $"must be at least 1, got {ep}");
            var fams = parse.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(QuiverType.ParseFamily).Distinct().ToList();
            var sw = Stopwatch.StartNew();
            var train = QuiverDataset.Build(QuiverDataset.Types(lo, hi, fams), parse.GetValue(per), parse.GetValue(seed));
            // A seeded sample of each class (not the first quivers of the breadth-first order, which sit near the
            // acyclic representative), then an equal number per family, whatever the number of Ã_(p,q) classes.
            var test = QuiverDataset.Build(QuiverDataset.Types(tn, tn, fams), ep, parse.GetValue(seed) + 1);
            var pick = new Rng(parse.GetValue(seed) + 2);
            var chosen = test.Items.GroupBy(i => i.Type.Family).SelectMany(g =>
            {
                var items = g.ToArray();
                pick.Shuffle(items.AsSpan());
                return items.Take(ep);
            }).ToList();
            if (chosen.Count == 0) throw new AtlasArgumentException("--test-vertices", $"no quivers of the chosen types have {tn} vertices");
            var (net, loss) = QuiverGnn.Train(train, parse.GetValue(epochs), parse.GetValue(seed), rate);
            var s = GnnExplanation.Aggregate(net, new QuiverDataset(chosen));
            o.WriteLine($"train\t{train.Items.Count}\texplained\t{chosen.Count}\tfinal_loss\t{loss:F4}\tseconds\t{sw.Elapsed.TotalSeconds:F1}");
            o.WriteLine("type\tpattern\tarrows\tmean_drop\tflip_rate\tmean_saliency\ttop\ttrue_leave_rate");
            foreach (var r in s.Patterns)
                o.WriteLine($"{QuiverType.FamilyName(r.Family)}\t{r.Pattern}\t{r.Arrows}\t{r.MeanDrop:F4}\t{r.FlipRate:F3}\t{r.MeanSaliency:F4}\t{r.TopArrow}/{s.Quivers[r.Family]}\t{(r.TrueLeaveRate is double t ? t.ToString("F3") : "n/a")}");
            o.WriteLine("type\tmean_drop_deleting_a_leaf_vertex");
            foreach (var (f, d) in s.MeanVertexDropByDegreeOne.OrderBy(kv => kv.Key)) o.WriteLine($"{QuiverType.FamilyName(f)}\t{d:F4}");
            o.WriteLine($"explained\t{chosen.Count}");
            return 0;
        });
        return cmd;
    }
}
