using System.Diagnostics;
using System.Globalization;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Native;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Similarity;

/// <summary>SVCCA (99% variance) on a 10,000×512 pair: ours vs numpy (SVD truncation, then CCA by QR) on the same arrays.</summary>
public sealed class SvccaBenchmark : IBenchmark
{
    public string Name => "similarity-svcca";
    public string Description => "SVCCA on 10000x512 pairs vs numpy; args: [n] [d] [threads]";

    private const string Script = """
import sys, time
import numpy as np
def reduce(z, keep=0.99):
    zc = z - z.mean(0)
    u, s, vt = np.linalg.svd(zc, full_matrices=False)
    k = int(np.searchsorted(np.cumsum(s ** 2) / np.sum(s ** 2), keep) + 1)
    return u[:, :k]
def svcca(x, y):
    qx, qy = reduce(x), reduce(y)
    return np.mean(np.linalg.svd(qx.T @ qy, compute_uv=False)[:min(qx.shape[1], qy.shape[1])])
x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
t = time.perf_counter(); v = svcca(x, y); el = time.perf_counter() - t
print(repr(float(v)), el)
""";

    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 10_000, d = args.Length > 1 ? int.Parse(args[1]) : 512;
        int threads = args.Length > 2 ? int.Parse(args[2]) : Math.Min(2, Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"n {n}, d {d}, threads {threads}, OpenBLAS {OpenBlas.Status}");
        var rng = new Rng(99);
        // A decaying spectrum so the 99% cut keeps a few hundred directions, and Y a noisy linear image of X.
        var x = new DMatrix(n, d);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i, j] = rng.Normal() * Math.Pow(0.995, j);
        var w = new DMatrix(d, d);
        for (int i = 0; i < w.Data.Length; i++) w.Data[i] = rng.Normal() / Math.Sqrt(d);
        var y = Blas.Gemm(x, w);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] += 0.5 * rng.Normal();
        string px = Path.Combine(Path.GetTempPath(), $"atlas-svcca-x-{Environment.ProcessId}.npy"), py = px.Replace("-x-", "-y-");
        Npy.Write(px, NdArray.FromDoubles(x.Data, n, d));
        Npy.Write(py, NdArray.FromDoubles(y.Data, n, d));
        try
        {
            double best = double.MaxValue, value = 0;
            for (int rep = 0; rep < 2; rep++)
            {
                var sw = Stopwatch.StartNew();
                value = new Svcca().Compute(x, y);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine("| implementation | seconds | SVCCA | ratio ours/peer |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| NeuralAtlas | {best:F2} | {value:F10} | 1 |");
            var peer = PythonPeer.Run(Script, threads, px, py);
            if (peer is null) return 0;
            var f = peer[0].Split(' ');
            double t = double.Parse(f[1], CultureInfo.InvariantCulture);
            Console.WriteLine($"| numpy (OpenBLAS, thin SVD) | {t:F2} | {double.Parse(f[0], CultureInfo.InvariantCulture):F10} | {best / t:F2} |");
        }
        finally
        {
            File.Delete(px);
            File.Delete(py);
        }
        return 0;
    }
}
