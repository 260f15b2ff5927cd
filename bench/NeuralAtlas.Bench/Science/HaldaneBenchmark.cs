using System.Diagnostics;
using NeuralAtlas.Science.Haldane;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Science;

/// <summary>Generating a balanced Haldane data set with both Chern methods; the target is 12,500 samples under 60 s on 2 cores.</summary>
public sealed class HaldaneBenchmark : IBenchmark
{
    public string Name => "haldane";
    public string Description => "Balanced Haldane bundle generation at grid 32, both Chern methods at grids 64 and 128; args: [count=12500] [threads=2]";

    public int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0]) : 12_500;
        int threads = args.Length > 1 ? int.Parse(args[1]) : Math.Min(2, Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        var options = new HaldaneOptions();

        // Cost of each stage on 300 random pairs (single thread).
        var r = new Rng(5);
        var pairs = Enumerable.Range(0, 300).Select(_ => HaldaneGenerator.Draw(r, options).Pair).ToArray();
        foreach (int g in new[] { 32, 64, 128 })
        {
            var s1 = Stopwatch.StartNew();
            var fields = pairs.Select(p => HaldaneField.Sample(p, g)).ToArray();
            double tf = s1.Elapsed.TotalMilliseconds / pairs.Length; s1.Restart();
            foreach (var f in fields) ChernNumber.TryLattice(f, 1, out _);
            double tl = s1.Elapsed.TotalMilliseconds / pairs.Length; s1.Restart();
            foreach (var f in fields) ChernNumber.TryChernWeil(f, 1, out _);
            double tc = s1.Elapsed.TotalMilliseconds / pairs.Length;
            Console.WriteLine($"grid {g}: sample fields {tf:F3} ms, lattice {tl:F3} ms, adaptive Chern–Weil {tc:F3} ms per pair");
        }

        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var ds = HaldaneGenerator.Generate(count, options, 1);
        double t = sw.Elapsed.TotalSeconds;
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"threads {threads}; {ds.Count} samples ({string.Join(", ", ds.ClassCounts().Select(kv => $"{kv.Key}:{kv.Value}"))}) from {ds.Candidates} candidates");
        Console.WriteLine("| samples | candidates | wall s | CPU s | CPU s / 2 cores | target 60 s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| {ds.Count} | {ds.Candidates} | {t:F1} | {cpu:F1} | {cpu / 2:F1} | {(t < 60 ? "met" : "missed")} (wall) |");
        return 0;
    }
}
