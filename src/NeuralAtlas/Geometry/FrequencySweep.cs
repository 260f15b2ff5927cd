using System.Globalization;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>Settings of a weight-decay × depth sweep; the defaults run in a couple of minutes on 2 cores.</summary>
public sealed record FrequencySweepOptions
{
    public IReadOnlyList<double> WeightDecays { get; init; } = new[] { 0.0, 1e-2, 1e-1 };
    public IReadOnlyList<int> Depths { get; init; } = new[] { 1, 2, 3 };
    public int Epochs { get; init; } = 4;
    /// <summary>Training images used (the first N of the training split).</summary>
    public int TrainCount { get; init; } = 4000;
    /// <summary>Test images the sensitivity and power maps average over.</summary>
    public int Count { get; init; } = 64;
    /// <summary>Test images the accuracy is measured on.</summary>
    public int EvalCount { get; init; } = 1000;
    public int Channels { get; init; } = 8;
    /// <summary>ReLU after each convolution; false gives the deep linear CNN of the theory.</summary>
    public bool Relu { get; init; }
    public string Optimizer { get; init; } = "adam";
    public double LearningRate { get; init; } = 1e-3;
    public int BatchSize { get; init; } = 64;
    public int Seed { get; init; }

    public void Validate()
    {
        if (WeightDecays.Count == 0) throw new AtlasArgumentException("--weight-decay", "give at least one value");
        foreach (double wd in WeightDecays)
            if (!(wd >= 0) || double.IsInfinity(wd)) throw new AtlasArgumentException("--weight-decay", $"values must be finite and ≥ 0, got {wd}");
        if (Depths.Count == 0) throw new AtlasArgumentException("--depths", "give at least one depth");
        foreach (int d in Depths)
            if (d < 1 || d > 32) throw new AtlasArgumentException("--depths", $"depths must be in 1..32, got {d}");
        if (TrainCount < 1) throw new AtlasArgumentException("--train-count", $"must be positive, got {TrainCount}");
        if (Count < 1) throw new AtlasArgumentException("--count", $"must be positive, got {Count}");
        if (EvalCount < 1) throw new AtlasArgumentException("--eval-count", $"must be positive, got {EvalCount}");
        if (Channels < 1) throw new AtlasArgumentException("--channels", $"must be positive, got {Channels}");
        new TrainOptions { Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate, Optimizer = Optimizer }.Validate();
    }
}

/// <summary>One trained model of the sweep: its frequency report, its ‖θ‖₂ (all parameters) and how well it fits.</summary>
public sealed record FrequencySweepRun(int Depth, double WeightDecay, double WeightNorm, double TrainLoss, double TrainAccuracy,
    double TestAccuracy, double Seconds, double RadialCorrelation, FrequencyReport Report);

/// <summary>The sweep: the data's power spectrum (shared by every run) and one run per (depth, weight decay).</summary>
public sealed record FrequencySweepResult(FrequencySweepOptions Options, string Data, int Height, int Width,
    double[] PowerSpectrum, double[] PowerRadial, IReadOnlyList<FrequencySweepRun> Runs);

/// <summary>
/// The ready experiment of arXiv 2210.01257 (Tovey et al., representation-cost theory): train a family of CNNs of
/// several depths under several weight decays on the same data, from the same initialisation per depth and the
/// same batch order, and measure each one's frequency sensitivity against the data's power spectrum. The theory
/// predicts that deeper (linear) CNNs and stronger weight decay concentrate sensitivity on the frequencies where
/// the data has power, i.e. a larger correlation.
/// </summary>
public static class FrequencySweep
{
    public static FrequencySweepResult Run(DatasetSplits data, string dataName, FrequencySweepOptions options, Action<string>? progress = null)
    {
        options.Validate();
        var train = data.Train.Take(Math.Min(options.TrainCount, data.Train.Count));
        var images = data.Test.Images(options.Count);
        var evalSet = data.Test.Take(Math.Min(options.EvalCount, data.Test.Count));
        var runs = new List<FrequencySweepRun>();
        int total = options.Depths.Count * options.WeightDecays.Count, index = 0;
        foreach (int depth in options.Depths)
            foreach (double wd in options.WeightDecays)
            {
                index++;
                string tag = string.Create(CultureInfo.InvariantCulture, $"[{index}/{total}] depth {depth} weight decay {wd:G3}");
                var model = DepthCnn.Create(depth, options.Channels, train.Channels, train.Height, train.Width, train.ClassCount, options.Relu, new Rng(options.Seed + depth));
                var trainOptions = new TrainOptions
                {
                    Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate,
                    Optimizer = options.Optimizer, WeightDecay = wd, Seed = options.Seed,
                };
                var fit = Trainer.Train(model, train, trainOptions, p =>
                {
                    if (p.EpochEnd)
                        progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                            $"{tag}: epoch {p.Epoch + 1}/{p.Epochs} loss {p.Loss:F4} acc {p.Accuracy:F4} ({p.SamplesPerSecond:F0} img/s)"));
                });
                double testAcc = Trainer.Evaluate(model, evalSet);
                var report = FrequencySensitivity.Compute(model, images);
                double norm = Math.Sqrt(model.Parameters().Sum(p => p.Value.Data.Sum(v => (double)v * v)));
                var last = fit.Epochs[^1];
                var run = new FrequencySweepRun(depth, wd, norm, last.Loss, last.Accuracy, testAcc, fit.Seconds,
                    RadialLogCorrelation(report.SensitivityRadial, report.PowerRadial), report);
                runs.Add(run);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"{tag}: test acc {testAcc:F4}, ‖θ‖ {norm:F3}, correlation {report.Correlation:F4} (radial {run.RadialCorrelation:F4})"));
            }
        var first = runs[0].Report;
        return new FrequencySweepResult(options, dataName, first.Height, first.Width, first.PowerSpectrum, first.PowerRadial, runs);
    }

    /// <summary>Pearson correlation of the log radial profiles over radii ≥ 1 (NaN when either is constant or has zeros only).</summary>
    public static double RadialLogCorrelation(double[] sensitivity, double[] power)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int r = 1; r < Math.Min(sensitivity.Length, power.Length); r++)
            if (sensitivity[r] > 0 && power[r] > 0) { xs.Add(Math.Log(sensitivity[r])); ys.Add(Math.Log(power[r])); }
        if (xs.Count < 2) return double.NaN;
        double mx = xs.Average(), my = ys.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < xs.Count; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); syy += (ys[i] - my) * (ys[i] - my); }
        return sxx > 0 && syy > 0 ? Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1) : double.NaN;
    }
}
