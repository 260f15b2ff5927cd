using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>The singular directions that carry most of one input's activation at a layer, strongest first.</summary>
/// <param name="Directions">Indices of left singular vectors, by decreasing score.</param>
/// <param name="Scores">‖u_jᵀ A‖₂ over spatial positions for each kept direction.</param>
/// <param name="Share">The share of the projected energy Σ_j score_j² the kept directions carry.</param>
public sealed record Influence(int[] Directions, double[] Scores, double Share);

/// <summary>
/// DeepDataProfiler's influential SVD features (2208.06894): project the layer output A (C_out channels × P spatial
/// positions) onto the left singular vectors u_j of the weight reshaped to C_out × (C_in·kh·kw), score each direction
/// by the norm of its projection over positions, rank, and keep directions until their cumulative share of the
/// projected energy reaches the threshold.
/// </summary>
public static class InfluentialDirections
{
    public static Influence Select(DMatrix leftSingularVectors, ReadOnlySpan<double> activation, int channels, double share = 0.8)
    {
        if (share <= 0 || share > 1) throw new AtlasArgumentException("share", $"must be in (0, 1], got {share}");
        var u = leftSingularVectors;
        if (u.Rows != channels)
            throw new ShapeMismatchException("influence", $"the singular vectors have {u.Rows} rows but the activation has {channels} channels");
        if (activation.Length % channels != 0)
            throw new ShapeMismatchException("influence", $"an activation of {activation.Length} values is not {channels} channels × positions");
        int positions = activation.Length / channels, r = u.Cols;
        var score2 = new double[r];
        for (int p = 0; p < positions; p++)
            for (int j = 0; j < r; j++)
            {
                double s = 0;
                for (int c = 0; c < channels; c++) s += u[c, j] * activation[c * positions + p];
                score2[j] += s * s;
            }
        double total = score2.Sum();
        var order = Enumerable.Range(0, r).OrderByDescending(j => score2[j]).ThenBy(j => j).ToArray();
        if (total <= 0) return new Influence(Array.Empty<int>(), Array.Empty<double>(), 0);
        var keep = new List<int>();
        double acc = 0;
        foreach (int j in order)
        {
            keep.Add(j);
            acc += score2[j];
            if (acc >= share * total * (1 - 1e-12)) break;
        }
        return new Influence(keep.ToArray(), keep.Select(j => Math.Sqrt(score2[j])).ToArray(), acc / total);
    }
}
