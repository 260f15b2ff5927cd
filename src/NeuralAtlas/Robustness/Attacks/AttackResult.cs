using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>Adversarial examples (same shape as the inputs), per-example success and the perturbations' norms.</summary>
public sealed record AttackResult(Tensor Adversarial, bool[] Success, int[] Predictions, double[] PerturbationNorms, bool[] CleanCorrect)
{
    public double SuccessRate => Success.Length == 0 ? 0 : Success.Count(s => s) / (double)Success.Length;

    /// <summary>Accuracy on the adversarial examples (untargeted attacks).</summary>
    public double RobustAccuracy(IReadOnlyList<int> labels) => Predictions.Length == 0 ? 0 : Predictions.Where((p, i) => p == labels[i]).Count() / (double)Predictions.Length;
}
