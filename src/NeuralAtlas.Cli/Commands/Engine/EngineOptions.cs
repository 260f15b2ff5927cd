using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Zoo;

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
}
