using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx;

namespace NeuralAtlas.Cli.Commands.Onnx;

/// <summary><c>atlas onnx ...</c>: working with ONNX models (inspect, operators).</summary>
public sealed class OnnxCommand : ICliCommand
{
    public Command Create()
    {
        var cmd = new Command("onnx", "Work with ONNX models exported from PyTorch or elsewhere.");
        cmd.Subcommands.Add(Inspect());
        cmd.Subcommands.Add(Operators());
        return cmd;
    }

    private static Command Operators()
    {
        var cmd = new Command("operators",
            "List the ONNX operators NeuralAtlas imports (default domain, opsets " + OnnxOperators.MinOpset + "–" + OnnxOperators.MaxOpset +
            ") with what each does not support; any other operator is refused by name when a model is loaded.");
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"supported operators: {OnnxOperators.Supported.Count} (default domain, opsets {OnnxOperators.MinOpset}–{OnnxOperators.MaxOpset})");
            foreach (var op in OnnxOperators.Supported.Order(StringComparer.Ordinal))
                o.WriteLine(OnnxOperators.Limits.TryGetValue(op, out var l) ? $"  {op}	not supported: {l}" : $"  {op}");
            o.WriteLine("every other operator (and every operator of another domain) is unsupported");
            return 0;
        });
        return cmd;
    }

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "The .onnx file (external data files are looked up beside it)." };
        var inits = new Option<bool>("--initializers") { Description = "Also list every initializer (weights) with its type and shape." };
        var noNodes = new Option<bool>("--no-nodes") { Description = "Do not list the nodes (only the summary, inputs, outputs and unsupported operators)." };
        var cmd = new Command("inspect",
            "List an ONNX model's opsets, inputs, outputs, nodes (their names are usable as --layers) and the operators " +
            "outside NeuralAtlas's import set, and nodes whose attributes ask for what an operator's import does not support (e.g. " +
            "Resize mode cubic; see 'atlas onnx operators'). Exits 0 even when operators are unsupported; reading errors exit 2.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(inits);
        cmd.Options.Add(noNodes);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var m = OnnxModel.Load(parse.GetValue(file)!);
            o.WriteLine($"# {m.File}: ir_version {m.IrVersion}, producer {(m.ProducerName.Length == 0 ? "?" : m.ProducerName)} {m.ProducerVersion}".TrimEnd() + $", graph '{m.GraphName}'");
            o.WriteLine("opsets: " + string.Join(", ", m.Opsets.Select(x => $"{(x.Domain.Length == 0 ? "ai.onnx" : x.Domain)} {x.Version}")));
            o.WriteLine("inputs:");
            foreach (var v in m.Inputs) o.WriteLine($"  {v}");
            o.WriteLine("outputs:");
            foreach (var v in m.Outputs) o.WriteLine($"  {v}");
            o.WriteLine($"initializers: {m.Initializers.Count} ({m.ParameterCount} floating-point values)");
            if (parse.GetValue(inits))
                foreach (var (k, a) in m.Initializers) o.WriteLine($"  {k}\t{a.DType.NumpyName()}\t[{string.Join(",", a.Shape)}]");
            if (!parse.GetValue(noNodes))
            {
                o.WriteLine($"nodes: {m.Nodes.Count}");
                o.WriteLine("  index\tname\top\tinputs\toutputs");
                foreach (var n in m.Nodes)
                    o.WriteLine($"  {n.Index}\t{n.Name}\t{n.QualifiedOp}\t{string.Join(",", n.Inputs)}\t{string.Join(",", n.Outputs)}");
            }
            foreach (var p in OnnxOperators.OpsetProblems(m)) o.WriteLine("warning: " + p);
            var bad = OnnxOperators.Unsupported(m);
            if (bad.Count == 0) o.WriteLine("unsupported operators: none");
            else
            {
                o.WriteLine($"unsupported operators: {string.Join(", ", bad.Select(n => n.QualifiedOp).Distinct())}");
                foreach (var n in bad) o.WriteLine($"  node {n.Index} '{n.Name}': {n.QualifiedOp}");
            }
            var limits = OnnxOperators.AttributeProblems(m);
            if (limits.Count == 0) o.WriteLine("unsupported attributes: none");
            else
            {
                o.WriteLine($"unsupported attributes: {limits.Count} node{(limits.Count == 1 ? "" : "s")}");
                foreach (var (n, problem) in limits) o.WriteLine($"  node {n.Index} '{n.Name}': {n.OpType} {problem}");
            }
            return 0;
        });
        return cmd;
    }
}
