using System.CommandLine;
using System.Globalization;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.Geometry;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas frequency sweep</c>: the weight-decay × depth experiment of representation-cost theory.</summary>
internal static class FrequencySweepCommand
{
    public static Command Create()
    {
        var defaults = new FrequencySweepOptions();
        var wd = new Option<string>("--weight-decay") { Description = "Comma-separated weight decays (L2 coefficient of the optimizer), e.g. 0,1e-2,1e-1.", DefaultValueFactory = _ => string.Join(",", defaults.WeightDecays.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) };
        var depths = new Option<string>("--depths") { Description = "Comma-separated numbers of 3×3 convolutions before the fully connected layer, e.g. 1,2,3.", DefaultValueFactory = _ => string.Join(",", defaults.Depths) };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Training epochs per model.", DefaultValueFactory = _ => defaults.Epochs };
        var trainCount = new Option<int>("--train-count") { Description = "Training images per model (the first N of the training split).", DefaultValueFactory = _ => defaults.TrainCount };
        var count = new Option<int>("--count", "-n") { Description = "Test images the sensitivity and power maps average over.", DefaultValueFactory = _ => defaults.Count };
        var evalCount = new Option<int>("--eval-count") { Description = "Test images the accuracy is measured on.", DefaultValueFactory = _ => defaults.EvalCount };
        var channels = new Option<int>("--channels") { Description = "Channels of every convolution.", DefaultValueFactory = _ => defaults.Channels };
        var relu = new Option<bool>("--relu") { Description = "ReLU after each convolution (default: none, the deep linear CNN the theory is about)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam (L2 added to the gradient), adamw (decoupled) or sgd (momentum 0.9).", DefaultValueFactory = _ => defaults.Optimizer };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => defaults.BatchSize };
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the synthetic data, the initialisation (one per depth, shared across weight decays) and the batch order.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON: settings, the data's power maps, and per run its sensitivity map, radial profile, correlations, ‖θ‖₂ and accuracy.", DefaultValueFactory = _ => "frequency-sweep.json" };
        var svg = new Option<string?>("--svg") { Description = "Also draw the radial profiles (each scaled to its maximum, log axis) with the data's power profile to this SVG." };
        var threads = EngineOptions.Threads();
        var cmd = new Command("sweep",
            "Train a family of CNNs (depths × weight decays, same data, same initialisation per depth) and compare each one's frequency " +
            "sensitivity with the data's power spectrum (arXiv 2210.01257: depth and weight decay should raise the correlation). Progress on stderr.");
        foreach (var o in new Option[] { wd, depths, epochs, trainCount, count, evalCount, channels, relu, optimizer, lr, batch, data, dataDir, seed, outPath, svg, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            int s = parse.GetValue(seed);
            var options = new FrequencySweepOptions
            {
                WeightDecays = ParseList(parse.GetValue(wd)!, "--weight-decay", v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)),
                Depths = ParseList(parse.GetValue(depths)!, "--depths", v => int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                Epochs = parse.GetValue(epochs), TrainCount = parse.GetValue(trainCount), Count = parse.GetValue(count),
                EvalCount = parse.GetValue(evalCount), Channels = parse.GetValue(channels), Relu = parse.GetValue(relu),
                Optimizer = parse.GetValue(optimizer)!, LearningRate = parse.GetValue(lr), BatchSize = parse.GetValue(batch), Seed = s,
            };
            options.Validate();
            string dataName = parse.GetValue(data)!;
            var splits = Datasets.Load(dataName, parse.GetValue(dataDir), s);
            var err = parse.InvocationConfiguration.Error;
            var result = FrequencySweep.Run(splits, dataName, options, line => err.WriteLine(line));
            FrequencySweepOutput.WriteJson(result, parse.GetValue(outPath)!);
            if (parse.GetValue(svg) is { } svgPath) FrequencySweepOutput.Plot(result).Save(svgPath);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("depth\tweight_decay\tweight_norm\ttest_accuracy\tcorrelation\tradial_correlation");
            foreach (var r in result.Runs)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Depth}\t{r.WeightDecay:G6}\t{F(r.WeightNorm)}\t{F(r.TestAccuracy)}\t{F(r.Report.Correlation)}\t{F(r.RadialCorrelation)}"));
            return 0;
        });
        return cmd;
    }

    private static T[] ParseList<T>(string text, string option, Func<string, T> parse)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new AtlasArgumentException(option, $"expected a comma-separated list, got '{text}'");
        return parts.Select(p =>
        {
            try { return parse(p); }
            catch (FormatException) { throw new AtlasArgumentException(option, $"'{p}' in '{text}' is not a number"); }
            catch (OverflowException) { throw new AtlasArgumentException(option, $"'{p}' in '{text}' is out of range"); }
        }).ToArray();
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
