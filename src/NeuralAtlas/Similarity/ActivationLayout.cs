using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>How activations of rank above 2 (n×c×h×w) become the n×d matrix a measure compares.</summary>
public enum ConvLayout
{
    /// <summary>One row per input, all of c·h·w as features (the usual choice for CKA).</summary>
    Flatten,
    /// <summary>One row per input and spatial position, the c channels as features ((n·h·w) × c).</summary>
    SpatialAsSamples,
}

/// <summary>Activation arrays (row-major, first axis = inputs, second = channels) to measure inputs.</summary>
public static class ActivationLayout
{
    /// <summary>
    /// The matrix for <paramref name="layout"/>. Rank-1 arrays become n×1; rank 2 is used as is; for rank ≥ 3 the
    /// axes after the channel axis are the spatial positions.
    /// </summary>
    public static DMatrix ToMatrix(double[] data, int[] shape, ConvLayout layout)
    {
        if (shape.Length == 0) throw new AtlasArgumentException("activations", "a scalar is not a set of activations; expected shape (n, d) or (n, c, h, w)");
        long count = 1;
        foreach (int s in shape) count *= s;
        if (count != data.LongLength) throw new ShapeMismatchException("activations", $"shape {ShapeMismatchException.Format(shape)} needs {count} values, got {data.LongLength}");
        int n = shape[0];
        if (shape.Length <= 2 || layout == ConvLayout.Flatten)
        {
            long d = n == 0 ? 0 : count / n;
            if (shape.Length == 1) d = 1;
            if (d > int.MaxValue) throw new AtlasArgumentException("activations", "more features than a matrix can hold");
            return new DMatrix(n, (int)d, data);
        }
        int c = shape[1];
        long positions = 1;
        for (int i = 2; i < shape.Length; i++) positions *= shape[i];
        long rows = n * positions;
        if (rows > int.MaxValue || rows * c > Array.MaxLength) throw new AtlasArgumentException("activations", "too many samples × positions for one matrix");
        var m = new DMatrix((int)rows, c);
        // data[(s·c + ch)·P + p] → row s·P + p, column ch
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
            {
                long src = ((long)s * c + ch) * positions;
                for (long p = 0; p < positions; p++) m.Data[((long)s * positions + p) * c + ch] = data[src + p];
            }
        return m;
    }

    /// <summary>Spatial positions per channel (h·w; 1 for rank ≤ 2), as the channel-aware G_ReLU measures need for the flattened layout.</summary>
    public static int PositionsPerChannel(int[] shape)
    {
        long p = 1;
        for (int i = 2; i < shape.Length; i++) p *= shape[i];
        return (int)p;
    }
}
