using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Similarity;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary><c>atlas intertwine</c>: move an MLP along its activation's intertwiner group.</summary>
public sealed class IntertwineCommand : ICliCommand
{
    public Command Create()
    {
        var weights = new Option<string>("--weights")
        {
            Description = "A model written by 'atlas train' (mlp, cnn or resnet20: conv channels, biases, BatchNorm and residual " +
                          "streams are handled), or any MLP state dict (.safetensors or .npz) of 2-D NAME.weight in layer order with optional NAME.bias. Not with --onnx.",
        };
        var onnx = new Option<string?>("--onnx")
        {
            Description = "An ONNX model instead: its sites come from the node structure, chains Conv/Gemm/MatMul [→ BatchNormalization] → Relu/LeakyRelu → " +
                          "(pooling, Flatten, Reshape, Identity, Dropout) → Conv/Gemm/MatMul; residual branches and shared values are refused by node name. " +
                          "The group is the graph's activation's; --out must be a .onnx file.",
        };
        var activation = new Option<string>("--activation")
        {
            Description = $"The nonlinearity between the layers: {string.Join(", ", Activation.Names)}. With --onnx it is read from the graph.",
            DefaultValueFactory = _ => "relu",
        };
        var slope = new Option<double>("--negative-slope") { Description = "LeakyReLU's negative slope.", DefaultValueFactory = _ => 0.01 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random intertwiners and the random test inputs.", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--samples") { Description = "Random Gaussian inputs on which outputs and representations are compared.", DefaultValueFactory = _ => 256 };
        var output = new Option<string>("--out") { Description = "Where to write the transformed weights (.safetensors or .npz, float32; .onnx with --onnx).", Required = true };
        var cmd = new Command("intertwine",
            "Apply a random element of the activation's intertwiner group after every hidden layer (W_i ← A W_i, b_i ← A b_i, " +
            "W_{i+1} ← W_{i+1} A⁻¹; for conv + BatchNorm the channels, γ, β and running statistics; one A per ResNet stage " +
            "for the residual stream): the function is unchanged, the hidden representations move. " +
            "Prints the max output difference and how much each hidden representation changed (linear CKA, orthogonal and " +
            "G_ReLU Procrustes). See docs/intertwiners.md.")
        { weights, onnx, activation, slope, seed, samples, output };
        cmd.SetAction(parse =>
        {
            string? wPath = parse.GetValue(weights), onnxPath = parse.GetValue(onnx);
            if ((wPath is null) == (onnxPath is null)) throw new AtlasArgumentException("--weights", "give either --weights (a state dict) or --onnx, exactly one");
            int count = parse.GetValue(samples);
            if (count < 2) throw new AtlasArgumentException("--samples", $"must be ≥ 2, got {count}");
            if (onnxPath is not null)
            {
                string? explicitActivation = parse.GetResult(activation) is { Implicit: false } ? parse.GetValue(activation) : null;
                return OnnxIntertwine.Run(parse.InvocationConfiguration.Output, onnxPath, explicitActivation, new Rng(parse.GetValue(seed)), count, parse.GetValue(output)!);
            }
            string path = wPath!;
            var group = IntertwinerGroup.For(parse.GetValue(activation)!, parse.GetValue(slope));
            var metadata = Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase) && File.Exists(path)
                ? Safetensors.Read(path).Metadata : null;
            if (metadata is not null && NeuralAtlas.Nn.Zoo.ModelSpec.FromMetadata(metadata) is not null)
            {
                // A zoo model (written by 'atlas train'): channel sites and the real forward pass.
                var (model, spec) = NeuralAtlas.Nn.Zoo.ModelFile.Load(path);
                return ZooIntertwine.Run(parse.InvocationConfiguration.Output, path, spec, model, group, new Rng(parse.GetValue(seed)), count, parse.GetValue(output)!);
            }
            var state = WeightFiles.Read(path, "--weights");
            var layers = Layers(state, path);
            var rng = new Rng(parse.GetValue(seed));
            var t = MlpIntertwiner.Apply(layers, group, rng);

            var outState = new List<KeyValuePair<string, Tensor>>();
            foreach (var l in t.Layers)
            {
                outState.Add(new(l.Name + ".weight", l.Weight.ToTensor()));
                if (l.Bias is { } b) outState.Add(new(l.Name + ".bias", new Tensor(new[] { b.Length }, b.Select(v => (float)v).ToArray())));
            }
            // Compare the float32 models as saved, on the same random inputs.
            var saved = FromTensors(outState, layers);
            var original = FromTensors(state, layers);
            var x = new DMatrix(count, layers[0].In);
            for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.Normal();
            var (h0, y0) = MlpIntertwiner.Forward(original, group.Activation, x);
            var (h1, y1) = MlpIntertwiner.Forward(saved, group.Activation, x);
            double maxDiff = y0.Data.Zip(y1.Data, (p, q) => Math.Abs(p - q)).Max();
            double maxOut = y0.Data.Max(Math.Abs);

            string outPath = parse.GetValue(output)!;
            if (Path.GetExtension(outPath).Equals(".npz", StringComparison.OrdinalIgnoreCase)) Npz.Write(outPath, outState);
            else Safetensors.Write(outPath, outState, metadata);

            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"group\t{group.Activation.Name}: {group.Description}");
            o.WriteLine("hidden\tunits\trelative_change\tlinear_cka\tortho_procrustes\tgrelu_procrustes");
            for (int i = 0; i < h0.Count; i++)
            {
                double num = 0, den = 0;
                for (int k = 0; k < h0[i].Data.Length; k++) { num += Math.Pow(h0[i].Data[k] - h1[i].Data[k], 2); den += h0[i].Data[k] * h0[i].Data[k]; }
                o.WriteLine($"{layers[i].Name}\t{h0[i].Cols}\t{Math.Sqrt(num / Math.Max(den, 1e-300)):F4}\t{RepresentationChange.Safe(() => new LinearCka().Compute(h0[i], h1[i]))}\t" +
                            $"{RepresentationChange.Safe(() => new OrthogonalProcrustes().Compute(h0[i], h1[i]))}\t{RepresentationChange.Safe(() => new GReluProcrustes().Compute(h0[i], h1[i]))}");
            }
            o.WriteLine($"max output difference\t{maxDiff:E3}\t(max |output| {maxOut:F4}, {count} random inputs, float32 weights as written)");
            o.WriteLine($"wrote {outPath}");
            return 0;
        });
        return cmd;
    }


    /// <summary>The chain of linear layers: every 2-D NAME.weight in file order with its NAME.bias.</summary>
    internal static List<DenseLayer> Layers(List<KeyValuePair<string, Tensor>> state, string path)
    {
        var byName = state.ToDictionary(s => s.Key, s => s.Value);
        var conv = state.FirstOrDefault(s => s.Value.Rank == 4);
        if (conv.Value is not null)
            throw new AtlasArgumentException("--weights", $"{path}: '{conv.Key}' is a convolution; only MLP state dicts (chains of 2-D weights) can be intertwined by this command");
        var layers = new List<DenseLayer>();
        var used = new HashSet<string>();
        foreach (var (name, t) in state)
        {
            if (t.Rank != 2) continue;
            if (!name.EndsWith(".weight", StringComparison.Ordinal))
                throw new AtlasArgumentException("--weights", $"{path}: 2-D tensor '{name}' is not named NAME.weight");
            string prefix = name[..^".weight".Length];
            double[]? bias = null;
            if (byName.TryGetValue(prefix + ".bias", out var b))
            {
                if (b.Rank != 1) throw new AtlasArgumentException("--weights", $"{path}: '{prefix}.bias' has shape {ShapeMismatchException.Format(b.Shape)}, expected a vector");
                bias = b.Data.Select(v => (double)v).ToArray();
                used.Add(prefix + ".bias");
            }
            used.Add(name);
            layers.Add(new DenseLayer(prefix, DMatrix.FromTensor(t), bias));
        }
        var extra = state.Select(s => s.Key).Where(k => !used.Contains(k)).ToList();
        if (extra.Count > 0)
            throw new AtlasArgumentException("--weights", $"{path}: tensors {string.Join(", ", extra.Take(5))} are not linear weights or biases; an MLP state dict was expected");
        MlpIntertwiner.RequireChain(layers);
        return layers;
    }

    private static List<DenseLayer> FromTensors(List<KeyValuePair<string, Tensor>> state, List<DenseLayer> shape)
    {
        var byName = state.ToDictionary(s => s.Key, s => s.Value);
        return shape.Select(l => new DenseLayer(l.Name, DMatrix.FromTensor(byName[l.Name + ".weight"]),
            byName.TryGetValue(l.Name + ".bias", out var b) ? b.Data.Select(v => (double)v).ToArray() : null)).ToList();
    }
}
