using System.Diagnostics;
using NeuralAtlas.Native;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Tensors;

/// <summary>SGEMM GFLOP/s: the managed kernel and OpenBLAS, at 1024³ and 4096×4096×512 (m×n×k), same inputs.</summary>
public sealed class SgemmBenchmark : IBenchmark
{
    public string Name => "sgemm";
    public string Description => "SGEMM GFLOP/s, managed kernel vs OpenBLAS (1024^3 and 4096x4096x512); args: [threads] [m n k]; GFLOP/s from wall time and from process CPU time";

    public int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : Math.Min(2, Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads {threads}; managed kernel {Gemm.ManagedKernel}; OpenBLAS {OpenBlas.Status}");
        Console.WriteLine("| m×n×k | managed GFLOP/s (wall) | OpenBLAS GFLOP/s (wall) | ratio | managed GFLOP/s (CPU time) | OpenBLAS GFLOP/s (CPU time) | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var shapes = new List<(int, int, int)> { (1024, 1024, 1024), (4096, 4096, 512) };
        if (args.Length >= 4) shapes = new() { (int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3])) };
        foreach (var (m, n, k) in shapes)
        {
            var rng = new Rng(1);
            var a = new float[(long)m * k];
            var b = new float[(long)k * n];
            for (int i = 0; i < a.Length; i++) a[i] = rng.NextFloat() - 0.5f;
            for (int i = 0; i < b.Length; i++) b[i] = rng.NextFloat() - 0.5f;
            var c = new float[(long)m * n];
            var (mw, mc) = Measure(Gemm.Backend.Managed, m, n, k, a, b, c);
            var (bw, bc) = OpenBlas.IsAvailable ? Measure(Gemm.Backend.OpenBlas, m, n, k, a, b, c) : (double.NaN, double.NaN);
            static string F(double x) => double.IsNaN(x) ? "n/a" : x.ToString("F1");
            static string R(double x, double y) => double.IsNaN(y) ? "n/a" : (x / y).ToString("F2");
            Console.WriteLine($"| {m}×{n}×{k} | {F(mw)} | {F(bw)} | {R(mw, bw)} | {F(mc)} | {F(bc)} | {R(mc, bc)} |");
        }
        Gemm.Force = Gemm.Backend.Auto;
        return 0;
    }

    // GFLOP/s from the best wall time and from the best process CPU time (all threads, OpenBLAS's included) of 3 runs.
    private static (double wall, double cpu) Measure(Gemm.Backend backend, int m, int n, int k, float[] a, float[] b, float[] c)
    {
        Gemm.Force = backend;
        Gemm.Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n); // warm-up (JIT, page faults, thread pool)
        double best = double.MaxValue, bestCpu = double.MaxValue;
        var sw = new Stopwatch();
        var proc = Process.GetCurrentProcess();
        for (int rep = 0; rep < 3; rep++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            sw.Restart();
            Gemm.Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            proc.Refresh();
            bestCpu = Math.Min(bestCpu, (proc.TotalProcessorTime - cpu0).TotalSeconds);
        }
        double flop = 2.0 * m * n * k;
        return (flop / best / 1e9, flop / bestCpu / 1e9);
    }
}
