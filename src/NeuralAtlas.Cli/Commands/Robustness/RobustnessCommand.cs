using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Corruptions;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary><c>atlas robustness</c>: accuracy on every corruption × severity, and mCE against a baseline model.</summary>
public sealed class RobustnessCommand : ICliCommand
{
    public Command Create()
    {
        var m = new TrainedModelOptions(defaultCount: 500);
        var corruptions = new Option<string>("--corruptions") { Description = "'all' (the 15 common ones) or a comma list.", DefaultValueFactory = _ => "all" };
        var severity = new Option<string>("--severity") { Description = "Severities: 3, 1..5 or 1,3,5.", DefaultValueFactory = _ => "1..5" };
        var baseline = new Option<string?>("--baseline") { Description = "A baseline model for the corruption errors CE and mCE: weights (.safetensors) or an ONNX model (.onnx) taking the same images." };
        var seed = new Option<int>("--seed") { Description = "Seed of the corruptions' random parts.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write the accuracy table (and CE/mCE) as JSON." };
        var export = new Option<string?>("--export") { Description = "Also save the corrupted test images as an .npz (keys CORRUPTION/sK, plus labels)." };
        var cmd = new Command("robustness", "Accuracy of a model on common corruptions of its test set at each severity (ImageNet-C style), with corruption errors relative to a baseline.");
        m.AddTo(cmd);
        foreach (var o in new Option[] { corruptions, severity, baseline, seed, output, export }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var list = CorruptionCatalog.Parse(parse.GetValue(corruptions)!);
            var sev = SeverityList.Parse(parse.GetValue(severity)!);
            var (model, images, labels, test) = m.Load(parse);
            int s0 = parse.GetValue(seed);
            var report = CorruptionEvaluation.Evaluate(model, images, labels, list, sev, s0);
            CorruptionReport? baseReport = null;
            if (parse.GetValue(baseline) is string bw)
            {
                Module bnet = Path.GetExtension(bw).Equals(".onnx", StringComparison.OrdinalIgnoreCase)
                    ? ModelSourceOptions.Resolve("", null, bw, test, 0, weightsRequired: true, onnxOption: "--baseline").Module
                    : ModelFile.Load(bw, null, null).Model;
                bnet.Eval();
                baseReport = CorruptionEvaluation.Evaluate(bnet, images, labels, list, sev, s0);
            }
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"clean\t-\t{F(report.CleanAccuracy)}");
            foreach (var s in report.Scores) o.WriteLine($"{s.Corruption}\t{s.Severity}\t{F(s.Accuracy)}");
            o.WriteLine($"mean\t-\t{F(report.MeanAccuracy)}");
            var json = new JsonObject
            {
                ["count"] = labels.Length, ["clean_accuracy"] = report.CleanAccuracy, ["mean_accuracy"] = report.MeanAccuracy,
                ["scores"] = new JsonArray(report.Scores.Select(s => (JsonNode)new JsonObject { ["corruption"] = s.Corruption, ["family"] = s.Family, ["severity"] = s.Severity, ["accuracy"] = s.Accuracy }).ToArray()),
            };
            if (baseReport is not null)
            {
                var ce = report.CorruptionErrors(baseReport);
                double mce = ce.Values.Average();
                o.WriteLine($"mCE\t-\t{F(mce)}");
                json["corruption_errors"] = new JsonObject(ce.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, double.IsFinite(kv.Value) ? kv.Value : null)));
                json["mce"] = double.IsFinite(mce) ? mce : null;
            }
            if (parse.GetValue(output) is string path) TrainedModelOptions.WriteJson(path, json);
            if (parse.GetValue(export) is string exportPath)
            {
                var entries = new List<KeyValuePair<string, NdArray>> { new("labels", NdArray.FromInt64s(labels.Select(l => (long)l).ToArray(), labels.Length)) };
                foreach (var c in list)
                    foreach (int s in sev)
                        entries.Add(new($"{c.Name}/s{s}", NdArray.FromTensor(CorruptionEvaluation.CorruptAll(images, c, s, s0))));
                Npz.Write(exportPath, entries, compress: true);
            }
            return 0;
        });
        return cmd;
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
