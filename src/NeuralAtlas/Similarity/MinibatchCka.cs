using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Minibatch CKA on whole matrices: consecutive rows in batches of <see cref="BatchSize"/>, fed to a
/// <see cref="MinibatchCkaAccumulator"/>. A final remainder of fewer than 4 rows joins the previous batch, so every
/// row is used. For data that does not fit in memory, use the accumulator directly.
/// </summary>
public sealed class MinibatchCka : SimilarityMeasure
{
    public MinibatchCka(int batchSize = 256)
    {
        if (batchSize < 4) throw new AtlasArgumentException("batch", $"minibatch CKA needs batches of at least 4 samples, got {batchSize}");
        BatchSize = batchSize;
    }

    public int BatchSize { get; }

    public override string Name => "minibatch-cka";
    public override string Description => $"linear CKA from unbiased HSIC summed over batches of {BatchSize} (Nguyen et al. 2021), in [-1, 1]";

    public override MeasureTraits Traits { get; } = new(false, true, true,
        Invariances.Orthogonal | Invariances.IsotropicScaling | Invariances.Permutation | Invariances.Translation, 4);

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var acc = new MinibatchCkaAccumulator();
        int n = x.Rows;
        for (int start = 0; start < n;)
        {
            int end = Math.Min(n, start + BatchSize);
            if (n - end < 4) end = n;
            acc.Add(Rows(x, start, end), Rows(y, start, end));
            start = end;
        }
        return acc.Value;
    }

    private static DMatrix Rows(DMatrix m, int start, int end) =>
        new(end - start, m.Cols, m.Data.AsSpan(start * m.Cols, (end - start) * m.Cols).ToArray());
}
