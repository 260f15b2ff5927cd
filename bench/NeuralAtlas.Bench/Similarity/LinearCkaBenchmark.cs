using System.Diagnostics;
using System.Globalization;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Native;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Similarity;

/// <summary>
/// Linear CKA between two 10,000×2,048 float32 matrices: ours (double accumulation, OpenBLAS dgemm + dsyrk) vs
/// numpy with OpenBLAS running Kornblith et al.'s feature-space formula on the same arrays, in float32 and float64.
/// </summary>
public sealed class LinearCkaBenchmark : IBenchmark
{
    public string Name => "similarity-linear-cka";
    public string Description => "linear CKA on two 10000x2048 float matrices vs numpy/OpenBLAS; args: [n] [d] [threads]";

    private const string Script = """
import sys, time
import numpy as np
def cka(x, y):
    x = x - x.mean(0, keepdims=True); y = y - y.mean(0, keepdims=True)
    return np.linalg.norm(x.T @ y) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))
x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
for dt in (np.float32, np.float64):
    a, b = x.astype(dt), y.astype(dt)
    t = time.perf_counter(); v = cka(a, b); el = time.perf_counter() - t
    print(np.dtype(dt).name, repr(float(v)), el)
""";

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 10_000, d = args.Length > 1 ? int.Parse(args[1]) : 2_048;
        int threads = args.Length > 2 ? int.Parse(args[2]) : Math.Min(2, Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"n {n}, d {d}, threads {threads}, OpenBLAS {OpenBlas.Status}");
        var rng = new Rng(2048);
        var xs = new float[(long)n * d];
        var ys = new float[(long)n * d];
        for (long i = 0; i < xs.Length; i++) xs[i] = rng.NextFloat() - 0.5f;
        // Y shares half of X's units (shuffled) plus noise, so CKA is far from 0 and 1.
        var perm = rng.Permutation(d);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                ys[(long)i * d + j] = (j < d / 2 ? xs[(long)i * d + perm[j]] : 0) + 0.5f * (rng.NextFloat() - 0.5f);
        string px = Path.Combine(Path.GetTempPath(), $"atlas-cka-x-{Environment.ProcessId}.npy"), py = px.Replace("-x-", "-y-");
        Npy.Write(px, NdArray.From(xs, n, d));
        Npy.Write(py, NdArray.From(ys, n, d));
        try
        {
            double best = double.MaxValue, value = 0;
            var sw = new Stopwatch();
            for (int rep = 0; rep < 2; rep++)
            {
                sw.Restart();
                var x = new DMatrix(n, d);
                var y = new DMatrix(n, d);
                for (long i = 0; i < xs.Length; i++) { x.Data[i] = xs[i]; y.Data[i] = ys[i]; }
                value = new LinearCka().Compute(x, y);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"ours (float→double, centered, dgemm XᵀY + 2 dsyrk): {best:F2} s, CKA {value:R}");
            var peer = PythonPeer.Run(Script, threads, px, py);
            if (peer is null) { Console.WriteLine("numpy: not available"); return 0; }
            Console.WriteLine("| implementation | seconds | CKA | ratio ours/peer |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| NeuralAtlas (double) | {best:F2} | {value:F10} | 1 |");
            foreach (var line in peer)
            {
                var f = line.Split(' ');
                double t = double.Parse(f[2], CultureInfo.InvariantCulture);
                Console.WriteLine($"| numpy {f[0]} (OpenBLAS) | {t:F2} | {double.Parse(f[1], CultureInfo.InvariantCulture):F10} | {best / t:F2} |");
            }
        }
        finally
        {
            File.Delete(px);
            File.Delete(py);
        }
        return 0;
    }
}
