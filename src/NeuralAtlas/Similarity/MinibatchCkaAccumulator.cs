using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Streaming minibatch CKA (Nguyen, Raghu, Kornblith 2021): sums the unbiased HSIC₁ of each batch,
/// CKA = Σ_b HSIC₁(K_b, L_b) / √(Σ_b HSIC₁(K_b, K_b) · Σ_b HSIC₁(L_b, L_b)). Memory is three numbers plus one
/// batch, whatever the number of samples; accumulators of different shards <see cref="Merge"/> exactly (sums).
/// </summary>
public sealed class MinibatchCkaAccumulator
{
    public double SumXy { get; private set; }
    public double SumXx { get; private set; }
    public double SumYy { get; private set; }
    public long Batches { get; private set; }
    public long Samples { get; private set; }

    /// <summary>Adds one batch: the same inputs' activations in both representations, at least 4 rows.</summary>
    public void Add(DMatrix x, DMatrix y)
    {
        if (x.Rows != y.Rows)
            throw new ShapeMismatchException("minibatch-cka", new[] { x.Rows, x.Cols }, new[] { y.Rows, y.Cols }, "a batch needs the same inputs in both representations");
        if (x.Rows < 4) throw new AtlasArgumentException("batch", $"minibatch CKA needs batches of at least 4 samples (unbiased HSIC), got {x.Rows}");
        if (x.Cols == 0 || y.Cols == 0) throw new AtlasArgumentException("batch", "a batch needs at least one feature column");
        x.RequireFinite("X batch");
        y.RequireFinite("Y batch");
        var (xy, xx, yy) = Hsic.UnbiasedLinear(x, y);
        SumXy += xy;
        SumXx += xx;
        SumYy += yy;
        Batches++;
        Samples += x.Rows;
    }

    /// <summary>Adds another accumulator's batches (shards computed elsewhere).</summary>
    public void Merge(MinibatchCkaAccumulator other)
    {
        SumXy += other.SumXy;
        SumXx += other.SumXx;
        SumYy += other.SumYy;
        Batches += other.Batches;
        Samples += other.Samples;
    }

    /// <summary>The minibatch CKA of everything added so far.</summary>
    public double Value
    {
        get
        {
            if (Batches == 0) throw new AtlasArgumentException("batches", "minibatch CKA of no batches is undefined; add at least one batch");
            return DebiasedCka.Ratio(SumXy, SumXx, SumYy, "minibatch-cka");
        }
    }
}
