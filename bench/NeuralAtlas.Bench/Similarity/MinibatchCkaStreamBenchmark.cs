using System.Diagnostics;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Native;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Similarity;

/// <summary>
/// Minibatch CKA streaming 1,000,000 samples of width 512 through a <see cref="MinibatchCkaAccumulator"/>: batches
/// are generated on the fly, so memory stays at one batch; reports time and the process's peak working set.
/// </summary>
public sealed class MinibatchCkaStreamBenchmark : IBenchmark
{
    public string Name => "similarity-minibatch-cka";
    public string Description => "minibatch CKA streaming 1e6 samples x 512 in constant memory; args: [samples] [width] [batch] [threads]";

    public int Run(string[] args)
    {
        long samples = args.Length > 0 ? long.Parse(args[0]) : 1_000_000;
        int d = args.Length > 1 ? int.Parse(args[1]) : 512, batch = args.Length > 2 ? int.Parse(args[2]) : 256;
        int threads = args.Length > 3 ? int.Parse(args[3]) : Math.Min(2, Environment.ProcessorCount);
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"samples {samples}, width {d}, batch {batch}, threads {threads}, OpenBLAS {OpenBlas.Status}");
        var rng = new Rng(512);
        var perm = rng.Permutation(d);
        var acc = new MinibatchCkaAccumulator();
        var x = new DMatrix(batch, d);
        var y = new DMatrix(batch, d);
        var sw = Stopwatch.StartNew();
        double generation = 0;
        for (long done = 0; done < samples; done += batch)
        {
            var g = Stopwatch.StartNew();
            for (int i = 0; i < batch; i++)
                for (int j = 0; j < d; j++) x.Data[i * d + j] = rng.NextDouble() - 0.5;
            for (int i = 0; i < batch; i++)
                for (int j = 0; j < d; j++) y.Data[i * d + j] = (j % 2 == 0 ? x.Data[i * d + perm[j]] : 0) + 0.5 * (rng.NextDouble() - 0.5);
            generation += g.Elapsed.TotalSeconds;
            acc.Add(x, y);
        }
        double total = sw.Elapsed.TotalSeconds;
        using var proc = Process.GetCurrentProcess();
        proc.Refresh();
        Console.WriteLine($"| samples | width | batch | minibatch CKA | seconds (of which data generation) | peak working set MB |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| {acc.Samples} | {d} | {batch} | {acc.Value:F6} | {total:F1} ({generation:F1}) | {proc.PeakWorkingSet64 / 1e6:F0} |");
        return 0;
    }
}
