using NeuralAtlas.Autograd;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Trains a stitching layer on the task loss (Bansal, Nakkiran, Barak 2021): minibatches of A's activations at the cut go
/// through the stitch into B at its layer, and Adam minimises B's cross-entropy on the labels. Both models are frozen:
/// A's activations are computed once beforehand, B runs in eval mode (no batch-norm statistics move) with its
/// parameters' requires-grad switched off for the duration, so only the stitch's parameters receive gradients. A sparse
/// stitch takes a proximal step after each update (soft-thresholding W by lr·λ, the proximal operator of lr·λ‖W‖₁).
/// </summary>
internal static class StitchTraining
{
    /// <summary>Returns the final minibatch loss.</summary>
    public static double Train(Module b, string layerB, Tensor activationsA, ImageDataset fit, TrainableStitch stitch, StitchOptions o)
    {
        var frozen = b.Parameters().ToList();
        var wasTrainable = frozen.Select(p => p.RequiresGrad).ToArray();
        var opt = new Adam(stitch.Parameters, o.LearningRate);
        int n = fit.Count, batch = Math.Min(o.BatchSize, n);
        var rng = new Rng(o.Seed);
        var order = rng.Permutation(n);
        int pos = 0;
        double last = double.NaN;
        int every = Math.Max(1, o.TrainSteps / 10);
        b.Eval();
        try
        {
            foreach (var p in frozen) p.RequiresGrad = false;
            for (int step = 1; step <= o.TrainSteps; step++)
            {
                if (pos + batch > n) { order = rng.Permutation(n); pos = 0; }
                var idx = order.AsSpan(pos, batch).ToArray();
                pos += batch;
                var ha = new Var(Rows(activationsA, idx));
                var x = new Var(fit.Images(idx));
                var y = Trainer.Labels(idx.Select(i => fit.Labels[i]).ToArray());
                opt.ZeroGrad();
                Var logits;
                using (LayerTaps.Replace(b, layerB, _ => stitch.Apply(ha))) logits = b.Forward(x);
                var loss = F.CrossEntropy(logits, y);
                last = loss.Item();
                if (!double.IsFinite(last))
                    throw new AtlasArgumentException("lr", $"the stitching loss became {last} at step {step}; lower the learning rate ({o.LearningRate})");
                loss.Backward();
                opt.Step();
                if (o.Kind == StitchKind.Sparse && o.L1 > 0) stitch.SoftThreshold(o.LearningRate * o.L1);
                if (o.Progress is not null && (step % every == 0 || step == o.TrainSteps)) o.Progress(new StitchProgress(step, o.TrainSteps, last));
            }
        }
        finally
        {
            for (int i = 0; i < frozen.Count; i++) frozen[i].RequiresGrad = wasTrainable[i];
        }
        return last;
    }

    /// <summary>Rows <paramref name="idx"/> of a batch-first tensor.</summary>
    internal static Tensor Rows(Tensor t, int[] idx)
    {
        var shape = (int[])t.Shape.Clone();
        shape[0] = idx.Length;
        var r = new Tensor(shape);
        int block = t.Shape[0] == 0 ? 0 : t.Data.Length / t.Shape[0];
        for (int k = 0; k < idx.Length; k++) Array.Copy(t.Data, (long)idx[k] * block, r.Data, (long)k * block, block);
        return r;
    }
}
