using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness;

/// <summary>Batched top-1 predictions of a model on an N×C×H×W tensor, without recording gradients.</summary>
public static class Classifier
{
    public static int[] Predict(Module model, Tensor images, int batchSize = 256)
    {
        if (images.Rank != 4) throw new ShapeMismatchException("predict", $"images must be N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
        int n = images.Shape[0], d = images.Numel / Math.Max(n, 1);
        var preds = new int[n];
        using var _ = GradMode.NoGrad();
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var shape = (int[])images.Shape.Clone();
            shape[0] = b;
            var x = new Tensor(shape, images.Data.AsSpan(start * d, b * d).ToArray());
            var logits = model.Forward(new Var(x)).Value;
            int k = logits.Numel / b;
            for (int i = 0; i < b; i++)
            {
                int best = 0;
                for (int j = 1; j < k; j++) if (logits.Data[i * k + j] > logits.Data[i * k + best]) best = j;
                preds[start + i] = best;
            }
        }
        return preds;
    }

    public static double Accuracy(Module model, Tensor images, IReadOnlyList<int> labels, int batchSize = 256)
    {
        var p = Predict(model, images, batchSize);
        if (p.Length != labels.Count) throw new ShapeMismatchException("accuracy", new[] { p.Length }, new[] { labels.Count }, "one label per image");
        return p.Length == 0 ? 0 : p.Where((v, i) => v == labels[i]).Count() / (double)p.Length;
    }
}
