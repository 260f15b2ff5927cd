using System.CommandLine;
using System.Diagnostics;
using NeuralAtlas.Science.Haldane;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Science;

/// <summary><c>atlas haldane generate|chern</c>: the Haldane bundle data set (line bundles on T² labelled by c₁).</summary>
public sealed class HaldaneCommand : ICliCommand
{
    public Command Create()
    {
        var cmd = new Command("haldane",
            "Haldane bundles: complex line bundles on the 2-torus from trigonometric polynomials (F complex, G real), labelled " +
            "by their first Chern number computed two ways (Chern–Weil curvature integral, Fukui–Hatsugai–Suzuki lattice). " +
            "See docs/haldane-bundles.md.");
        cmd.Subcommands.Add(Generate());
        cmd.Subcommands.Add(Check());
        cmd.Subcommands.Add(Train());
        return cmd;
    }

    private static Command Train()
    {
        var file = new Argument<string>("file") { Description = "An npz written by 'atlas haldane generate' (needs sections and chern)." };
        var model = new Option<HaldaneModel>("--model") { Description = "mlp, cnn (circular padding) or topological (lattice Berry flux, sum pooling).", DefaultValueFactory = _ => HaldaneModel.Topological };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs over the 80% training split.", DefaultValueFactory = _ => 20 };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-2 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the split, initialisation and batch order.", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var cmd = new Command("train",
            "Train a baseline classifier of the Chern number on a Haldane data set (seeded 80/20 split) and print the test " +
            "accuracy per Chern number; the last line is the overall test accuracy.")
        { file, model, epochs, lr, seed, threads };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int th = parse.GetValue(threads);
            if (th < 1) throw new AtlasArgumentException("--threads", $"must be at least 1, got {th}");
            Parallelism.MaxThreads = th;
            double rate = parse.GetValue(lr);
            if (!(rate > 0) || !double.IsFinite(rate)) throw new AtlasArgumentException("--lr", $"must be a positive number, got {rate}");
            var ds = HaldaneDataset.Load(parse.GetValue(file)!);
            var sw = Stopwatch.StartNew();
            var r = HaldaneBaselines.TrainAndEvaluate(ds, parse.GetValue(model), parse.GetValue(epochs), parse.GetValue(seed), rate);
            o.WriteLine($"model\t{r.Model}\ttrain\t{r.Train}\ttest\t{r.Test}\tfinal_loss\t{r.FinalLoss:F4}\tseconds\t{sw.Elapsed.TotalSeconds:F1}");
            o.WriteLine("chern\tcorrect\ttotal\taccuracy");
            foreach (var (c, (ok, n)) in r.PerClass) o.WriteLine($"{c}\t{ok}\t{n}\t{(n == 0 ? 0 : (double)ok / n):F3}");
            o.WriteLine($"accuracy\t{r.Accuracy:F4}");
            return 0;
        });
        return cmd;
    }

    private static int[] ParseInts(string s, string option)
    {
        try { return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray(); }
        catch (FormatException) { throw new AtlasArgumentException(option, $"expected comma-separated integers, got '{s}'"); }
        catch (OverflowException) { throw new AtlasArgumentException(option, $"an integer in '{s}' is out of range"); }
    }

    private static Command Generate()
    {
        var count = new Option<int>("--count") { Description = "Number of verified samples to keep.", DefaultValueFactory = _ => 1000 };
        var grid = new Option<int>("--grid") { Description = "Side N of the N×N grid the section (R, F) is sampled on.", DefaultValueFactory = _ => 32 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random stream (same seed and options, same file).", DefaultValueFactory = _ => 0UL };
        var outPath = new Option<string>("--out") { Description = "Output .npz (sections, f_coeffs_real, f_coeffs_imag, g_coeffs, chern, form).", Required = true };
        var variant = new Option<HaldaneVariant>("--variant") { Description = "random (sparse integer F, G), simple (1 fixed form) or intermediate (10 fixed forms).", DefaultValueFactory = _ => HaldaneVariant.Random };
        var classes = new Option<string>("--classes") { Description = "Comma-separated Chern numbers to keep.", DefaultValueFactory = _ => "-2,-1,0,1,2" };
        var balance = new Option<bool?>("--balance") { Description = "Equal counts per class (default: true for random, false for the fixed-form variants)." };
        var fTerms = new Option<string>("--f-terms") { Description = "Range MIN,MAX of the number of nonzero coefficients of F.", DefaultValueFactory = _ => "2,6" };
        var gTerms = new Option<string>("--g-terms") { Description = "Range MIN,MAX of the number of nonzero coefficients of G.", DefaultValueFactory = _ => "1,6" };
        var bound = new Option<int>("--coefficient-bound") { Description = "Integer coefficients are drawn from [-B, B] without 0.", DefaultValueFactory = _ => 8 };
        var freq = new Option<int>("--frequency-bound") { Description = "Largest |frequency| of a random term (1..4).", DefaultValueFactory = _ => 4 };
        var complexF = new Option<bool>("--complex-f") { Description = "Give F's coefficients integer imaginary parts too (the published set uses real ones)." };
        var checks = new Option<string>("--check-grids") { Description = "Grids at which both Chern methods must agree (each ≥ 16).", DefaultValueFactory = _ => "64,128" };
        var maxCand = new Option<long>("--max-candidates") { Description = "Give up after this many candidates (0 = 200·count + 10000).", DefaultValueFactory = _ => 0L };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var cmd = new Command("generate",
            "Draw random Haldane pairs, keep those whose Chern–Weil integral and lattice Chern number agree on one integer at every " +
            "check grid, balance the classes, and write an npz. Prints the class counts and the number of candidates drawn.")
        { count, grid, seed, outPath, variant, classes, balance, fTerms, gTerms, bound, freq, complexF, checks, maxCand, threads };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int[] ft = ParseInts(parse.GetValue(fTerms)!, "--f-terms"), gt = ParseInts(parse.GetValue(gTerms)!, "--g-terms");
            if (ft.Length != 2) throw new AtlasArgumentException("--f-terms", "expected MIN,MAX");
            if (gt.Length != 2) throw new AtlasArgumentException("--g-terms", "expected MIN,MAX");
            int th = parse.GetValue(threads);
            if (th < 1) throw new AtlasArgumentException("--threads", $"must be at least 1, got {th}");
            Parallelism.MaxThreads = th;
            var options = new HaldaneOptions
            {
                Variant = parse.GetValue(variant),
                Grid = parse.GetValue(grid),
                Classes = ParseInts(parse.GetValue(classes)!, "--classes"),
                Balance = parse.GetValue(balance),
                FTermsMin = ft[0], FTermsMax = ft[1], GTermsMin = gt[0], GTermsMax = gt[1],
                CoefficientBound = parse.GetValue(bound),
                FrequencyBound = parse.GetValue(freq),
                ComplexF = parse.GetValue(complexF),
                CheckGrids = ParseInts(parse.GetValue(checks)!, "--check-grids"),
                MaxCandidates = parse.GetValue(maxCand),
            };
            var sw = Stopwatch.StartNew();
            var ds = HaldaneGenerator.Generate(parse.GetValue(count), options, parse.GetValue(seed));
            ds.Save(parse.GetValue(outPath)!);
            o.WriteLine("chern\tcount");
            foreach (var (c, k) in ds.ClassCounts()) o.WriteLine($"{c}\t{k}");
            o.WriteLine($"candidates\t{ds.Candidates}");
            o.WriteLine($"seconds\t{sw.Elapsed.TotalSeconds:F2}");
            o.WriteLine($"samples\t{ds.Count}");
            return 0;
        });
        return cmd;
    }

    private static Command Check()
    {
        var file = new Argument<string>("file") { Description = "An npz written by 'atlas haldane generate' (f_coeffs_real, f_coeffs_imag, g_coeffs, chern)." };
        var checks = new Option<string>("--check-grids") { Description = "Grids at which both methods are recomputed (each ≥ 16).", DefaultValueFactory = _ => "64,128" };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var cmd = new Command("chern",
            "Recompute the Chern number of every sample from its coefficients (Chern–Weil and lattice, at each check grid) and " +
            "compare with the stored labels. Exits 0 when all agree, 3 when some label is wrong or cannot be verified.")
        { file, checks, threads };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            int th = parse.GetValue(threads);
            if (th < 1) throw new AtlasArgumentException("--threads", $"must be at least 1, got {th}");
            Parallelism.MaxThreads = th;
            int[] grids = ParseInts(parse.GetValue(checks)!, "--check-grids");
            if (grids.Length == 0) throw new AtlasArgumentException("--check-grids", "need at least one grid");
            foreach (int g in grids) ChernNumber.CheckGrid(g, "--check-grids");
            var ds = HaldaneDataset.Load(parse.GetValue(file)!);
            var got = HaldaneGenerator.VerifyAll(ds.Pairs, grids);
            int agree = 0, wrong = 0, unverified = 0;
            for (int i = 0; i < ds.Count; i++)
            {
                if (got[i] is not int c) { unverified++; if (unverified <= 10) o.WriteLine($"unverified\tsample {i}\tlabel {ds.Chern[i]}"); }
                else if (c != ds.Chern[i]) { wrong++; if (wrong <= 10) o.WriteLine($"mismatch\tsample {i}\tlabel {ds.Chern[i]}\trecomputed {c}"); }
                else agree++;
            }
            o.WriteLine($"agree\t{agree}");
            o.WriteLine($"mismatch\t{wrong}");
            o.WriteLine($"unverified\t{unverified}");
            o.WriteLine($"samples\t{ds.Count}");
            return wrong == 0 && unverified == 0 ? 0 : 3;
        });
        return cmd;
    }
}
