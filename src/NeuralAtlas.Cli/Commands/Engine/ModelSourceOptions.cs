using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary>A model a command runs: a zoo architecture with its weights, or an imported ONNX graph.</summary>
/// <param name="Module">The model, in eval mode.</param>
/// <param name="Spec">The zoo architecture; null for an ONNX graph.</param>
/// <param name="Onnx">The imported graph when the model came from --onnx, else null.</param>
/// <param name="Source">The file it was loaded from (null for a freshly initialised zoo model).</param>
internal sealed record LoadedModel(Module Module, ModelSpec? Spec, OnnxModule? Onnx, string? Source)
{
    public bool IsOnnx => Onnx is not null;

    /// <summary>One phrase for output lines: "cnn (w.safetensors)", "onnx m.onnx" or "cnn (initialised, seed 3)".</summary>
    public string Label { get; init; } = Onnx is not null ? $"onnx {Source}" : Source is not null ? $"{Spec?.Name} ({Source})" : $"{Spec?.Name} (initialised)";
}

/// <summary>
/// The model options every model-taking command shares: <c>--model NAME</c> with <c>--weights FILE</c> (a safetensors
/// state dict), or <c>--onnx FILE</c> (an imported ONNX graph, which carries its own architecture and weights, so it
/// excludes both). With <c>weightsRequired: false</c> a command without either runs a freshly initialised --model
/// from a seed. <c>withData: true</c> adds --data and --data-dir too. Layer names given to such a model go through
/// <see cref="LayerTaps"/>: zoo submodule names (conv1, layer2.1.relu) or ONNX node names (/conv1/Conv).
/// </summary>
internal sealed class ModelSourceOptions
{
    public Option<string> Model { get; }
    public Option<string?> Weights { get; }
    public Option<string?> Onnx { get; }
    public Option<string>? Data { get; }
    public Option<string?>? DataDir { get; }
    public bool WeightsRequired { get; }

    public ModelSourceOptions(bool weightsRequired = true, bool withData = false, string? weightsDescription = null, string? onnxDescription = null)
    {
        WeightsRequired = weightsRequired;
        Model = EngineOptions.Model(required: false);
        Weights = new Option<string?>("--weights", "-w")
        {
            Description = weightsDescription ?? (weightsRequired
                ? "Weights: a safetensors state dict (from 'atlas train --out', or exported from PyTorch with the same names). Not with --onnx."
                : "Weights (safetensors state dict from 'atlas train'); without them a freshly initialised --model (seeded) is used. Not with --onnx."),
        };
        Onnx = new Option<string?>("--onnx")
        {
            Description = onnxDescription ?? "Use an ONNX model (e.g. from torch.onnx.export or 'atlas export-onnx') instead of --model/--weights; " +
                "it must take the data set's [N, C, H, W] images in [0, 1] and output logits. Layer names are then its node names ('atlas onnx inspect').",
        };
        if (withData)
        {
            Data = EngineOptions.Data();
            DataDir = EngineOptions.DataDir();
        }
    }

    /// <summary>Adds --model, --weights, --onnx (and --data, --data-dir when asked for) to <paramref name="cmd"/>.</summary>
    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Model);
        cmd.Options.Add(Weights);
        cmd.Options.Add(Onnx);
        if (Data is not null) cmd.Options.Add(Data);
        if (DataDir is not null) cmd.Options.Add(DataDir);
    }

    /// <summary>The train/test splits --data and --data-dir name (only with <c>withData: true</c>).</summary>
    public DatasetSplits LoadData(ParseResult parse, int seed)
    {
        if (Data is null || DataDir is null) throw new InvalidOperationException("these options were created without withData");
        return Datasets.Load(parse.GetValue(Data)!, parse.GetValue(DataDir), seed);
    }

    /// <summary>True when the user chose --onnx (checked before anything is loaded, e.g. to refuse an analysis).</summary>
    public bool IsOnnx(ParseResult parse) => parse.GetValue(Onnx) is not null;

    /// <summary>
    /// Loads the model the options name, in eval mode. <paramref name="set"/> supplies the input shape and class count
    /// of a state dict without atlas metadata (and of a fresh model); <paramref name="seed"/> initialises a fresh model.
    /// </summary>
    public LoadedModel Load(ParseResult parse, ImageDataset? set, int seed = 0) =>
        Resolve(parse.GetValue(Model)!, parse.GetValue(Weights), parse.GetValue(Onnx), set, seed, WeightsRequired);

    /// <summary>
    /// The rules behind <see cref="Load(ParseResult, ImageDataset?, int)"/>, for commands whose option names differ
    /// (two models, --a/--b): <paramref name="weightsOption"/> and <paramref name="onnxOption"/> name the options in errors.
    /// </summary>
    public static LoadedModel Resolve(string name, string? weights, string? onnx, ImageDataset? set, int seed, bool weightsRequired,
        string weightsOption = "--weights", string onnxOption = "--onnx")
    {
        if (onnx is not null)
        {
            if (weights is not null) throw new AtlasArgumentException(onnxOption, $"give either {weightsOption} or {onnxOption}, exactly one: an ONNX model carries its own weights");
            if (name.Length > 0) throw new AtlasArgumentException("--model", $"an ONNX model carries its own architecture; drop --model with {onnxOption}");
            var graph = new OnnxModule(OnnxModel.Load(onnx));
            if (set is not null) CheckInput(graph, set, onnxOption);
            graph.Eval();
            return new LoadedModel(graph, null, graph, onnx);
        }
        if (weights is not null)
        {
            var fallback = name.Length > 0 && set is not null ? EngineOptions.SpecFor(name, set) : null;
            if (name.Length > 0 && set is null && !ModelZoo.Names.Contains(name))
                throw new AtlasArgumentException("--model", $"unknown model '{name}'; expected one of {string.Join(", ", ModelZoo.Names)}");
            var (net, spec) = ModelFile.Load(weights, fallback, name.Length > 0 ? name : null);
            net.Eval();
            return new LoadedModel(net, spec, null, weights);
        }
        if (weightsRequired)
            throw new AtlasArgumentException(weightsOption, $"give either {weightsOption} (with --model when the file does not name its architecture) or {onnxOption}, exactly one");
        if (set is null) throw new AtlasArgumentException("--model", "a freshly initialised model needs a data set to size its input and output");
        var fresh = EngineOptions.SpecFor(name.Length > 0 ? name : "cnn", set);
        var model = ModelZoo.Create(fresh.Name, fresh.InChannels, fresh.ImageSize, fresh.NumClasses, new Rng((ulong)seed));
        model.Eval();
        return new LoadedModel(model, fresh, null, null) { Label = $"{fresh.Name} (initialised, seed {seed})" };
    }

    /// <summary>Refuses a graph whose declared input cannot take the data set's [N, C, H, W] images, before any run.</summary>
    private static void CheckInput(OnnxModule graph, ImageDataset set, string onnxOption)
    {
        var input = graph.Model.Inputs[0];
        var want = new[] { set.Channels, set.Height, set.Width };
        if (input.Shape.Count == 0) return; // shape not declared: the first run decides
        if (input.Shape.Count != 4)
            throw new AtlasArgumentException(onnxOption, $"{graph.Model.File}: input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; " +
                $"images of {set.Name} need [N, {set.Channels}, {set.Height}, {set.Width}]");
        for (int i = 0; i < 3; i++)
            if (int.TryParse(input.Shape[i + 1], System.Globalization.CultureInfo.InvariantCulture, out int d) && d != want[i])
                throw new AtlasArgumentException(onnxOption, $"{graph.Model.File}: input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; " +
                    $"images of {set.Name} need [N, {set.Channels}, {set.Height}, {set.Width}]");
    }
}
