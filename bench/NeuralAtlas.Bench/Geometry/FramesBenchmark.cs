using System.Diagnostics;
using NeuralAtlas.Geometry;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Geometry;

/// <summary>
/// The whole of <see cref="NeuralFrames.Compute"/> (Jvps plus the per-layer Gram, singular values, effective rank and
/// principal angles) on the reference CNN: 16 directions (7 generators + 9 noise) at all 10 layers, ms per input
/// (goal &lt; 50 ms), wall and process CPU.
/// </summary>
public sealed class FramesBenchmark : IBenchmark
{
    public string Name => "frames-cnn";
    public string Description => "NeuralFrames.Compute, 16 directions, all layers of the reference CNN, per input (goal < 50 ms); args: [threads] [inputs] [all | push = Jvps only | describe = per-layer statistics only | model = model.Forward Jvps only | profile = all, one thread, per-op CPU table] [layers, comma-separated; default all]";

    public int Run(string[] args)
    {
        Parallelism.MaxThreads = args.Length > 0 ? int.Parse(args[0]) : 2;
        int inputs = args.Length > 1 ? int.Parse(args[1]) : 20;
        var rng = new Rng(0);
        var model = new ReferenceCnn(rng);
        model.Eval();
        var layers = args.Length > 3 ? args[3].Split(',') : ActivationCapture.AllLayers(model);
        Tensor Image()
        {
            var t = new Tensor(1, 28, 28);
            for (int i = 0; i < t.Numel; i++) t.Data[i] = rng.NextFloat();
            return t;
        }
        FrameDirection[] Dirs(Tensor x) => FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, 9, rng)).ToArray();
        string part = args.Length > 2 ? args[2] : "all";
        const int warm = 5;
        var xs = Enumerable.Range(0, warm + inputs).Select(_ => Image()).ToArray();
        var ds = xs.Select(Dirs).ToArray();
        var fs = xs.Select((x, i) => part == "describe" ? NeuralFrames.Pushforward(model, x, ds[i], layers) : null).ToArray();
        void One(int i)
        {
            switch (part)
            {
                case "push": NeuralFrames.Pushforward(model, xs[i], ds[i], layers); break;
                case "model": NeuralAtlas.Autograd.Functional.Jvp(model.Forward, xs[i].Reshape(1, 1, 28, 28), ds[i].Select(d => d.Direction.Reshape(1, 1, 28, 28)).ToArray()); break;
                case "describe": for (int l = 0; l < layers.Count; l++) NeuralFrames.Describe(layers[l], fs[i]![l], ds[i]); break;
                case "all" or "profile": NeuralFrames.Compute(model, xs[i], ds[i], layers); break;
                default: throw new ArgumentException($"unknown part '{part}' (all, push, describe, model, profile)");
            }
        }
        // Warm-up on inputs of their own, long enough for tiered JIT to reach the optimised code of the hot loops.
        for (int i = 0; i < warm; i++) One(i);
        if (part == "profile") { Parallelism.MaxThreads = 1; NeuralAtlas.Autograd.Profiler.Enabled = true; NeuralAtlas.Autograd.Profiler.Reset(); }
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var each = new double[inputs];
        int gen2 = GC.CollectionCount(2), gen0 = GC.CollectionCount(0);
        long alloc = GC.GetTotalAllocatedBytes();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < inputs; i++)
        {
            var t = Stopwatch.StartNew();
            One(warm + i);
            each[i] = t.Elapsed.TotalMilliseconds;
        }
        double wall = sw.Elapsed.TotalMilliseconds / inputs;
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalMilliseconds / inputs;
        if (part == "profile") { NeuralAtlas.Autograd.Profiler.Enabled = false; Console.WriteLine(NeuralAtlas.Autograd.Profiler.Report()); }
        Array.Sort(each);
        Console.WriteLine($"GC: {(GC.GetTotalAllocatedBytes() - alloc) / 1e6 / inputs:F1} MB allocated per input; {GC.CollectionCount(0) - gen0} gen-0 and {GC.CollectionCount(2) - gen2} gen-2 collections, {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms paused in all");
        Console.WriteLine($"neural frames ({part}), reference CNN, {ds[0].Length} directions, {layers.Count} layers: {wall:F1} ms per input wall (median {each[inputs / 2]:F1}, slowest {each[^1]:F1}), {cpu:F1} ms CPU, over {inputs} inputs (goal < 50 ms)");
        return 0;
    }
}
