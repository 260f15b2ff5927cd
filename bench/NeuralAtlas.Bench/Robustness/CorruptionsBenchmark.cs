using System.Diagnostics;
using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Corruptions;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Robustness;

/// <summary>All 15 corruptions at all 5 severities on one 512×512 RGB image (goal: &lt; 10 s in all, none &gt; 1 s).</summary>
public sealed class CorruptionsBenchmark : IBenchmark
{
    public string Name => "corruptions";
    public string Description => "15 corruptions × 5 severities on a 512×512 RGB scene; seconds per corruption";

    public int Run(string[] args)
    {
        int size = args.Length > 0 ? int.Parse(args[0]) : 512;
        var img = TestImages.Scene(size, size, 3, seed: 0);
        CorruptionCatalog.Get("gaussian_noise").Apply(TestImages.Scene(32, 32), 1, new Rng(0)); // JIT warm-up
        double total = 0, worst = 0;
        foreach (var c in CorruptionCatalog.Common)
        {
            var sw = Stopwatch.StartNew();
            for (int s = 1; s <= 5; s++) c.Apply(img, s, new Rng(s));
            double secs = sw.Elapsed.TotalSeconds;
            total += secs;
            worst = Math.Max(worst, secs / 5);
            Console.WriteLine($"{c.Name,-20} {secs,7:F3} s for 5 severities ({secs / 5:F3} s each)");
        }
        Console.WriteLine($"total {total:F2} s; slowest single corruption {worst:F3} s");
        return 0;
    }
}
