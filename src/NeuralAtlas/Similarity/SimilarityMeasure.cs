using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// A (dis)similarity between two representations of the same n inputs: X (n×d1) and Y (n×d2), rows are samples,
/// columns are units; widths may differ. Convolutional activations enter flattened (n × c·h·w) or with spatial
/// positions as samples ((n·h·w) × c), see <see cref="ActivationLayout"/>. Every measure computes in double and
/// declares its <see cref="Traits"/>. <see cref="Compute"/> validates the inputs (same n, finite, enough samples)
/// and never returns NaN: degenerate inputs it cannot score raise an <see cref="AtlasArgumentException"/>.
/// </summary>
public abstract class SimilarityMeasure
{
    /// <summary>The registry name (linear-cka, svcca, ...).</summary>
    public abstract string Name { get; }

    /// <summary>One line: what it computes.</summary>
    public abstract string Description { get; }

    public abstract MeasureTraits Traits { get; }

    public double Compute(DMatrix x, DMatrix y)
    {
        Validate(x, y);
        double v = ComputeCore(x, y);
        if (!double.IsFinite(v))
            throw new AtlasException($"{Name}: the computation produced {v} on finite {x.Rows}×{x.Cols} and {y.Rows}×{y.Cols} inputs (a bug: please report it)");
        return v;
    }

    /// <summary>The measure on inputs already checked by <see cref="Validate"/>.</summary>
    protected abstract double ComputeCore(DMatrix x, DMatrix y);

    /// <summary>Same number of rows, at least one column, finite entries, at least <see cref="MeasureTraits.MinSamples"/> rows.</summary>
    public void Validate(DMatrix x, DMatrix y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rows != y.Rows)
            throw new ShapeMismatchException(Name, new[] { x.Rows, x.Cols }, new[] { y.Rows, y.Cols },
                "both representations need one row per input (the same number of samples)");
        if (x.Cols == 0 || y.Cols == 0)
            throw new AtlasArgumentException(x.Cols == 0 ? "X" : "Y", $"{Name} needs at least one feature column");
        if (x.Rows < Traits.MinSamples)
            throw new AtlasArgumentException("X", $"{Name} needs at least {Traits.MinSamples} samples, got {x.Rows}");
        x.RequireFinite("X");
        y.RequireFinite("Y");
    }

    public override string ToString() => Name;
}
