using System.Diagnostics;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Training;

/// <summary>
/// One epoch of the reference CNN on Fashion-MNIST (60,000 images, batch 64, Adam 1e-3, seed 0, 2 threads): epoch
/// seconds and test accuracy, ours and PyTorch's (same data, same recipe) in the same run.
/// </summary>
public sealed class TrainCnnBenchmark : IBenchmark
{
    public string Name => "train-cnn";
    public string Description => "one epoch of the reference CNN on Fashion-MNIST vs PyTorch; args: [--limit N] [--no-torch] [--ops-conv] [--threads T]";

    public int Run(string[] args)
    {
        int limit = int.MaxValue, threads = 2;
        bool torch = true;
        for (int i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--limit": limit = int.Parse(args[++i]); break;
                case "--no-torch": torch = false; break;
                case "--threads": threads = int.Parse(args[++i]); break;
                case "--profile": Parallelism.MaxThreads = threads; return Profile();
            }
        Parallelism.MaxThreads = threads;
        Environment.SetEnvironmentVariable("OPENBLAS_NUM_THREADS", threads.ToString());
        var splits = IdxImageFolder.LoadFashionMnist();
        var train = splits.Train;
        if (limit < train.Count)
        {
            int size = train.ImageSize;
            train = new ImageDataset("fashion-mnist-subset", train.Channels, train.Height, train.Width, train.Pixels.AsSpan(0, limit * size).ToArray(), train.Labels[..limit], train.ClassNames);
        }
        Console.WriteLine($"training images {train.Count}, test images {splits.Test.Count}, threads {threads}, OpenBLAS {Native.OpenBlas.Status}");
        var model = ModelZoo.Create("cnn", 1, 28, 10, new Rng(0));
        var sw = Stopwatch.StartNew();
        var res = Trainer.Train(model, train, new TrainOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3, Seed = 0 });
        double ours = sw.Elapsed.TotalSeconds;
        double acc = Trainer.Evaluate(model, splits.Test);
        Console.WriteLine($"ours:    epoch {ours:F1} s, train loss {res.Epochs[^1].Loss:F4}, test accuracy {acc:F4}");
        if (!torch) return 0;
        var (torchSec, torchAcc) = RunTorch(limit, threads);
        if (double.IsNaN(torchSec)) return 0;
        Console.WriteLine($"pytorch: epoch {torchSec:F1} s, test accuracy {torchAcc:F4}");
        Console.WriteLine($"ratio ours/pytorch: {ours / torchSec:F2} (goal ≤ 0.8); accuracy difference {acc - torchAcc:+0.0000;-0.0000}");
        return 0;
    }

    // CPU time (all threads) per training step of a batch of 64, split into forward / backward / optimizer, so
    // figures stay meaningful on a loaded machine.
    private static int Profile()
    {
        var rng = new Rng(1);
        var x = new Tensor(64, 1, 28, 28);
        for (int i = 0; i < x.Numel; i++) x.Data[i] = rng.NextFloat();
        var y = Trainer.Labels(Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        var model = ModelZoo.Create("cnn", 1, 28, 10, new Rng(0));
        var opt = new Nn.Optim.Adam(model.Parameters(), 1e-3);
        var proc = Process.GetCurrentProcess();
        TimeSpan Cpu() { proc.Refresh(); return proc.TotalProcessorTime; }
        double fwd = 0, bwd = 0, step = 0;
        const int warm = 5, reps = 40;
        for (int r = 0; r < warm + reps; r++)
        {
            var t0 = Cpu();
            opt.ZeroGrad();
            var loss = Autograd.F.CrossEntropy(model.Forward(new Autograd.Var(x)), y);
            var t1 = Cpu();
            loss.Backward();
            var t2 = Cpu();
            opt.Step();
            var t3 = Cpu();
            if (r == warm - 1) { Autograd.Profiler.Enabled = Parallelism.MaxThreads == 1; Autograd.Profiler.Reset(); }
            if (r < warm) continue;
            fwd += (t1 - t0).TotalMilliseconds; bwd += (t2 - t1).TotalMilliseconds; step += (t3 - t2).TotalMilliseconds;
        }
        Console.WriteLine($"CPU ms per batch of 64: forward {fwd / reps:F1}, backward {bwd / reps:F1}, adam {step / reps:F1}; total {(fwd + bwd + step) / reps:F1} (PyTorch reference: 35 s x 2 threads / 938 batches = 75 ms)");
        if (Autograd.Profiler.Enabled) Console.WriteLine(Autograd.Profiler.Report());
        var a = new Autograd.Var(new Tensor(64, 32, 26, 26), true);
        for (int i = 0; i < a.Numel; i++) a.Value.Data[i] = rng.NextFloat();
        double c0 = Autograd.Profiler.ThreadCpuMs();
        for (int i = 0; i < 20; i++) Autograd.F.MaxPool2d(a, 2);
        double c1 = Autograd.Profiler.ThreadCpuMs();
        for (int i = 0; i < 20; i++) Autograd.F.Relu(a);
        double c2 = Autograd.Profiler.ThreadCpuMs();
        for (int i = 0; i < 20; i++) Autograd.F.Conv2d(a, model.NamedParameters().First(p => p.Key == "conv2.weight").Value);
        double c3 = Autograd.Profiler.ThreadCpuMs();
        var x1 = new Autograd.Var(x, true);
        for (int i = 0; i < 20; i++) Autograd.F.Conv2d(x1, model.NamedParameters().First(p => p.Key == "conv1.weight").Value);
        double c4 = Autograd.Profiler.ThreadCpuMs();
        Console.WriteLine($"isolated CPU ms: max_pool2d [64,32,26,26] {(c1 - c0) / 20:F2}, relu {(c2 - c1) / 20:F2}, conv2 on it {(c3 - c2) / 20:F2}, conv1 {(c4 - c3) / 20:F2}");
        Console.WriteLine($"GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
        return 0;
    }

    private const string Script = """
import sys, time, gzip, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
limit, threads = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads); torch.manual_seed(0)
d = '/usr/share/datasets/fashion-mnist/'
def images(n): return np.frombuffer(gzip.open(d + n).read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
def labels(n): return np.frombuffer(gzip.open(d + n).read(), np.uint8, offset=8).astype(np.int64)
xtr = torch.tensor(images('train-images-idx3-ubyte.gz')[:limit] / 255.0, dtype=torch.float32); ytr = torch.tensor(labels('train-labels-idx1-ubyte.gz')[:limit])
xte = torch.tensor(images('t10k-images-idx3-ubyte.gz') / 255.0, dtype=torch.float32); yte = torch.tensor(labels('t10k-labels-idx1-ubyte.gz'))
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv2d(1, 32, 3); s.conv2 = nn.Conv2d(32, 64, 3); s.fc1 = nn.Linear(1600, 128); s.fc2 = nn.Linear(128, 10)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.conv1(x)), 2); x = F.max_pool2d(F.relu(s.conv2(x)), 2)
        return s.fc2(F.relu(s.fc1(torch.flatten(x, 1))))
m = Net(); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
g = torch.Generator().manual_seed(0)
t0 = time.time()
perm = torch.randperm(len(xtr), generator=g)
for i in range(0, len(xtr), 64):
    idx = perm[i:i + 64]
    opt.zero_grad(); loss = F.cross_entropy(m(xtr[idx]), ytr[idx]); loss.backward(); opt.step()
sec = time.time() - t0
m.eval()
with torch.no_grad(): acc = (m(xte).argmax(1) == yte).float().mean().item()
print(sec, acc)
""";

    private static (double Seconds, double Accuracy) RunTorch(int limit, int threads)
    {
        if (!File.Exists("/usr/bin/python3")) { Console.WriteLine("pytorch: /usr/bin/python3 not found, skipped"); return (double.NaN, double.NaN); }
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(Math.Min(limit, 60000).ToString());
        psi.ArgumentList.Add(threads.ToString());
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString();
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd(), e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var parts = o.Trim().Split(' ');
        if (p.ExitCode != 0 || parts.Length != 2) { Console.WriteLine($"pytorch: not run ({e.Trim().Split('\n').LastOrDefault()})"); return (double.NaN, double.NaN); }
        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
