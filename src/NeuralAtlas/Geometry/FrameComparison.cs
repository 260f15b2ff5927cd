using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>One model's frames at one layer, averaged over images: mean relative norm of each direction group (null when
/// the frame has no direction of that group), mean effective rank, and the mean principal angle (radians) between the
/// augmentation and noise sub-frames (null when either is missing).</summary>
public sealed record FrameLayerSummary(string Layer, double? AugmentationNorm, double? NoiseNorm, double? AdversarialNorm, double EffectiveRank, double? MeanAngle)
{
    /// <summary>The summary of layer <paramref name="layer"/> (its index in each result) over several images' frames.</summary>
    public static FrameLayerSummary Of(IReadOnlyList<FrameResult> results, int layer)
    {
        if (results.Count == 0) throw new AtlasArgumentException("images", "summarising frames needs at least one image");
        double? Group(string g)
        {
            double s = 0;
            int n = 0;
            foreach (var r in results)
                for (int k = 0; k < r.Directions.Count; k++)
                    if (r.Directions[k].Group == g) { s += r.Layers[layer].RelativeNorms[k]; n++; }
            return n > 0 ? s / n : null;
        }
        var angles = results.Where(r => r.Layers[layer].PrincipalAngles.Length > 0).Select(r => r.Layers[layer].PrincipalAngles.Average()).ToList();
        return new FrameLayerSummary(results[0].Layers[layer].Layer, Group("augmentation"), Group("noise"), Group("adversarial"),
            results.Average(r => r.Layers[layer].EffectiveRank), angles.Count > 0 ? angles.Average() : null);
    }
}

/// <summary>The same layer position in two models, side by side, and B − A for each statistic both have.</summary>
public sealed record FrameLayerComparison(FrameLayerSummary A, FrameLayerSummary B)
{
    public double? AugmentationNormDifference => Diff(A.AugmentationNorm, B.AugmentationNorm);
    public double? NoiseNormDifference => Diff(A.NoiseNorm, B.NoiseNorm);
    public double? AdversarialNormDifference => Diff(A.AdversarialNorm, B.AdversarialNorm);
    public double EffectiveRankDifference => B.EffectiveRank - A.EffectiveRank;
    public double? MeanAngleDifference => Diff(A.MeanAngle, B.MeanAngle);
    private static double? Diff(double? a, double? b) => a is double x && b is double y ? y - x : null;
}

/// <summary>
/// Neural frames of two models on the same inputs and the same directions, compared layer by layer — e.g. a model
/// trained with and without augmentation, or with and without adversarial training: does one shrink augmentation
/// directions more (invariance), keep noise smaller, or spread the frame over more dimensions? Layers are paired by
/// position in the two lists, so models with different names (or an ONNX graph's node names) can be compared.
/// </summary>
public static class FrameComparison
{
    /// <param name="directions">The directions at image i (called once per image; both models get the same ones). Directions
    /// that depend on the model (the adversarial one) should be built for each model: pass them through <paramref name="directionsB"/>.</param>
    public static IReadOnlyList<FrameLayerComparison> Compare(Module a, Module b, IReadOnlyList<Tensor> images,
        Func<Tensor, int, IReadOnlyList<FrameDirection>> directions, IReadOnlyList<string> layersA, IReadOnlyList<string> layersB,
        Func<Tensor, int, IReadOnlyList<FrameDirection>>? directionsB = null)
    {
        if (images.Count == 0) throw new AtlasArgumentException("images", "comparing frames needs at least one image");
        if (layersA.Count != layersB.Count)
            throw new AtlasArgumentException("layers", $"layers are paired by position: {layersA.Count} for A, {layersB.Count} for B");
        var ra = new List<FrameResult>();
        var rb = new List<FrameResult>();
        for (int i = 0; i < images.Count; i++)
        {
            var da = directions(images[i], i);
            var db = directionsB is null ? da : directionsB(images[i], i);
            ra.Add(NeuralFrames.Compute(a, images[i], da, layersA));
            rb.Add(NeuralFrames.Compute(b, images[i], db, layersB));
        }
        return Enumerable.Range(0, layersA.Count).Select(l => new FrameLayerComparison(FrameLayerSummary.Of(ra, l), FrameLayerSummary.Of(rb, l))).ToList();
    }
}
