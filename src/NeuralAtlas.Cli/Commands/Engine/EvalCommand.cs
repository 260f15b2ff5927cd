using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas eval</c>: test accuracy of saved weights.</summary>
public sealed class EvalCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var weights = new Option<string>("--weights", "-w") { Description = "Weights: a safetensors state dict (from 'atlas train --out', or exported from PyTorch with the same names). Not with --onnx." };
        var onnx = new Option<string>("--onnx") { Description = "Evaluate an ONNX model (e.g. from torch.onnx.export) instead of --model/--weights; its input must take the data set's [N, C, H, W] images and its first output be the logits." };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set (use the one it was trained with).", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "Which split to score: test or train.", DefaultValueFactory = _ => "test" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("eval", "Print the top-1 accuracy of saved weights on a data set's test (or train) split.");
        foreach (var o in new Option[] { model, weights, onnx, data, dataDir, seed, split, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            string name = parse.GetValue(model)!;
            string? w = parse.GetValue(weights), onnxFile = parse.GetValue(onnx);
            if ((w is null) == (onnxFile is null)) throw new AtlasArgumentException("--weights", "give either --weights (with --model) or --onnx, exactly one");
            if (onnxFile is not null && name.Length > 0) throw new AtlasArgumentException("--model", "an ONNX model carries its own architecture; drop --model with --onnx");
            Module net;
            if (onnxFile is not null) net = new OnnxModule(OnnxModel.Load(onnxFile));
            else
            {
                var fallback = name.Length > 0 ? EngineOptions.SpecFor(name, set) : null;
                net = ModelFile.Load(w!, fallback, name.Length > 0 ? name : null).Item1;
            }
            double acc = Trainer.Evaluate(net, set);
            parse.InvocationConfiguration.Output.WriteLine($"accuracy\t{acc:F4}\t({set.Count} {sp} images of {set.Name})");
            return 0;
        });
        return cmd;
    }
}
