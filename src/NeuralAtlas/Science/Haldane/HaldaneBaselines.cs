using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Science.Haldane;

/// <summary>Baseline classifiers of the Chern number from the sampled section.</summary>
public enum HaldaneModel
{
    /// <summary>Flattened (R, Re F, Im F) → 128 → classes.</summary>
    Mlp,
    /// <summary>Two 3×3 convolutions with circular (torus) padding, global mean pooling, linear head.</summary>
    Cnn,
    /// <summary>
    /// Topological prior: the input is replaced by the lattice Berry flux of the normalised section (the phase of each
    /// plaquette's product of link variables U = ⟨ψ(p)|ψ(p+e)⟩), global sum pooling (the total flux, an integral over
    /// the torus as a Chern number is) and a small MLP head that learns which integer a total flux means.
    /// </summary>
    Topological,
}

/// <summary>Training and per-class evaluation of the Haldane baselines.</summary>
public static class HaldaneBaselines
{
    public sealed record Result(HaldaneModel Model, int Train, int Test, double Accuracy, SortedDictionary<int, (int Correct, int Total)> PerClass, double FinalLoss);

    private sealed class CircularPad(int p) : Module
    {
        protected override Var OnForward(Var x)
        {
            int h = x.Shape[2], w = x.Shape[3];
            x = F.Cat([F.Narrow(x, 2, h - p, p), x, F.Narrow(x, 2, 0, p)], 2);
            return F.Cat([F.Narrow(x, 3, w - p, p), x, F.Narrow(x, 3, 0, p)], 3);
        }
    }

    private sealed class GlobalPool(bool sum) : Module
    {
        protected override Var OnForward(Var x) => sum ? F.Sum(x, [2, 3]) : F.Mean(x, [2, 3]);
    }

    public static Module Create(HaldaneModel model, int grid, int classes, Rng rng) => model switch
    {
        HaldaneModel.Mlp => new Sequential(new Flatten(), new Linear(3 * grid * grid, 128, rng), new ReLU(), new Linear(128, classes, rng)),
        HaldaneModel.Cnn => new Sequential(new CircularPad(1), new Conv2d(3, 16, 3, rng), new ReLU(), new CircularPad(1), new Conv2d(16, 16, 3, rng), new ReLU(),
            new GlobalPool(false), new Linear(16, classes, rng)),
        _ => new Sequential(new GlobalPool(true), new Linear(1, 32, rng), new ReLU(), new Linear(32, classes, rng)),
    };

    /// <summary>The plaquette phases of the normalised section divided by 2π (one channel), from the stored sections.</summary>
    public static float[] LatticeFlux(float[] sections, int count, int grid)
    {
        int plane = grid * grid;
        var flux = new float[(long)count * plane];
        for (int s = 0; s < count; s++)
        {
            long o = (long)s * 3 * plane;
            // ψ = (R, F)/‖(R, F)‖ (zero where the section vanishes).
            var a = new double[plane]; var br = new double[plane]; var bi = new double[plane];
            for (int p = 0; p < plane; p++)
            {
                double r = sections[o + p], fr = sections[o + plane + p], fi = sections[o + 2 * plane + p];
                double norm = Math.Sqrt(r * r + fr * fr + fi * fi);
                if (norm > 0) { a[p] = r / norm; br[p] = fr / norm; bi[p] = fi / norm; }
            }
            (double, double) Link(int q, int t) => (a[q] * a[t] + br[q] * br[t] + bi[q] * bi[t], br[q] * bi[t] - bi[q] * br[t]);
            for (int i = 0; i < grid; i++)
                for (int j = 0; j < grid; j++)
                {
                    int q00 = i * grid + j, q10 = (i + 1) % grid * grid + j, q11 = (i + 1) % grid * grid + (j + 1) % grid, q01 = i * grid + (j + 1) % grid;
                    var (u1r, u1i) = Link(q00, q10); var (u2r, u2i) = Link(q10, q11); var (u3r, u3i) = Link(q11, q01); var (u4r, u4i) = Link(q01, q00);
                    double xr = u1r * u2r - u1i * u2i, xi = u1r * u2i + u1i * u2r;
                    double yr = xr * u3r - xi * u3i, yi = xr * u3i + xi * u3r;
                    double zr = yr * u4r - yi * u4i, zi = yr * u4i + yi * u4r;
                    flux[(long)s * plane + q00] = (float)(zr == 0 && zi == 0 ? 0 : -Math.Atan2(zi, zr) / (2 * Math.PI));
                }
        }
        return flux;
    }

    /// <summary>
    /// Trains on a seeded 80/20 split with Adam and cross-entropy, and reports test accuracy overall and per Chern
    /// number. Labels are mapped to classes in ascending order of the Chern numbers present.
    /// </summary>
    public static Result TrainAndEvaluate(HaldaneDataset ds, HaldaneModel model, int epochs, ulong seed, double lr = 1e-3, int batch = 64)
    {
        if (ds.Grid == 0 || ds.Sections.Length == 0) throw new AtlasArgumentException("data", "the data set has no sampled sections");
        if (ds.Count < 10) throw new AtlasArgumentException("data", $"need at least 10 samples to train and test, got {ds.Count}");
        if (epochs < 1) throw new AtlasArgumentException("epochs", $"must be at least 1, got {epochs}");
        var labels = ds.Chern.Distinct().OrderBy(c => c).ToArray();
        var classOf = labels.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        int n = ds.Count, grid = ds.Grid, plane = grid * grid;
        int channels = model == HaldaneModel.Topological ? 1 : 3;
        float[] input = model == HaldaneModel.Topological ? LatticeFlux(ds.Sections, n, grid) : Standardise(ds.Sections);
        var rng = new Rng(seed);
        var perm = rng.Permutation(n);
        int nTrain = n * 4 / 5;
        var train = perm[..nTrain];
        var test = perm[nTrain..];
        var net = Create(model, grid, labels.Length, rng);
        var opt = new Adam(net.Parameters(), lr);
        double lastLoss = double.NaN;
        for (int e = 0; e < epochs; e++)
        {
            net.Train();
            rng.Shuffle(train.AsSpan());
            double sum = 0; int batches = 0;
            for (int b0 = 0; b0 < nTrain; b0 += batch)
            {
                var idx = train[b0..Math.Min(nTrain, b0 + batch)];
                var (x, y) = Batch(input, ds.Chern, classOf, idx, channels, grid);
                opt.ZeroGrad();
                var loss = F.CrossEntropy(net.Forward(new Var(x)), y);
                loss.Backward();
                opt.Step();
                sum += loss.Value.Data[0]; batches++;
            }
            lastLoss = sum / batches;
            if (!double.IsFinite(lastLoss)) throw new AtlasArgumentException("lr", $"training diverged (loss {lastLoss}) at epoch {e + 1}; lower the learning rate");
        }
        net.Eval();
        var per = new SortedDictionary<int, (int, int)>();
        foreach (int c in labels) per[c] = (0, 0);
        int correct = 0;
        using (GradMode.NoGrad())
        {
            for (int b0 = 0; b0 < test.Length; b0 += batch)
            {
                var idx = test[b0..Math.Min(test.Length, b0 + batch)];
                var (x, _) = Batch(input, ds.Chern, classOf, idx, channels, grid);
                var logits = net.Forward(new Var(x)).Value;
                int k = labels.Length;
                for (int r = 0; r < idx.Length; r++)
                {
                    int arg = 0;
                    for (int c = 1; c < k; c++) if (logits.Data[r * k + c] > logits.Data[r * k + arg]) arg = c;
                    int truth = ds.Chern[idx[r]];
                    bool ok = labels[arg] == truth;
                    var (cc, tt) = per[truth];
                    per[truth] = (cc + (ok ? 1 : 0), tt + 1);
                    if (ok) correct++;
                }
            }
        }
        return new Result(model, nTrain, test.Length, test.Length == 0 ? 0 : (double)correct / test.Length, per, lastLoss);
    }

    private static float[] Standardise(float[] s)
    {
        double mean = 0, sq = 0;
        foreach (float v in s) { mean += v; sq += (double)v * v; }
        mean /= Math.Max(1, s.Length);
        double std = Math.Sqrt(Math.Max(1e-12, sq / Math.Max(1, s.Length) - mean * mean));
        var r = new float[s.Length];
        for (int i = 0; i < s.Length; i++) r[i] = (float)((s[i] - mean) / std);
        return r;
    }

    private static (Tensor X, Tensor Y) Batch(float[] input, int[] chern, Dictionary<int, int> classOf, int[] idx, int channels, int grid)
    {
        int per = channels * grid * grid;
        var x = new float[idx.Length * per];
        var y = new float[idx.Length];
        for (int r = 0; r < idx.Length; r++)
        {
            Array.Copy(input, (long)idx[r] * per, x, (long)r * per, per);
            y[r] = classOf[chern[idx[r]]];
        }
        return (new Tensor([idx.Length, channels, grid, grid], x), new Tensor([idx.Length], y));
    }
}
