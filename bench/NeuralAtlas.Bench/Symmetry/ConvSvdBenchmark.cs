using System.Diagnostics;
using NeuralAtlas.Symmetry.ConvSpectra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Symmetry;

/// <summary>
/// Spectra of every layer of ResNet-20 (random weights of the zoo's shapes and names) at 32×32: exact operator
/// singular values with the real stage sizes and strides, plus reshaped SVD, power law and MP fits; also the harder
/// variant with every convolution taken at 32×32, stride 1.
/// </summary>
public sealed class ConvSvdBenchmark : IBenchmark
{
    public string Name => "conv-svd";
    public string Description => "conv operator singular values + spectra of all ResNet-20 layers at 32x32 (goal < 2 s)";

    public static List<KeyValuePair<string, Tensor>> ResNet20Weights(Rng rng)
    {
        var w = new List<KeyValuePair<string, Tensor>>();
        void Add(string name, params int[] shape)
        {
            var t = new Tensor(shape);
            double fanIn = shape.Skip(1).Aggregate(1, (a, b) => a * b);
            for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)(rng.Normal() * Math.Sqrt(2 / fanIn));
            w.Add(new(name, t));
        }
        Add("conv1.weight", 16, 3, 3, 3);
        int cin = 16;
        for (int s = 1; s <= 3; s++)
        {
            int c = 16 << (s - 1);
            for (int b = 0; b < 3; b++)
            {
                Add($"layer{s}.{b}.conv1.weight", c, b == 0 ? cin : c, 3, 3);
                Add($"layer{s}.{b}.conv2.weight", c, c, 3, 3);
                if (b == 0 && cin != c) Add($"layer{s}.{b}.shortcut.0.weight", c, cin, 1, 1);
            }
            cin = c;
        }
        Add("fc.weight", 10, 64);
        return w;
    }

    public int Run(string[] args)
    {
        var weights = ResNet20Weights(new Rng(20));
        var geometry = ResNetCifarGeometry.For(weights.Select(w => w.Key), 32);
        Console.WriteLine($"ResNet-20: {weights.Count(w => w.Value.Rank == 4)} convolutions, {weights.Count(w => w.Value.Rank == 2)} linear");
        foreach (var (label, opts) in new[]
        {
            ("real geometry (32/16/8, stride-2 down-sampling)", new SpectraOptions { InputSize = 32, Geometry = geometry }),
            ("every conv at 32x32, stride 1", new SpectraOptions { InputSize = 32 }),
        })
        {
            ModelSpectra.Analyse(weights, opts); // warm-up (JIT)
            var times = new List<double>();
            var cpu = new List<double>();
            ModelSpectrum? result = null;
            var proc = Process.GetCurrentProcess();
            for (int r = 0; r < 3; r++)
            {
                proc.Refresh();
                var c0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                result = ModelSpectra.Analyse(weights, opts);
                times.Add(sw.Elapsed.TotalSeconds);
                proc.Refresh();
                cpu.Add((proc.TotalProcessorTime - c0).TotalSeconds);
            }
            times.Sort();
            cpu.Sort();
            long values = result!.Layers.Sum(l => (long)(l.Operator?.Count ?? 0));
            Console.WriteLine($"{label}: wall median {times[1]:F3} s (min {times[0]:F3}), process CPU median {cpu[1]:F3} s, {values:N0} operator singular values, avg alpha {result.AverageAlpha:F3}");
            // Operator spectra alone, per stage.
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw2 = Stopwatch.StartNew();
            foreach (var (name, w) in weights.Where(w => w.Value.Rank == 4))
            {
                var g = opts.Geometry.TryGetValue(name, out var gg) ? gg : new ConvGeometry(32, 1);
                ConvOperatorSpectrum.SingularValues(ConvKernel.FromTensor(w), g.InputSize, g.Stride);
            }
            proc.Refresh();
            Console.WriteLine($"  operator singular values only: wall {sw2.Elapsed.TotalSeconds:F3} s, CPU {(proc.TotalProcessorTime - cpu0).TotalSeconds:F3} s");
        }
        return 0;
    }
}
