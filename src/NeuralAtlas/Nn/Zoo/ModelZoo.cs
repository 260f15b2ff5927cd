using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>The model registry every command with <c>--model</c> uses: cnn, mlp, resnet20, transformer.</summary>
public static class ModelZoo
{
    public static IReadOnlyList<string> Names { get; } = new[] { "cnn", "mlp", "resnet20", "transformer" };

    /// <summary>One-line descriptions for help texts.</summary>
    public static string Describe(string name) => name switch
    {
        "cnn" => "the reference CNN (conv1 32 3x3, pool, conv2 64 3x3, pool, fc1 128, fc2)",
        "mlp" => "a multilayer perceptron (flatten, fc1 256, fc2 128, fc3)",
        "resnet20" => "CIFAR-style ResNet-20 (16/32/64 channels, batch norm)",
        "transformer" => "a small vision transformer (7x7 patches, 2 pre-norm layers, dim 64, 4 heads)",
        _ => "unknown",
    };

    /// <summary>A freshly initialised model for images [N, inChannels, imageSize, imageSize] and numClasses classes.</summary>
    public static Module Create(string name, int inChannels, int imageSize, int numClasses, Rng rng) => name switch
    {
        "cnn" => new ReferenceCnn(rng, inChannels, imageSize, numClasses),
        "mlp" => new Mlp(inChannels * imageSize * imageSize, new[] { 256, 128 }, numClasses, rng),
        "resnet20" => new ResNet20(rng, inChannels, numClasses),
        "transformer" => new TransformerClassifier(rng, inChannels, imageSize, numClasses, patchSize: imageSize % 7 == 0 ? 7 : imageSize % 4 == 0 ? 4 : 1),
        _ => throw new AtlasArgumentException("model", $"unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
    };
}
