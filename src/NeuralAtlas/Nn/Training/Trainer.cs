using System.Diagnostics;
using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Training;

/// <summary>
/// Supervised classification training with cross-entropy: seeded shuffling, the chosen optimizer and schedule,
/// a progress callback, and a typed stop when the loss stops being finite.
/// </summary>
public static class Trainer
{
    /// <summary>The parameters not matched by a <see cref="TrainOptions.Frozen"/> name or prefix; a prefix matching nothing is an error.</summary>
    public static List<Var> Trainable(Module model, IReadOnlyList<string> frozen)
    {
        var named = model.NamedParameters().ToList();
        bool Frozen(string name, string f) => name == f || name.StartsWith(f + ".", StringComparison.Ordinal);
        foreach (var f in frozen)
            if (!named.Any(p => Frozen(p.Key, f)))
                throw new AtlasArgumentException("--freeze", $"'{f}' names no parameter of the model; parameters: {string.Join(", ", named.Select(p => p.Key))}");
        return named.Where(p => !frozen.Any(f => Frozen(p.Key, f))).Select(p => p.Value).ToList();
    }

    public static TrainResult Train(Module model, ImageDataset train, TrainOptions options, Action<TrainProgress>? progress = null, IReadOnlyList<IAugmentation>? augmentations = null)
    {
        options.Validate();
        var loader = new DataLoader(train, options.BatchSize, shuffle: true, seed: options.Seed, augmentations: augmentations);
        var parameters = Trainable(model, options.Frozen);
        Optimizer opt = options.Optimizer switch
        {
            "sgd" => new Sgd(parameters, options.LearningRate, options.Momentum, options.WeightDecay),
            "adamw" => new AdamW(parameters, options.LearningRate, weightDecay: options.WeightDecay),
            _ => new Adam(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        };
        int perEpoch = loader.BatchesPerEpoch;
        LrScheduler? sched = options.Schedule switch
        {
            "step" => new StepLR(opt, Math.Max(1, options.Epochs / 3), 0.1),
            "cosine" => new CosineAnnealingLR(opt, options.Epochs * perEpoch),
            "onecycle" => new OneCycleLR(opt, options.LearningRate, options.Epochs * perEpoch),
            _ => null,
        };
        var summaries = new List<TrainProgress>();
        var total = Stopwatch.StartNew();
        long step = 0;
        model.Train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0, seen = 0;
            int b = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                step++;
                var images = options.BatchTransform is { } transform ? transform(model, batch.Images, batch.Labels) : batch.Images;
                model.Train(); // the transform may have evaluated the model in eval mode
                opt.ZeroGrad();
                var logits = model.Forward(new Var(images));
                var loss = F.CrossEntropy(logits, Labels(batch.Labels), options.LabelSmoothing);
                float l = loss.Item();
                if (!float.IsFinite(l)) throw new NonFiniteLossException(epoch, step, l);
                loss.Backward();
                if (options.ClipGradNorm is double c) GradClip.ClipGradNorm(parameters, c);
                opt.Step();
                if (sched is not null && options.Schedule != "step" && step < (long)options.Epochs * perEpoch) sched.Step();
                int n = batch.Labels.Length;
                lossSum += l * n;
                correct += CountCorrect(logits.Value, batch.Labels);
                seen += n;
                b++;
                progress?.Invoke(new TrainProgress(epoch, options.Epochs, b, perEpoch, lossSum / seen, (double)correct / seen, seen / sw.Elapsed.TotalSeconds, false));
            }
            if (sched is not null && options.Schedule == "step") sched.Step();
            var summary = new TrainProgress(epoch, options.Epochs, b, perEpoch, lossSum / Math.Max(1, seen), (double)correct / Math.Max(1, seen), seen / sw.Elapsed.TotalSeconds, true);
            summaries.Add(summary);
            progress?.Invoke(summary);
        }
        model.Eval();
        return new TrainResult(summaries, total.Elapsed.TotalSeconds);
    }

    /// <summary>Class labels as the float tensor the losses take.</summary>
    public static Tensor Labels(int[] labels)
    {
        var t = new Tensor(labels.Length);
        for (int i = 0; i < labels.Length; i++) t.Data[i] = labels[i];
        return t;
    }

    /// <summary>Logits of every image, in evaluation mode and without a tape, batch by batch.</summary>
    public static Tensor Predict(Module model, ImageDataset data, int batchSize = 256, int? count = null)
    {
        model.Eval();
        int n = Math.Min(count ?? data.Count, data.Count);
        var outs = new List<Tensor>();
        using var ng = GradMode.NoGrad();
        for (int s = 0; s < n; s += batchSize)
        {
            var idx = Enumerable.Range(s, Math.Min(batchSize, n - s)).ToArray();
            outs.Add(model.Forward(new Var(data.Images(idx))).Value);
        }
        return outs.Count == 1 ? outs[0] : Ops.Cat(outs, 0);
    }

    /// <summary>Top-1 accuracy on <paramref name="data"/>.</summary>
    public static double Evaluate(Module model, ImageDataset data, int batchSize = 256)
    {
        var logits = Predict(model, data, batchSize);
        return (double)CountCorrect(logits, data.Labels.AsSpan(0, logits.Shape[0]).ToArray()) / logits.Shape[0];
    }

    internal static long CountCorrect(Tensor logits, int[] labels)
    {
        int c = logits.Shape[1];
        long correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.Data.AsSpan(i * c, c);
            int arg = 0;
            for (int j = 1; j < c; j++) if (row[j] > row[arg]) arg = j;
            if (arg == labels[i]) correct++;
        }
        return correct;
    }
}
