using NeuralAtlas.IO;

namespace NeuralAtlas.Geometry;

/// <summary>The intrinsic dimension of one named array (a layer's activations, n samples × features).</summary>
public sealed record LayerDimension(string Layer, int[] Shape, IdEstimate Estimate);

/// <summary>
/// Per-layer intrinsic dimension: every array of rank ≥ 2 in a tensor file (as written by <c>atlas activations</c>:
/// one N×… array per layer, in layer order) is flattened to N×features and estimated with the same options, giving
/// the dimension (and its bootstrap interval) as a curve over depth. Rank-0/1 arrays (labels, indices) are skipped.
/// </summary>
public static class LayerDimensions
{
    public static IReadOnlyList<LayerDimension> FromFile(string path, IdEstimator estimator, IdOptions options)
    {
        var (format, tensors, _) = TensorFiles.Read(path);
        if (format == "npy")
        {
            var (name, a) = tensors.First();
            if (a.Rank < 2) throw new AtlasArgumentException(path, $"expected an n×d array (2-D or more), got shape {ShapeMismatchException.Format(a.Shape)}");
            return new[] { One(path, name, a, estimator, options) };
        }
        var list = new List<LayerDimension>();
        foreach (var (name, a) in tensors)
            if (a.Rank >= 2) list.Add(One($"{path}[{name}]", name, a, estimator, options));
        if (list.Count == 0) throw new AtlasArgumentException(path, "no array of rank ≥ 2 (n samples × features) to estimate");
        return list;
    }

    public static LayerDimension Estimate(string layer, NdArray activations, IdEstimator estimator, IdOptions options) =>
        One(layer, layer, activations, estimator, options);

    private static LayerDimension One(string where, string name, NdArray a, IdEstimator estimator, IdOptions options)
    {
        try
        {
            return new LayerDimension(name, a.Shape, IntrinsicDimension.Estimate(a.ToDMatrix(), estimator, options));
        }
        catch (AtlasArgumentException e)
        {
            // Name the layer: "all points identical" means little without knowing which array.
            throw new AtlasArgumentException(where, e.Message);
        }
    }
}
