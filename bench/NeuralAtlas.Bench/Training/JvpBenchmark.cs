using System.Diagnostics;
using NeuralAtlas.Autograd;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Training;

/// <summary>
/// Jacobian–vector products through the reference CNN, as neural frames use them: 16 directions per input image,
/// milliseconds per input (goal &lt; 50 ms), plus the process CPU time per input.
/// </summary>
public sealed class JvpBenchmark : IBenchmark
{
    public string Name => "jvp-cnn";
    public string Description => "16-direction JVPs through the reference CNN per input (goal < 50 ms); args: [threads]";

    public int Run(string[] args)
    {
        Parallelism.MaxThreads = args.Length > 0 ? int.Parse(args[0]) : 2;
        var rng = new Rng(0);
        var model = new ReferenceCnn(rng);
        model.Eval();
        Tensor Rand(params int[] s) { var t = new Tensor(s); for (int i = 0; i < t.Numel; i++) t.Data[i] = rng.NextFloat(); return t; }
        var dirs = Enumerable.Range(0, 16).Select(_ => Rand(1, 1, 28, 28)).ToArray();
        for (int w = 0; w < 3; w++) Functional.Jvp(model.Forward, Rand(1, 1, 28, 28), dirs);
        const int inputs = 20;
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < inputs; i++) Functional.Jvp(model.Forward, Rand(1, 1, 28, 28), dirs);
        double wall = sw.Elapsed.TotalMilliseconds / inputs;
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalMilliseconds / inputs;
        Console.WriteLine($"reference CNN, 16 directions: {wall:F1} ms per input wall, {cpu:F1} ms CPU (goal < 50 ms)");
        return 0;
    }
}
