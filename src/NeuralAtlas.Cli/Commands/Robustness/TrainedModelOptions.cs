using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary>The model, weights and test images the robustness commands evaluate (--model, --weights, --data, --count).</summary>
internal sealed class TrainedModelOptions
{
    /// <summary>--model / --weights / --onnx with --data / --data-dir.</summary>
    public ModelSourceOptions Source { get; } = new(weightsRequired: true, withData: true);
    public Option<int> DataSeed { get; } = new("--data-seed") { Description = "Seed of the synthetic data set (the one the model was trained with).", DefaultValueFactory = _ => 0 };
    public Option<int> Threads { get; } = EngineOptions.Threads();
    public Option<int> Count { get; }

    public TrainedModelOptions(int defaultCount)
    {
        Count = new Option<int>("--count", "-n") { Description = "How many test images to use (the first N of the test split).", DefaultValueFactory = _ => defaultCount };
    }

    public void AddTo(Command cmd)
    {
        Source.AddTo(cmd);
        foreach (var o in new Option[] { DataSeed, Count, Threads }) cmd.Options.Add(o);
    }

    public (Module Model, Tensor Images, int[] Labels, ImageDataset Test) Load(ParseResult parse)
    {
        EngineOptions.SetThreads(parse.GetValue(Threads));
        int count = parse.GetValue(Count);
        if (count < 1) throw new AtlasArgumentException("--count", $"must be at least 1, got {count}");
        var test = Source.LoadData(parse, parse.GetValue(DataSeed)).Test.Take(count);
        var net = Source.Load(parse, test).Module;
        return (net, test.Images(), test.Labels.ToArray(), test);
    }

    public static void WriteJson(string path, JsonNode node) =>
        AtomicFile.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
