using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary>The model, weights and test images the robustness commands evaluate (--model, --weights, --data, --count).</summary>
internal sealed class TrainedModelOptions
{
    public Option<string> Model { get; } = EngineOptions.Model(required: false);
    public Option<string?> Weights { get; } = new("--weights", "-w") { Description = "Weights: a safetensors state dict (from 'atlas train --out' or exported from PyTorch with the same names). Not with --onnx." };
    public Option<string?> Onnx { get; } = new("--onnx") { Description = "Use an ONNX model (e.g. from torch.onnx.export) instead of --model/--weights; it must take the data set's [N, C, H, W] images in [0, 1] and output logits." };
    public Option<string> Data { get; } = EngineOptions.Data();
    public Option<string?> DataDir { get; } = EngineOptions.DataDir();
    public Option<int> DataSeed { get; } = new("--data-seed") { Description = "Seed of the synthetic data set (the one the model was trained with).", DefaultValueFactory = _ => 0 };
    public Option<int> Threads { get; } = EngineOptions.Threads();
    public Option<int> Count { get; }

    public TrainedModelOptions(int defaultCount)
    {
        Count = new Option<int>("--count", "-n") { Description = "How many test images to use (the first N of the test split).", DefaultValueFactory = _ => defaultCount };
    }

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Model, Weights, Onnx, Data, DataDir, DataSeed, Count, Threads }) cmd.Options.Add(o);
    }

    public (Module Model, Tensor Images, int[] Labels, ImageDataset Test) Load(ParseResult parse)
    {
        EngineOptions.SetThreads(parse.GetValue(Threads));
        int count = parse.GetValue(Count);
        if (count < 1) throw new AtlasArgumentException("--count", $"must be at least 1, got {count}");
        var test = Datasets.Load(parse.GetValue(Data)!, parse.GetValue(DataDir), parse.GetValue(DataSeed)).Test.Take(count);
        string name = parse.GetValue(Model)!;
        string? weights = parse.GetValue(Weights), onnx = parse.GetValue(Onnx);
        if ((weights is null) == (onnx is null)) throw new AtlasArgumentException("--weights", "give either --weights (with --model when the file does not name it) or --onnx, exactly one");
        if (onnx is not null && name.Length > 0) throw new AtlasArgumentException("--model", "an ONNX model carries its own architecture; drop --model with --onnx");
        Module net;
        if (onnx is not null) net = new OnnxModule(OnnxModel.Load(onnx));
        else net = ModelFile.Load(weights!, name.Length > 0 ? EngineOptions.SpecFor(name, test) : null, name.Length > 0 ? name : null).Model;
        net.Eval();
        return (net, test.Images(), test.Labels.ToArray(), test);
    }

    public static void WriteJson(string path, JsonNode node) =>
        AtomicFile.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
