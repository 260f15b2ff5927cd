using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Onnx;
using NeuralAtlas.Similarity;
using NeuralAtlas.Symmetry;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary>The <c>atlas intertwine --onnx</c> path: sites from the graph's node structure, the graph run before and after.</summary>
internal static class OnnxIntertwine
{
    /// <param name="activation">The --activation the user gave explicitly (null when left at its default); it must match the graph's.</param>
    public static int Run(TextWriter o, string path, string? activation, Rng rng, int count, string outPath)
    {
        if (!Path.GetExtension(outPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new AtlasArgumentException("--out", $"with --onnx the transformed model is written as ONNX; give a .onnx path, not '{outPath}'");
        var model = OnnxModel.Load(path);
        var original = new OnnxModule(model);
        original.Eval();
        var inputShape = OnnxProbe.InputShape(model);
        var plan = OnnxSites.Find(model, OnnxProbe.ValueShapes(original, inputShape));
        if (activation is not null && activation != plan.Group.Activation.Name)
            throw new AtlasArgumentException("--activation", $"{path} uses {plan.Group.Activation.Name} at its sites, not {activation}; drop --activation with --onnx");

        var written = plan.Intertwine(model, rng);
        written.Save(outPath);
        var transformed = new OnnxModule(OnnxModel.Load(outPath));
        transformed.Eval();

        var shape = (int[])inputShape.Clone();
        shape[0] = count;
        var x = new Tensor(shape);
        for (int i = 0; i < x.Numel; i++) x.Data[i] = rng.NextFloat();
        Dictionary<string, Var> v0, v1;
        using (GradMode.NoGrad())
        {
            v0 = original.Run(new Var(x));
            v1 = transformed.Run(new Var(x));
        }
        string outName = model.Outputs[0].Name;
        var y0 = v0[outName].Value.Data;
        var y1 = v1[outName].Value.Data;
        double diff = y0.Zip(y1, (a, b) => Math.Abs(a - b)).Max(), maxOut = y0.Max(Math.Abs);

        o.WriteLine($"model\t{path}, {plan.Sites.Count} intertwiner sites: {string.Join(", ", plan.Sites.Select(s => $"{s.Name} ({s.Channels})"))}");
        o.WriteLine($"group\t{plan.Group.Activation.Name}: {plan.Group.Description}");
        o.WriteLine("node\tshape\t" + RepresentationChange.Header);
        foreach (var (site, value) in plan.Representations)
        {
            var a = v0[value].Value;
            var b = v1[value].Value;
            o.WriteLine(RepresentationChange.Row(site, a, b));
        }
        o.WriteLine($"max output difference\t{diff:E3}\t(max |output| {maxOut:F4}, {count} random inputs in [0,1])");
        o.WriteLine($"wrote {outPath}");
        return 0;
    }
}
