using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// G_ReLU-Procrustes similarity (Godfrey, Brown, Emerson, Kvinge 2022, "On the symmetries of deep learning models
/// and their internal representations"): normalise every channel to unit norm (dead channels stay zero), match
/// channels of X to channels of Y by the Hungarian method on their inner products C = XᵀY (positions count as
/// samples), and report 1 − √((‖X‖² + ‖Y‖² − 2·Σ C_matched) / (4c)), c the larger channel count. Invariant to the
/// ReLU intertwiner group (positive-scaled permutations of channels), not to rotations. In [0, 1].
/// </summary>
public sealed class GReluProcrustes : SimilarityMeasure, IChannelAwareMeasure
{
    public override string Name => "grelu-procrustes";
    public override string Description => "G_ReLU-Procrustes: per-channel normalisation, Hungarian channel matching (Godfrey et al. 2022), in [0, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.IsotropicScaling | Invariances.Permutation | Invariances.PositiveScaledPermutation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y) => Core(x, 1, y, 1);

    public double Compute(DMatrix x, int positionsX, DMatrix y, int positionsY)
    {
        Validate(x, y);
        return Core(x, positionsX, y, positionsY);
    }

    private double Core(DMatrix x, int px, DMatrix y, int py)
    {
        Channels.RequireSamePositions(Name, px, py);
        int cx = Channels.Count(x, px, "X"), cy = Channels.Count(y, py, "Y");
        var hx = Channels.NormalizeColumns(Channels.PositionsAsSamples(x, px));
        var hy = Channels.NormalizeColumns(Channels.PositionsAsSamples(y, py));
        double nx = Representation.SumSquares(hx), ny = Representation.SumSquares(hy);
        if (nx == 0 || ny == 0) throw new AtlasArgumentException(nx == 0 ? "X" : "Y", $"{Name}: every channel is zero");
        var c = Blas.Gemm(hx, hy, transA: true);
        var match = LinearAssignment.Solve(c, maximize: true);
        double d2 = (nx + ny - 2 * match.Total) / (4.0 * Math.Max(cx, cy));
        return Math.Clamp(1 - Math.Sqrt(Math.Max(0, d2)), 0, 1);
    }
}
