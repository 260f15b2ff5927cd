using System.Diagnostics;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Tensors;

/// <summary>
/// Per-batch forward + backward time of the reference CNN's two convolutions (batch 64: conv1 1→32 3×3 on 28×28,
/// conv2 32→64 3×3 on 13×13), ours and PyTorch's (same shapes, same thread count) when /usr/bin/python3 has torch.
/// </summary>
public sealed class ConvBenchmark : IBenchmark
{
    public string Name => "conv";
    public string Description => "reference-CNN conv1+conv2 forward+backward per batch of 64, ours vs PyTorch; args: [threads] [reps] [managed]";

    public int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : Math.Min(2, Environment.ProcessorCount);
        int reps = args.Length > 1 ? int.Parse(args[1]) : 20;
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        var x1 = Tensor.Randn(rng, 64, 1, 28, 28);
        var w1 = Tensor.Randn(rng, 32, 1, 3, 3);
        var b1 = Tensor.Randn(rng, 32);
        var x2 = Tensor.Randn(rng, 64, 32, 13, 13);
        var w2 = Tensor.Randn(rng, 64, 32, 3, 3);
        var b2 = Tensor.Randn(rng, 64);
        var gy1 = Tensor.Randn(rng, 64, 32, 26, 26);
        var gy2 = Tensor.Randn(rng, 64, 64, 11, 11);
        var parts = new (string name, Action run)[]
        {
            ("conv1 forward", () => Ops.Conv2d(x1, w1, b1)),
            ("conv1 grad weight", () => Ops.Conv2dBackwardWeight(x1, gy1, w1.Shape)),
            ("conv1 grad bias", () => Ops.Conv2dBackwardBias(gy1)),
            ("conv2 forward", () => Ops.Conv2d(x2, w2, b2)),
            ("conv2 grad input", () => Ops.Conv2dBackwardInput(gy2, w2, x2.Shape)),
            ("conv2 grad weight", () => Ops.Conv2dBackwardWeight(x2, gy2, w2.Shape)),
            ("conv2 grad bias", () => Ops.Conv2dBackwardBias(gy2)),
        };
        Console.WriteLine($"threads {threads}; GEMM kernel {Gemm.ManagedKernel}; best of {reps}");
        double total = 0, totalCpu = 0;
        if (args.Length > 2 && args[2] == "managed") Gemm.Force = Gemm.Backend.Managed;
        foreach (var (name, run) in parts)
        {
            run();
            double best = double.MaxValue, bestCpu = double.MaxValue;
            var sw = new Stopwatch();
            double cpuStart = ThreadCpuMs();
            for (int r = 0; r < reps; r++)
            {
                sw.Restart();
                run();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            // The scheduler updates a thread's CPU time only every few milliseconds: average over all repetitions.
            bestCpu = (ThreadCpuMs() - cpuStart) / reps;
            total += best;
            totalCpu += bestCpu;
            Console.WriteLine($"  {name,-24} {best,8:F2} ms wall {bestCpu,8:F2} ms mean CPU of the calling thread");
        }
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine($"ours: conv1+conv2 forward+backward {total:F2} ms per batch (CPU {totalCpu:F2} ms; load average {load})");
        var torch = TorchPeer(threads, reps);
        if (torch is var (t, tc))
            Console.WriteLine($"PyTorch: {t:F2} ms per batch (mean process CPU {tc:F2} ms); ratio ours/PyTorch {total / t:F2} wall, {totalCpu / tc:F2} CPU (CPU ratio meaningful with 1 thread)");
        else Console.WriteLine("PyTorch: not available (/usr/bin/python3 with torch)");
        return 0;
    }

    // CPU time of the calling thread (Linux schedstat, nanoseconds): with one thread it measures the work itself,
    // unaffected by other processes competing for the cores.
    private static double ThreadCpuMs()
    {
        const string path = "/proc/thread-self/schedstat";
        if (!File.Exists(path)) return double.NaN;
        return long.Parse(File.ReadAllText(path).Split(' ')[0]) / 1e6;
    }

    private static (double wall, double cpu)? TorchPeer(int threads, int reps)
    {
        const string script = """
import sys, time, torch, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1])); reps = int(sys.argv[2])
x1 = torch.randn(64, 1, 28, 28); w1 = torch.randn(32, 1, 3, 3, requires_grad=True); b1 = torch.randn(32, requires_grad=True)
x2 = torch.randn(64, 32, 13, 13, requires_grad=True); w2 = torch.randn(64, 32, 3, 3, requires_grad=True); b2 = torch.randn(64, requires_grad=True)
gy1 = torch.randn(64, 32, 26, 26); gy2 = torch.randn(64, 64, 11, 11)
def step():
    F.conv2d(x1, w1, b1).backward(gy1)
    F.conv2d(x2, w2, b2).backward(gy2)
step()
best = 1e9
c0 = time.process_time()
for _ in range(reps):
    t = time.perf_counter(); step(); best = min(best, time.perf_counter() - t)
print(best * 1000, (time.process_time() - c0) / reps * 1000)
""";
        try
        {
            string path = Path.Combine(Path.GetTempPath(), $"atlas-conv-bench-{Environment.ProcessId}.py");
            File.WriteAllText(path, script);
            var psi = new ProcessStartInfo("/usr/bin/python3", $"{path} {threads} {reps}") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is null) return null;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            File.Delete(path);
            var parts = output.Trim().Split(' ');
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (p.ExitCode != 0 || parts.Length != 2 || !double.TryParse(parts[0], inv, out double ms) || !double.TryParse(parts[1], inv, out double cpu)) return null;
            return (ms, cpu);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
