using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>One layer's activations as a measure input: the matrix and, for channel-aware measures, positions per channel.</summary>
public sealed record LayerActivations(string Name, DMatrix Matrix, int Positions)
{
    /// <summary>An array [n, ...] (e.g. one entry of an 'atlas activations' .npz) in the chosen layout.</summary>
    public static LayerActivations FromArray(string name, NdArray array, ConvLayout layout)
    {
        if (array.Rank < 1) throw new AtlasArgumentException(name, "a scalar is not a set of activations; expected shape (n, d) or (n, c, h, w)");
        var m = ActivationLayout.ToMatrix(array.ToDoubles(), array.Shape, layout);
        int positions = layout == ConvLayout.Flatten ? ActivationLayout.PositionsPerChannel(array.Shape) : 1;
        return new LayerActivations(name, m, positions);
    }

    /// <summary>The measure on two layers, passing positions to channel-aware measures.</summary>
    public static double Compare(SimilarityMeasure measure, LayerActivations a, LayerActivations b) =>
        measure is IChannelAwareMeasure ca && (a.Positions > 1 || b.Positions > 1)
            ? ca.Compute(a.Matrix, a.Positions, b.Matrix, b.Positions)
            : measure.Compute(a.Matrix, b.Matrix);
}
