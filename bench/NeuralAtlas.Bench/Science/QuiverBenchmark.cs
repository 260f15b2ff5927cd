using System.Diagnostics;
using NeuralAtlas.Science.Quivers;

namespace NeuralAtlas.Bench.Science;

/// <summary>Mutation classes up to isomorphism; the targets are D10 and Ẽ8 under 10 s each.</summary>
public sealed class QuiverBenchmark : IBenchmark
{
    public string Name => "quiver";
    public string Description => "Mutation class enumeration (BFS + canonical forms) of D10, E8 and Ẽ8, single thread";

    public int Run(string[] args)
    {
        Console.WriteLine("| type | quivers | published | wall s | CPU s | target 10 s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        MutationClass.EnumerateKeys(QuiverType.Create(QuiverFamily.D, 6).Representative()); // JIT warm-up
        foreach (var t in new[] { QuiverType.Create(QuiverFamily.D, 10), QuiverType.Create(QuiverFamily.E, 8), QuiverType.Create(QuiverFamily.AffineE, 9) })
        {
            var proc = Process.GetCurrentProcess();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            int size = MutationClass.EnumerateKeys(t.Representative()).Count;
            double wall = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine($"| {t} | {size} | {t.PublishedClassSize()?.ToString() ?? "n/a"} | {wall:F2} | {cpu:F2} | {(wall < 10 ? "met" : "missed")} |");
        }
        return 0;
    }
}
