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
    public string Description => "NeuralFrames.Compute, 16 directions, all layers of the reference CNN, per input (goal < 50 ms); args: [threads] [inputs] [all | push = Jvps only | describe = per-layer statistics only | model = model.Forward Jvps only] [layers, comma-separated; default all]";

    public int Run(string[] args)
    {
        Parallelism.MaxThreads = args.Length > 0 ? int.Parse(args[0]) : 2;
        int inputs = args.Length > 1 ? int.Parse(args[1]) : 10;
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
        for (int w = 0; w < 2; w++) { var x = Image(); NeuralFrames.Compute(model, x, Dirs(x), layers); }
        var xs = Enumerable.Range(0, inputs).Select(_ => Image()).ToArray();
        var ds = xs.Select(Dirs).ToArray();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        string part = args.Length > 2 ? args[2] : "all";
        var fs = NeuralFrames.Pushforward(model, xs[0], ds[0], layers);
        for (int i = 0; i < inputs; i++)
        {
            if (part == "push") NeuralFrames.Pushforward(model, xs[i], ds[i], layers);
            else if (part == "model") NeuralAtlas.Autograd.Functional.Jvp(model.Forward, xs[i].Reshape(1, 1, 28, 28), ds[i].Select(d => d.Direction.Reshape(1, 1, 28, 28)).ToArray());
            else if (part == "describe") { for (int l = 0; l < fs.Length; l++) NeuralFrames.Describe(layers[l], fs[l], ds[0]); }
            else NeuralFrames.Compute(model, xs[i], ds[i], layers);
        }
        double wall = sw.Elapsed.TotalMilliseconds / inputs;
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalMilliseconds / inputs;
        Console.WriteLine($"neural frames ({part}), reference CNN, {ds[0].Length} directions, {layers.Count} layers: {wall:F1} ms per input wall, {cpu:F1} ms CPU (goal < 50 ms)");
        return 0;
    }
}
