using NeuralAtlas.Nn;
using NeuralAtlas.Robustness.Corruptions;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness;

/// <summary>Accuracy of a model on one corruption at one severity.</summary>
public sealed record CorruptionScore(string Corruption, string Family, int Severity, double Accuracy);

/// <summary>
/// A model evaluated on every corruption × severity of a test set (ImageNet-C style). The corruption error of c is
/// CE_c = Σ_s E_{s,c} / Σ_s E^{baseline}_{s,c}; the mean corruption error (mCE) averages CE_c over corruptions.
/// </summary>
public sealed record CorruptionReport(double CleanAccuracy, IReadOnlyList<CorruptionScore> Scores)
{
    public double MeanAccuracy => Scores.Count == 0 ? double.NaN : Scores.Average(s => s.Accuracy);

    public IReadOnlyDictionary<string, double> AccuracyByCorruption =>
        Scores.GroupBy(s => s.Corruption).ToDictionary(g => g.Key, g => g.Average(s => s.Accuracy));

    /// <summary>Corruption errors relative to a baseline model evaluated on the same corruptions and severities.</summary>
    public IReadOnlyDictionary<string, double> CorruptionErrors(CorruptionReport baseline)
    {
        var result = new Dictionary<string, double>();
        foreach (var g in Scores.GroupBy(s => s.Corruption))
        {
            double ours = g.Sum(s => 1 - s.Accuracy);
            var theirs = baseline.Scores.Where(s => s.Corruption == g.Key && g.Any(x => x.Severity == s.Severity)).ToList();
            if (theirs.Count != g.Count())
                throw new AtlasArgumentException("baseline", $"the baseline was not evaluated on {g.Key} at the same severities");
            double denominator = theirs.Sum(s => 1 - s.Accuracy);
            result[g.Key] = denominator == 0 ? (ours == 0 ? 1 : double.PositiveInfinity) : ours / denominator;
        }
        return result;
    }

    public double MeanCorruptionError(CorruptionReport baseline)
    {
        var ce = CorruptionErrors(baseline);
        return ce.Values.Average();
    }
}

public static class CorruptionEvaluation
{
    /// <summary>
    /// Corrupts every image (one generator per image, derived from the seed) and scores the model. Progress reports
    /// (done, total) after each corruption × severity.
    /// </summary>
    public static CorruptionReport Evaluate(Module model, Tensor images, IReadOnlyList<int> labels, IReadOnlyList<Corruption> corruptions,
        IReadOnlyList<int> severities, int seed = 0, Action<int, int>? progress = null, IReadOnlyCollection<int>? channels = null)
    {
        if (images.Rank != 4) throw new ShapeMismatchException("corruption evaluation", $"images must be N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        foreach (int s in severities)
            if (s < 1 || s > 5) throw new AtlasArgumentException("severity", $"must be 1..5, got {s}");
        double clean = Classifier.Accuracy(model, images, labels);
        var scores = new List<CorruptionScore>();
        int total = corruptions.Count * severities.Count, done = 0;
        foreach (var c in corruptions)
            foreach (int s in severities)
            {
                var corrupted = CorruptAll(images, c, s, seed, channels);
                scores.Add(new CorruptionScore(c.Name, c.Family, s, Classifier.Accuracy(model, corrupted, labels)));
                progress?.Invoke(++done, total);
            }
        return new CorruptionReport(clean, scores);
    }

    /// <summary>Every image of an N×C×H×W batch corrupted, each with its own generator derived from the seed and its index.</summary>
    public static Tensor CorruptAll(Tensor images, Corruption c, int severity, int seed, IReadOnlyCollection<int>? channels = null)
    {
        int n = images.Shape[0], per = images.Numel / Math.Max(n, 1);
        var itemShape = images.Shape[1..];
        var corrupted = new Tensor(images.Shape);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var one = new Tensor(itemShape, images.Data.AsSpan(i * per, per).ToArray());
            var r = c.Apply(one, severity, new Rng(StableSeed.Of(seed, c.Name, severity, i)), channels);
            Array.Copy(r.Data, 0, corrupted.Data, i * per, per);
        });
        return corrupted;
    }
}
