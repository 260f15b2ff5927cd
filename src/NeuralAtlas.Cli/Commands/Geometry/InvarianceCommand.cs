using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralAtlas.Autograd;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas invariance</c>: normalised invariance/equivariance deviation per layer and action, with accuracy on transformed inputs.</summary>
public sealed class InvarianceCommand : ICliCommand
{
    public Command Create()
    {
        var source = new ModelSourceOptions(weightsRequired: false, withData: true,
            onnxDescription: "Analyse an ONNX model (e.g. from torch.onnx.export) instead of --model/--weights; --layers then names its nodes (see 'atlas onnx inspect').");
        var layers = new Option<string>("--layers", "-l") { Description = "'all' (every named submodule; with --onnx every per-example node) or comma-separated module names (node names with --onnx).", DefaultValueFactory = _ => "all" };
        var actions = new Option<string>("--actions", "-a")
        {
            Description = "Comma-separated group elements: rot90, rot180, rot270 (C4), flip-h, flip-v, shift:DX;DY (cyclic; ';' between the two numbers), channels:PERM (e.g. channels:210).",
            DefaultValueFactory = _ => "rot90,rot180,rot270,flip-h,flip-v",
        };
        var count = new Option<int>("--count", "-n") { Description = "How many test images (the first N; at least 2).", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of the data set and of an uninitialised model.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON (per action: accuracy, and per layer invariance and equivariance deviation).", DefaultValueFactory = _ => "invariance.json" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("invariance",
            "Invariance and equivariance per layer under image group actions, normalised by the mean distance between different inputs " +
            "(0 = exact, 1 = as far as another input), with the accuracy on transformed inputs beside it.");
        source.AddTo(cmd);
        foreach (var o in new Option[] { layers, actions, count, seed, outPath, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            int s = parse.GetValue(seed);
            var set = source.LoadData(parse, s).Test;
            int n = Math.Min(parse.GetValue(count), set.Count);
            if (n < 2) throw new AtlasArgumentException("--count", $"needs at least 2 images, got {n}");
            var net = source.Load(parse, set, s).Module;
            string ls = parse.GetValue(layers)!;
            var names = ls == "all" ? LayerTaps.Names(net, new Var(set.Images(1))).ToList() : ls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var acts = parse.GetValue(actions)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(a => ImageAction.Parse(a.Replace(';', ','))).ToList();
            var labels = set.Labels.Take(n).ToArray();
            var res = InvarianceMetrics.Compute(net, set.Images(n), labels, acts, names);
            AtomicFile.WriteAllBytes(parse.GetValue(outPath)!, Serialize(res, n));
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("action\tlayer\tinvariance\tequivariance\taccuracy");
            foreach (var a in res)
                foreach (var l in a.Layers)
                    o.WriteLine($"{a.Action}\t{l.Layer}\t{F(l.Invariance)}\t{(l.Equivariance is double e ? F(e) : "-")}\t{(a.Accuracy is double acc ? F(acc) : "-")}");
            return 0;
        });
        return cmd;
    }

    private static byte[] Serialize(IReadOnlyList<ActionInvariance> res, int n)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("images", n);
            if (res.Count > 0 && res[0].BaselineAccuracy is double b) w.WriteNumber("accuracy", b);
            w.WriteStartArray("actions");
            foreach (var a in res)
            {
                w.WriteStartObject();
                w.WriteString("action", a.Action);
                if (a.Accuracy is double acc) w.WriteNumber("accuracy", acc);
                w.WriteStartArray("layers");
                foreach (var l in a.Layers)
                {
                    w.WriteStartObject();
                    w.WriteString("layer", l.Layer);
                    w.WriteNumber("invariance", l.Invariance);
                    if (l.Equivariance is double e) w.WriteNumber("equivariance", e);
                    else w.WriteNull("equivariance");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
