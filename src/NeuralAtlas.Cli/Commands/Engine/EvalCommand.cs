using System.CommandLine;
using NeuralAtlas.Nn.Training;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas eval</c>: test accuracy of saved weights.</summary>
public sealed class EvalCommand : ICliCommand
{
    public Command Create()
    {
        var source = new ModelSourceOptions(weightsRequired: true, withData: true,
            onnxDescription: "Evaluate an ONNX model (e.g. from torch.onnx.export) instead of --model/--weights; its input must take the data set's [N, C, H, W] images and its first output be the logits.");
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data set (use the one it was trained with).", DefaultValueFactory = _ => 0 };
        var split = new Option<string>("--split") { Description = "Which split to score: test or train.", DefaultValueFactory = _ => "test" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("eval", "Print the top-1 accuracy of saved weights on a data set's test (or train) split.");
        source.AddTo(cmd);
        foreach (var o in new Option[] { seed, split, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            string sp = parse.GetValue(split)!;
            if (sp is not ("test" or "train")) throw new AtlasArgumentException("--split", $"expected test or train, got '{sp}'");
            var splits = source.LoadData(parse, parse.GetValue(seed));
            var set = sp == "test" ? splits.Test : splits.Train;
            var net = source.Load(parse, set).Module;
            double acc = Trainer.Evaluate(net, set);
            parse.InvocationConfiguration.Output.WriteLine($"accuracy\t{acc:F4}\t({set.Count} {sp} images of {set.Name})");
            return 0;
        });
        return cmd;
    }
}
