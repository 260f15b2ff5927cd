using System.Diagnostics;
using System.Globalization;
using NeuralAtlas.Bench.Similarity;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Bench.Topology;

/// <summary>
/// Exact bottleneck distance between two random diagrams of n points each (births uniform in [0, 10], persistence
/// exponential with mean 1), ours in-process vs GUDHI's <c>bottleneck_distance(e=0)</c> on the same arrays.
/// </summary>
public sealed class BottleneckBenchmark : IBenchmark
{
    public string Name => "bottleneck";
    public string Description => "exact bottleneck distance vs GUDHI; args: [n …] (default 1000 3000)";

    private const string Script = """
import sys, time
import numpy as np, gudhi
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
best = None
for _ in range(2):
    t = time.perf_counter(); v = gudhi.bottleneck_distance(a, b, e=0); el = time.perf_counter() - t
    best = el if best is None else min(best, el)
print(repr(float(v)), best)
""";

    public int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1000, 3000 };
        Console.WriteLine("| points per diagram | ours s | ours value | GUDHI s | GUDHI value | ratio ours/GUDHI |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int n in sizes)
        {
            var rng = new Rng((ulong)n);
            PersistenceDiagram Make(out double[] flat)
            {
                var iv = new PersistenceInterval[n];
                flat = new double[2 * n];
                for (int i = 0; i < n; i++)
                {
                    double b = rng.Uniform(0, 10), d = b - Math.Log(1 - rng.NextDouble());
                    iv[i] = new PersistenceInterval(b, d);
                    flat[2 * i] = b;
                    flat[2 * i + 1] = d;
                }
                return new PersistenceDiagram(1, iv);
            }
            var da = Make(out var fa);
            var db = Make(out var fb);
            string pa = Path.Combine(Path.GetTempPath(), $"atlas-bottleneck-a-{Environment.ProcessId}.npy"), pb = pa.Replace("-a-", "-b-");
            Npy.Write(pa, NdArray.FromDoubles(fa, n, 2));
            Npy.Write(pb, NdArray.FromDoubles(fb, n, 2));
            try
            {
                double best = double.MaxValue, value = 0;
                for (int rep = 0; rep < 2; rep++)
                {
                    var sw = Stopwatch.StartNew();
                    value = DiagramDistance.Bottleneck(da, db);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                }
                string ours = $"| {n} | {best:F2} | {value.ToString("R", CultureInfo.InvariantCulture)} |";
                var peer = PythonPeer.Run(Script, 1, pa, pb);
                if (peer is null) { Console.WriteLine(ours + " – | – | – |"); continue; }
                var f = peer[0].Split(' ');
                double t = double.Parse(f[1], CultureInfo.InvariantCulture);
                Console.WriteLine($"{ours} {t:F2} | {f[0]} | {best / t:F2} |");
            }
            finally
            {
                File.Delete(pa);
                File.Delete(pb);
            }
        }
        return 0;
    }
}
