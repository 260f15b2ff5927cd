using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// The orthogonal-group counterpart of <see cref="GReluProcrustes"/> with the same conventions (Godfrey et al.
/// 2022): no centering, each representation scaled to unit Frobenius norm, positions counted as samples, and
/// 1 − √(2 − 2‖XᵀY‖_*) / 2. Invariant to rotations of channel space. In [1 − √2/2, 1].
/// </summary>
public sealed class OrthogonalProcrustes : SimilarityMeasure, IChannelAwareMeasure
{
    public override string Name => "ortho-procrustes";
    public override string Description => "O(n)-Procrustes similarity with the G_ReLU conventions (no centering) of Godfrey et al. 2022";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation, 2);

    protected override double ComputeCore(DMatrix x, DMatrix y) => Core(x, 1, y, 1);

    public double Compute(DMatrix x, int positionsX, DMatrix y, int positionsY)
    {
        Validate(x, y);
        return Core(x, positionsX, y, positionsY);
    }

    private double Core(DMatrix x, int px, DMatrix y, int py)
    {
        Channels.RequireSamePositions(Name, px, py);
        Channels.Count(x, px, "X");
        Channels.Count(y, py, "Y");
        var hx = Channels.PositionsAsSamples(x, px);
        var hy = Channels.PositionsAsSamples(y, py);
        double nx = Representation.SumSquares(hx), ny = Representation.SumSquares(hy);
        if (nx == 0 || ny == 0) throw new AtlasArgumentException(nx == 0 ? "X" : "Y", $"{Name}: the representation is all zeros");
        hx = Representation.Scaled(hx, 1 / Math.Sqrt(nx));
        hy = Representation.Scaled(hy, 1 / Math.Sqrt(ny));
        double nuc = ProcrustesDistance.NuclearNormOfProduct(hx, hy);
        return 1 - Math.Sqrt(Math.Max(0, 2 - 2 * Math.Min(1, nuc))) / 2;
    }
}
