using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// The model family of the frequency-sensitivity sweeps: <c>depth</c> 3×3 convolutions of <c>channels</c> channels
/// (zero padding 1, stride 1, so the spatial size is kept), each optionally followed by ReLU, then a fully
/// connected layer on the flattened map. With <c>relu = false</c> it is the deep linear CNN of representation-cost
/// theory (arXiv 2210.01257), where depth and weight decay shape which input frequencies the function uses; no
/// pooling, because global pooling of a linear convolution would see only the zero frequency.
/// </summary>
public static class DepthCnn
{
    public static Sequential Create(int depth, int channels, int inChannels, int height, int width, int classes, bool relu, Rng rng)
    {
        if (depth < 1) throw new AtlasArgumentException("--depths", $"every depth must be at least 1 convolution, got {depth}");
        if (channels < 1) throw new AtlasArgumentException("--channels", $"must be positive, got {channels}");
        if (inChannels < 1 || height < 1 || width < 1 || classes < 1)
            throw new AtlasArgumentException("data", $"needs images and classes, got {inChannels}×{height}×{width} and {classes} classes");
        var layers = new List<KeyValuePair<string, Module>>();
        for (int d = 1; d <= depth; d++)
        {
            layers.Add(new($"conv{d}", new Conv2d(d == 1 ? inChannels : channels, channels, 3, rng, padding: 1)));
            if (relu) layers.Add(new($"relu{d}", new ReLU()));
        }
        layers.Add(new("flatten", new Flatten()));
        layers.Add(new("fc", new Linear(channels * height * width, classes, rng)));
        return new Sequential(layers);
    }
}
