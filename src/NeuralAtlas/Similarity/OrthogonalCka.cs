using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// The orthogonal-group counterpart of <see cref="GReluCka"/>: the linear kernel K_ij = Σ_c ⟨x_i[c], x_j[c]⟩ after
/// per-channel centering (over inputs and positions), zero diagonal, unbiased-HSIC CKA. For dense layers (one
/// position) this is exactly <see cref="DebiasedCka"/>. Unlike the modelsym code it does not normalise channels,
/// which would break the rotation invariance its name promises.
/// </summary>
public sealed class OrthogonalCka : SimilarityMeasure, IChannelAwareMeasure
{
    public override string Name => "ortho-cka";
    public override string Description => "O(n)-CKA: unbiased linear CKA with per-channel centering, the counterpart of grelu-cka, in [-1, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 4);

    protected override double ComputeCore(DMatrix x, DMatrix y) => Core(x, 1, y, 1);

    public double Compute(DMatrix x, int positionsX, DMatrix y, int positionsY)
    {
        Validate(x, y);
        return Core(x, positionsX, y, positionsY);
    }

    private double Core(DMatrix x, int px, DMatrix y, int py)
    {
        var k = Kernel(x, px, "X");
        var l = Kernel(y, py, "Y");
        return DebiasedCka.Ratio(Hsic.Unbiased(k, l), Hsic.Unbiased(k, k), Hsic.Unbiased(l, l), Name);
    }

    private DMatrix Kernel(DMatrix x, int positions, string argument)
    {
        Channels.Count(x, positions, argument);
        var h = Representation.Center(Channels.PositionsAsSamples(x, positions));
        double ss = Representation.SumSquares(h);
        if (ss == 0) throw new AtlasArgumentException(argument, $"{Name}: every channel is constant");
        h = Representation.Scaled(h, 1 / Math.Sqrt(ss));
        // Back to n × (c·P): the per-channel-centered activations, one row per input.
        int n = x.Rows, c = h.Cols;
        var back = new DMatrix(n, c * positions);
        for (int s = 0; s < n; s++)
            for (int p = 0; p < positions; p++)
                for (int ch = 0; ch < c; ch++)
                    back.Data[(long)s * c * positions + ch * positions + p] = h.Data[((long)s * positions + p) * c + ch];
        return Blas.AAt(back);
    }
}
