using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// G_ReLU-CKA (Godfrey et al. 2022): center and unit-normalise every channel (over inputs and positions), take
/// the kernel K_ij = max_c ⟨x_i[c], x_j[c]⟩ (the best-matching channel's spatial inner product, i ≠ j), and
/// report unbiased-HSIC CKA of the two kernels. The max over channels makes it invariant to positive-scaled
/// permutations (the ReLU intertwiner group) but not to rotations. Needs n ≥ 4; O(n²·c·P) time, O(n²) memory.
/// </summary>
public sealed class GReluCka : SimilarityMeasure, IChannelAwareMeasure
{
    public override string Name => "grelu-cka";
    public override string Description => "G_ReLU-CKA: unbiased CKA of max-over-channels kernels (Godfrey et al. 2022), in [-1, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.IsotropicScaling | Invariances.Permutation | Invariances.PositiveScaledPermutation | Invariances.Translation, 4);

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
        int c = Channels.Count(x, positions, argument), n = x.Rows;
        // Per-channel centering and scaling, done on the (n·P)×c view, then back to one n×P block per channel.
        var h = Channels.NormalizeColumns(Representation.Center(Channels.PositionsAsSamples(x, positions)));
        if (Representation.SumSquares(h) == 0) throw new AtlasArgumentException(argument, $"{Name}: every channel is constant");
        var k = new DMatrix(n, n);
        Array.Fill(k.Data, double.NegativeInfinity);
        var block = new DMatrix(n, positions);
        for (int ch = 0; ch < c; ch++)
        {
            for (int s = 0; s < n; s++)
                for (int p = 0; p < positions; p++) block.Data[s * positions + p] = h.Data[((long)s * positions + p) * c + ch];
            var g = positions == 1 ? Outer(block) : Blas.AAt(block);
            for (int i = 0; i < k.Data.Length; i++)
                if (g.Data[i] > k.Data[i]) k.Data[i] = g.Data[i];
        }
        for (int i = 0; i < n; i++) k[i, i] = 0;
        return k;
    }

    private static DMatrix Outer(DMatrix column)
    {
        int n = column.Rows;
        var g = new DMatrix(n, n);
        for (int i = 0; i < n; i++)
        {
            double a = column.Data[i];
            for (int j = 0; j < n; j++) g.Data[i * n + j] = a * column.Data[j];
        }
        return g;
    }
}
