using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>
/// PGD adversarial training (Madry et al.): each training batch is replaced by PGD adversarial examples against the
/// current model before the optimizer step. <see cref="BatchTransform"/> plugs into the trainer's batch hook; the
/// attack's random starts follow the batch index, so training stays reproducible for a seed.
/// </summary>
public static class AdversarialTraining
{
    public static Func<Module, Tensor, int[], Tensor> BatchTransform(PgdOptions options, string subspace = "full")
    {
        options.Validate();
        long batch = 0;
        return (model, images, labels) =>
        {
            if (images.Rank != 4) throw new ShapeMismatchException("adversarial training", $"images must be N×C×H×W, got {ShapeMismatchException.Format(images.Shape)}");
            long index = Interlocked.Increment(ref batch);
            var v = Subspace.Parse(subspace, images.Shape[1], images.Shape[2], images.Shape[3], options.Seed);
            var result = Pgd.Attack(model, images, labels, v, options with { Seed = (int)(StableSeed.Of(options.Seed, "pgd-at", index) & int.MaxValue), BatchSize = Math.Max(images.Shape[0], 1) });
            return result.Adversarial;
        };
    }
}
