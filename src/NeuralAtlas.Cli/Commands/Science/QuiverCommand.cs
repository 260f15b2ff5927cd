using System.CommandLine;
using System.Diagnostics;
using System.Text;
using NeuralAtlas.IO;
using NeuralAtlas.Science.Quivers;

namespace NeuralAtlas.Cli.Commands.Science;

/// <summary><c>atlas quiver class|dataset|recognize</c>: mutation classes of quivers of finite mutation type.</summary>
public sealed class QuiverCommand : ICliCommand
{
    public Command Create()
    {
        var cmd = new Command("quiver",
            "Quivers as skew-symmetric exchange matrices: mutation, canonical forms up to isomorphism, mutation classes of the " +
            "Dynkin and affine types, Vatne's type-D criterion, labelled data sets, and a directed GNN that learns the types. See docs/quivers.md.");
        cmd.Subcommands.Add(Class());
        cmd.Subcommands.Add(Dataset());
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(QuiverExplainCommand.Create());
        return cmd;
    }

    private static Command Train()
    {
        var trainMin = new Option<int>("--train-min") { Description = "Smallest vertex count in the training set.", DefaultValueFactory = _ => 6 };
        var trainMax = new Option<int>("--train-max") { Description = "Largest vertex count in the training set.", DefaultValueFactory = _ => 10 };
        var testN = new Option<int>("--test-vertices") { Description = "Vertex count of the test set (unseen size).", DefaultValueFactory = _ => 11 };
        var types = new Option<string>("--types") { Description = "Comma-separated families (A, D, E, A~, D~, E~).", DefaultValueFactory = _ => "A,D,E,A~,D~,E~" };
        var per = new Option<int>("--max-per-type") { Description = "At most this many quivers per type and vertex count (0 = whole classes).", DefaultValueFactory = _ => 300 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 20 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 3e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for sampling, relabelling, initialisation and batch order.", DefaultValueFactory = _ => 0UL };
        var cmd = new Command("train",
            "Train the directed message-passing network (DirGINE-like) to tell the mutation type of a quiver on the training " +
            "vertex counts, and report accuracy per type on quivers of an unseen vertex count; the last line is the overall accuracy.")
        { trainMin, trainMax, testN, types, per, epochs, lr, seed };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int lo = parse.GetValue(trainMin), hi = parse.GetValue(trainMax), tn = parse.GetValue(testN);
            if (lo < 2 || hi < lo || hi > 16 || tn < 2 || tn > 16) throw new AtlasArgumentException("--train-min/--train-max/--test-vertices", $"need 2 ≤ min ≤ max ≤ 16 and 2 ≤ test ≤ 16, got {lo}…{hi}, {tn}");
            double rate = parse.GetValue(lr);
            if (!(rate > 0) || !double.IsFinite(rate)) throw new AtlasArgumentException("--lr", $"must be a positive number, got {rate}");
            var fams = parse.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(QuiverType.ParseFamily).Distinct().ToList();
            var sw = Stopwatch.StartNew();
            var train = QuiverDataset.Build(QuiverDataset.Types(lo, hi, fams), parse.GetValue(per), parse.GetValue(seed));
            var test = QuiverDataset.Build(QuiverDataset.Types(tn, tn, fams), parse.GetValue(per), parse.GetValue(seed) + 1);
            var r = QuiverGnn.TrainAndEvaluate(train, test, parse.GetValue(epochs), parse.GetValue(seed), rate);
            o.WriteLine($"train\t{r.Train}\ttest\t{r.Test}\tfinal_loss\t{r.FinalLoss:F4}\tseconds\t{sw.Elapsed.TotalSeconds:F1}");
            o.WriteLine("type\tcorrect\ttotal\taccuracy");
            foreach (var (t, (ok, n)) in r.PerType) o.WriteLine($"{t}\t{ok}\t{n}\t{(double)ok / n:F3}");
            o.WriteLine($"accuracy\t{r.Accuracy:F4}");
            return 0;
        });
        return cmd;
    }

    private static Option<string> TypeOption() => new("--type") { Description = "Mutation type: A, D, E, A~, D~ or E~.", Required = true };
    private static Option<int> RankOption() => new("--rank") { Description = "Number of vertices (affine types: n + 1, so E~6 has rank 7).", Required = true };
    private static Option<int?> POption() => new("--p") { Description = "For A~ only: p arrows one way round the cycle, q = rank − p the other (default ⌈rank/2⌉)." };

    private static Command Class()
    {
        var type = TypeOption();
        var rank = RankOption();
        var p = POption();
        var outPath = new Option<string?>("--out") { Description = "Write the class as JSON: type, size and one exchange matrix per quiver (canonical labelling)." };
        var cmd = new Command("class",
            "Enumerate the mutation class of a type up to isomorphism (breadth-first over all mutations, canonical forms). " +
            "Prints the type, the published size where known, the time, and the number of quivers on the last line.")
        { type, rank, p, outPath };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var t = QuiverType.Create(QuiverType.ParseFamily(parse.GetValue(type)!), parse.GetValue(rank), parse.GetValue(p));
            var sw = Stopwatch.StartNew();
            var cls = MutationClass.Enumerate(t.Representative());
            o.WriteLine($"type\t{t}");
            o.WriteLine($"published\t{t.PublishedClassSize()?.ToString() ?? "n/a"}");
            o.WriteLine($"seconds\t{sw.Elapsed.TotalSeconds:F3}");
            if (parse.GetValue(outPath) is string path)
            {
                var sb = new StringBuilder();
                sb.Append($"{{\"type\": \"{t}\", \"rank\": {t.Rank}, \"size\": {cls.Count}, \"matrices\": [");
                for (int i = 0; i < cls.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append("\n  [");
                    var q = cls[i];
                    for (int r = 0; r < q.N; r++)
                    {
                        if (r > 0) sb.Append(", ");
                        sb.Append('[').Append(string.Join(", ", Enumerable.Range(0, q.N).Select(c => q[r, c]))).Append(']');
                    }
                    sb.Append(']');
                }
                sb.Append("\n]}\n");
                AtomicFile.WriteAllText(path, sb.ToString());
            }
            o.WriteLine(cls.Count);
            return 0;
        });
        return cmd;
    }

    private static Command Dataset()
    {
        var min = new Option<int>("--min-vertices") { Description = "Smallest number of vertices.", DefaultValueFactory = _ => 6 };
        var max = new Option<int>("--max-vertices") { Description = "Largest number of vertices.", DefaultValueFactory = _ => 8 };
        var types = new Option<string>("--types") { Description = "Comma-separated families to include (A, D, E, A~, D~, E~).", DefaultValueFactory = _ => "A,D,E,A~,D~,E~" };
        var per = new Option<int>("--max-per-type") { Description = "Keep at most this many quivers per type (seeded sample; 0 = the whole class).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for sampling and for the random relabelling of vertices.", DefaultValueFactory = _ => 0UL };
        var outPath = new Option<string>("--out") { Description = "Output .npz (matrices int8, vertices, label, rank, p).", Required = true };
        var cmd = new Command("dataset",
            "A labelled data set of quivers from the mutation classes of the chosen families for each vertex count, each shown " +
            "under a random relabelling. label: A=0, D=1, E=2, A~=3, D~=4, E~=5. Prints the count per type.")
        { min, max, types, per, seed, outPath };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int lo = parse.GetValue(min), hi = parse.GetValue(max);
            if (lo < 1 || hi < lo || hi > 16) throw new AtlasArgumentException("--min-vertices/--max-vertices", $"need 1 ≤ min ≤ max ≤ 16, got {lo}…{hi}");
            var fams = parse.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(QuiverType.ParseFamily).Distinct().ToList();
            var ds = QuiverDataset.Build(QuiverDataset.Types(lo, hi, fams), parse.GetValue(per), parse.GetValue(seed));
            ds.Save(parse.GetValue(outPath)!);
            o.WriteLine("type\tcount");
            foreach (var g in ds.Items.GroupBy(i => i.Type.ToString())) o.WriteLine($"{g.Key}\t{g.Count()}");
            o.WriteLine($"quivers\t{ds.Items.Count}");
            return 0;
        });
        return cmd;
    }
}
