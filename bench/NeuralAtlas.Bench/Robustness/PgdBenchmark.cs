using System.Diagnostics;
using NeuralAtlas.Bench.Similarity;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Robustness.Attacks;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Robustness;

/// <summary>
/// PGD-10 ℓ∞ (ε = 0.1) on 1,000 Fashion-MNIST test images with the reference CNN, ours and PyTorch's with the same
/// weights, 2 threads each; seconds and success rates side by side.
/// </summary>
public sealed class PgdBenchmark : IBenchmark
{
    public string Name => "pgd";
    public string Description => "PGD-10 l-inf on 1,000 Fashion-MNIST test images with the reference CNN, ours vs PyTorch; args: [--count N] [--threads T]";

    public int Run(string[] args)
    {
        int count = 1000, threads = 2;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--count") count = int.Parse(args[++i]);
            else if (args[i] == "--threads") threads = int.Parse(args[++i]);
        Parallelism.MaxThreads = threads;
        ImageDataset test;
        try { test = IdxImageFolder.LoadFashionMnist().Test.Take(count); }
        catch (AtlasException) { test = Datasets.Load("synthetic").Test.Take(count); }
        var model = ModelZoo.Create("cnn", 1, 28, 10, new Rng(0));
        var x = test.Images();
        var y = test.Labels.ToArray();
        var options = new PgdOptions { Norm = LpNorm.Inf, Epsilon = 0.1, Steps = 10, RandomStart = false, BatchSize = 100 };
        Pgd.Attack(model, x, y, Subspace.Parse("full", 1, 28, 28, 0), options with { Steps = 1 }); // warm-up (JIT)
        var sw = Stopwatch.StartNew();
        var res = Pgd.Attack(model, x, y, Subspace.Parse("full", 1, 28, 28, 0), options);
        double ours = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"data {test.Name}, {count} images, threads {threads}");
        Console.WriteLine($"ours:    {ours:F2} s, success {res.SuccessRate:F4}");
        string dir = Directory.CreateTempSubdirectory("atlas-pgd-").FullName;
        try
        {
            Npz.Write(Path.Combine(dir, "w.npz"), model.StateDict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value)).Append(new("x", x)).Append(new("y", new Tensor(new[] { y.Length }, y.Select(v => (float)v).ToArray()))));
            var lines = PythonPeer.Run(Script, threads, Path.Combine(dir, "w.npz"));
            if (lines is null) return 0;
            var parts = lines[^1].Split(' ');
            double theirs = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"pytorch: {theirs:F2} s, success {parts[1]}");
            Console.WriteLine($"ratio ours/pytorch: {ours / theirs:F2} (goal ≤ 1)");
        }
        finally { Directory.Delete(dir, true); }
        return 0;
    }

    private const string Script = """
        import sys, time
        import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
        torch.set_num_threads(int(__import__('os').environ.get('OMP_NUM_THREADS', '2')))
        d = np.load(sys.argv[1])
        class Net(nn.Module):
            def __init__(s):
                super().__init__()
                s.conv1 = nn.Conv2d(1, 32, 3); s.conv2 = nn.Conv2d(32, 64, 3); s.fc1 = nn.Linear(1600, 128); s.fc2 = nn.Linear(128, 10)
            def forward(s, x):
                x = F.max_pool2d(F.relu(s.conv1(x)), 2); x = F.max_pool2d(F.relu(s.conv2(x)), 2)
                return s.fc2(F.relu(s.fc1(x.flatten(1))))
        net = Net().eval()
        net.load_state_dict({k: torch.from_numpy(d[k]) for k in net.state_dict()})
        x = torch.from_numpy(d['x']); y = torch.from_numpy(d['y']).long()
        def pgd(x, y, eps, steps):
            alpha = 2.5 * eps / steps; delta = torch.zeros_like(x)
            for _ in range(steps):
                xa = (x + delta).requires_grad_(True)
                loss = F.cross_entropy(net(xa), y, reduction='sum')
                g, = torch.autograd.grad(loss, xa)
                delta = (delta + alpha * g.sign()).clamp(-eps, eps)
                delta = (x + delta).clamp(0, 1) - x
            return x + delta
        pgd(x[:100], y[:100], 0.1, 1)
        t = time.time(); ok = []
        for i in range(0, len(x), 100):
            xa = pgd(x[i:i+100], y[i:i+100], 0.1, 10)
            with torch.no_grad(): ok.append(net(xa).argmax(1) != y[i:i+100])
        print(f"{time.time() - t:.3f} {torch.cat(ok).float().mean().item():.4f}")
        """;
}
