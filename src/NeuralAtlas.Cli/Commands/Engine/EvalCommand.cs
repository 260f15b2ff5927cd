using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas eval</c>: test accuracy of saved weights.</summary>
public sealed class EvalCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var weights = new Option<string>("--weights", "-w") { Description = "Weights: a safetensors state dict (from 'atlas train --out', or exported from PyTorch with the same names).", Required = true };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set (use the one it was trained with).", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "Which split to score: test or train.", DefaultValueFactory = _ => "test" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("eval", "Print the top-1 accuracy of saved weights on a data set's test (or train) split.");
        foreach (var o in new Option[] { model, weights, data, dataDir, seed, split, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            string name = parse.GetValue(model)!;
            var fallback = name.Length > 0 ? EngineOptions.SpecFor(name, set) : null;
            var (net, _) = ModelFile.Load(parse.GetValue(weights)!, fallback, name.Length > 0 ? name : null);
            double acc = Trainer.Evaluate(net, set);
            parse.InvocationConfiguration.Output.WriteLine($"accuracy\t{acc:F4}\t({set.Count} {sp} images of {set.Name})");
            return 0;
        });
        return cmd;
    }
}
