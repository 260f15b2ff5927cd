using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary>The --model / --data / --data-dir / --threads options shared by train, eval and activations.</summary>
internal static class EngineOptions
{
    public static Option<string> Model(bool required) => new("--model", "-m")
    {
        Description = "Architecture: " + string.Join("; ", ModelZoo.Names.Select(n => $"{n} = {ModelZoo.Describe(n)}")) +
                      (required ? "." : ". Optional when the weights were written by 'atlas train' (their metadata names it)."),
        DefaultValueFactory = _ => required ? "cnn" : "",
    };

    public static Option<string> Data() => new("--data", "-d")
    {
        Description = "Data set: " + Datasets.Help + ".",
        DefaultValueFactory = _ => "synthetic",
    };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Where fashion-mnist's IDX files are, if not in " + IdxImageFolder.FashionMnistDefault + ".",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads for the tensor kernels.",
        DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount),
    };

    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new AtlasArgumentException("--threads", $"must be at least 1, got {threads}");
        Tensors.Parallelism.MaxThreads = threads;
    }

    public static ModelSpec SpecFor(string model, ImageDataset data)
    {
        if (data.Height != data.Width) throw new AtlasArgumentException("--data", $"the zoo models take square images, {data.Name} has {data.Height}×{data.Width}");
        if (!ModelZoo.Names.Contains(model)) throw new AtlasArgumentException("--model", $"unknown model '{model}'; expected one of {string.Join(", ", ModelZoo.Names)}");
        return new ModelSpec(model, data.Channels, data.Height, data.ClassCount);
    }

    /// <summary>
    /// The model a geometry command analyses: the saved weights when given (with <paramref name="name"/> when the
    /// file does not name its architecture), else a freshly initialised <paramref name="name"/> (default cnn) from the seed.
    /// </summary>
    public static Module LoadOrCreate(string? weights, string name, ImageDataset set, int seed)
    {
        if (weights is not null)
            return ModelFile.Load(weights, name.Length > 0 ? SpecFor(name, set) : null, name.Length > 0 ? name : null).Model;
        var spec = SpecFor(name.Length > 0 ? name : "cnn", set);
        return ModelZoo.Create(spec.Name, spec.InChannels, spec.ImageSize, spec.NumClasses, new Rng((ulong)seed));
    }
}
