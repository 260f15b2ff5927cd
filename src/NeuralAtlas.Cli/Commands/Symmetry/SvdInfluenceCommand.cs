using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.Symmetry.ConvSpectra;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary><c>atlas svd-influence</c>: influential singular directions per input and the class hypergraph.</summary>
public sealed class SvdInfluenceCommand : ICliCommand
{
    public Command Create()
    {
        var weights = new Option<string?>("--weights") { Description = "A .safetensors or .npz state dict holding the layer's weight. Not with --onnx." };
        var onnx = new Option<string?>("--onnx") { Description = "Take the weight from an ONNX model instead: --layer then names a weight initializer or its Conv/Gemm/MatMul node (e.g. /conv2/Conv)." };
        var layer = new Option<string>("--layer") { Description = "Name of the 4-D conv or 2-D linear weight, e.g. layer3.2.conv2.weight.", Required = true };
        var acts = new Option<string>("--activations")
        {
            Description = "A .npy of that layer's outputs for N inputs: (N, C_out, H, W) or (N, C_out).",
            Required = true,
        };
        var labels = new Option<string>("--labels") { Description = "A .npy vector of N integer class labels.", Required = true };
        var share = new Option<double>("--share")
        {
            Description = "Keep each input's strongest singular directions until they carry this share of its projected energy.",
            DefaultValueFactory = _ => 0.8,
        };
        var support = new Option<double>("--support")
        {
            Description = "A direction joins a class hyperedge when it is influential for at least this fraction of the class.",
            DefaultValueFactory = _ => 0.5,
        };
        var output = new Option<string>("--out") { Description = "Where to write the hypergraph (JSON).", Required = true };
        var cmd = new Command("svd-influence",
            "Influential singular directions (DeepDataProfiler): project a layer's outputs on the left singular vectors of its " +
            "reshaped weight, keep each input's strongest directions, and export the class × direction incidence hypergraph as JSON.")
        { weights, onnx, layer, acts, labels, share, support, output };
        cmd.SetAction(parse =>
        {
            string? wFile = parse.GetValue(weights), onnxFile = parse.GetValue(onnx);
            if ((wFile is null) == (onnxFile is null)) throw new AtlasArgumentException("--weights", "give either --weights (a state dict) or --onnx, exactly one");
            string wPath = wFile ?? onnxFile!, name = parse.GetValue(layer)!;
            List<KeyValuePair<string, NeuralAtlas.Tensors.Tensor>> state;
            if (onnxFile is not null)
            {
                var model = NeuralAtlas.Onnx.OnnxModel.Load(onnxFile);
                // A node name stands for its weight initializer (2-D weights come as C_out × C_in, like PyTorch's).
                if (model.Nodes.FirstOrDefault(n => n.Name == name && n.OpType is "Conv" or "Gemm" or "MatMul" && n.Inputs.Count > 1) is { } node) name = node.Inputs[1];
                state = OnnxSpectraLayers.Collect(model, 0).Weights;
            }
            else state = WeightFiles.Read(wPath, "--weights");
            var hit = state.FirstOrDefault(s => s.Key == name);
            if (hit.Value is null)
                throw new AtlasArgumentException("--layer", $"'{name}' is not in {wPath}; it has {string.Join(", ", state.Where(s => s.Value.Rank is 2 or 4).Select(s => s.Key).Take(12))}");
            var kernel = ConvKernel.FromTensor(hit.Value, name);
            var svd = ReshapedSvd.Compute(kernel);
            string aPath = parse.GetValue(acts)!, lPath = parse.GetValue(labels)!;
            var a = Npy.Read(aPath);
            if (a.Rank is not (2 or 4) || a.Shape[1] != kernel.OutChannels)
                throw new AtlasArgumentException("--activations", $"{aPath}: expected (N, {kernel.OutChannels}, H, W) or (N, {kernel.OutChannels}), got {a}");
            var y = Npy.Read(lPath);
            if (y.Rank != 1 || y.Shape[0] != a.Shape[0])
                throw new AtlasArgumentException("--labels", $"{lPath}: expected a vector of {a.Shape[0]} labels, got {y}");
            double[] data = a.ToDoubles();
            for (int i = 0; i < data.Length; i++)
                if (!double.IsFinite(data[i])) throw new AtlasArgumentException("--activations", $"{aPath}: entry {i} is {data[i]}; values must be finite");
            var hg = SingularHypergraph.Build(svd.U, data, a.Shape[0], kernel.OutChannels, y.ToInt64s(), parse.GetValue(share), parse.GetValue(support));
            string outPath = parse.GetValue(output)!;
            hg.WriteJson(outPath, name);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("class\tsize\thyperedge");
            for (int c = 0; c < hg.Classes.Length; c++) o.WriteLine($"{hg.Classes[c]}\t{hg.ClassSizes[c]}\t{string.Join(' ', hg.ClassHyperedges[c])}");
            o.WriteLine($"wrote {outPath}");
            return 0;
        });
        return cmd;
    }
}
