using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary>
/// One row of the intertwine commands' table: how a representation moved under the group action, as the relative
/// change ‖b − a‖/‖a‖ (large: the coordinates changed) beside linear CKA and G_ReLU-Procrustes (the measures that
/// should not see the move), for zoo modules and ONNX nodes alike.
/// </summary>
internal static class RepresentationChange
{
    public const string Header = "relative_change\tlinear_cka\tgrelu_procrustes";

    /// <summary>The row for one layer's activations before (<paramref name="a"/>) and after (<paramref name="b"/>); conv maps compare channel-wise.</summary>
    public static string Row(string name, Tensor a, Tensor b)
    {
        int positions = a.Rank == 4 ? a.Shape[2] * a.Shape[3] : 1;
        var xa = DMatrix.FromTensor(a);
        var xb = DMatrix.FromTensor(b);
        double num = 0, den = 0;
        for (int i = 0; i < xa.Data.Length; i++) { num += Math.Pow(xa.Data[i] - xb.Data[i], 2); den += xa.Data[i] * xa.Data[i]; }
        return $"{name}\t{string.Join('x', a.Shape)}\t{Math.Sqrt(num / Math.Max(den, 1e-300)):F4}\t" +
               $"{Safe(() => new LinearCka().Compute(xa, xb))}\t{Safe(() => new GReluProcrustes().Compute(xa, positions, xb, positions))}";
    }

    /// <summary>A measure's value to 4 decimals, or "-" where the measure refuses the data (e.g. constant columns).</summary>
    public static string Safe(Func<double> f)
    {
        try { return f().ToString("F4"); }
        catch (AtlasException) { return "-"; }
    }
}
