using System.CommandLine;
using NeuralAtlas.Symmetry.ConvSpectra;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary><c>atlas conv-svd</c>: spectra of every convolution and linear weight of a model.</summary>
public sealed class ConvSvdCommand : ICliCommand
{
    public Command Create()
    {
        var weights = new Option<string>("--weights")
        {
            Description = "A .safetensors or .npz state dict; every 4-D (conv) and 2-D (linear) tensor is analysed, others are skipped. Not with --onnx.",
        };
        var onnx = new Option<string?>("--onnx")
        {
            Description = "Analyse an ONNX model instead: the weight initializers of its Conv, Gemm and MatMul nodes (named after the initializers); " +
                          "each convolution's input size is measured by one run on the declared input and its stride read from the node.",
        };
        var model = new Option<string?>("--model")
        {
            Description = "Architecture whose layer input sizes and strides to use for the operator spectra: 'resnet20' " +
                          "(stages at n, n/2, n/4, stride-2 down-sampling). Without it every convolution is taken at --input-size, stride 1. Not with --onnx (the graph gives the geometry).",
        };
        var size = new Option<int>("--input-size")
        {
            Description = "Spatial size n of the (square) model input; operator singular values assume circular padding. 0 skips operator spectra. " +
                          "With --onnx the input's declared height and width win; this fills in symbolic ones.",
            DefaultValueFactory = _ => 32,
        };
        var layer = new Option<string[]>("--layer")
        {
            Description = "Override one convolution's geometry: NAME=SIZE or NAME=SIZE:STRIDE (repeatable), e.g. layer2.0.conv1.weight=32:2.",
            AllowMultipleArgumentsPerToken = true,
        };
        var bins = new Option<int>("--bins") { Description = "Histogram bins of each empirical spectral density.", DefaultValueFactory = _ => 50 };
        var minTail = new Option<int>("--min-tail") { Description = "Fewest eigenvalues a power-law tail may have.", DefaultValueFactory = _ => 10 };
        var all = new Option<bool>("--all-operator-values") { Description = "Write every operator singular value (large), not only the top 16." };
        var output = new Option<string>("--out") { Description = "Where to write the spectra (JSON).", Required = true };
        var cmd = new Command("conv-svd",
            "Singular value spectra of a model's weights: the SVD of each conv weight reshaped to C_out × C_in·k·k with its " +
            "eigenvalue density, power-law alpha (Clauset KS fit), Marchenko–Pastur bulk and outliers and alpha·log10 λ_max, " +
            "and the exact singular values of each convolution operator on an n×n input (Sedghi et al.). See docs/conv-spectra.md.")
        { weights, onnx, model, size, layer, bins, minTail, all, output };
        cmd.SetAction(parse =>
        {
            string? wPath = parse.GetValue(weights), onnxPath = parse.GetValue(onnx);
            if ((wPath is null) == (onnxPath is null)) throw new AtlasArgumentException("--weights", "give either --weights (a state dict) or --onnx, exactly one");
            string path = wPath ?? onnxPath!;
            string fileOption = wPath is null ? "--onnx" : "--weights";
            int n = parse.GetValue(size);
            if (n < 0) throw new AtlasArgumentException("--input-size", $"must be ≥ 0, got {n}");
            List<KeyValuePair<string, NeuralAtlas.Tensors.Tensor>> state;
            var geometry = new Dictionary<string, ConvGeometry>();
            string? arch = parse.GetValue(model);
            var notes = new List<string>();
            if (onnxPath is not null)
            {
                if (arch is not null) throw new AtlasArgumentException("--model", "an ONNX graph gives each convolution's geometry itself; drop --model with --onnx");
                var layers = OnnxSpectraLayers.Collect(NeuralAtlas.Onnx.OnnxModel.Load(onnxPath), n);
                state = layers.Weights;
                foreach (var kv in layers.Geometry) geometry[kv.Key] = kv.Value;
                notes = layers.Notes;
                n = 0; // every convolution the graph could place has its geometry; the rest get no operator spectrum
            }
            else state = WeightFiles.Read(path, "--weights");
            if (arch is not null)
            {
                if (arch != "resnet20")
                    throw new AtlasArgumentException("--model", $"layer geometry is known for 'resnet20' only, got '{arch}'; give other layers with --layer NAME=SIZE:STRIDE");
                if (n > 0 && n % 4 != 0) throw new AtlasArgumentException("--input-size", $"resnet20 halves the input twice; {n} is not divisible by 4");
                foreach (var kv in ResNetCifarGeometry.For(state.Select(s => s.Key), n)) geometry[kv.Key] = kv.Value;
            }
            foreach (string spec in parse.GetValue(layer) ?? Array.Empty<string>())
            {
                int eq = spec.LastIndexOf('=');
                var parts = eq < 0 ? Array.Empty<string>() : spec[(eq + 1)..].Split(':');
                if (eq <= 0 || parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out int ls) || ls < 1 ||
                    (parts.Length == 2 && (!int.TryParse(parts[1], out int st) || st < 1)))
                    throw new AtlasArgumentException("--layer", $"'{spec}': expected NAME=SIZE or NAME=SIZE:STRIDE with positive integers");
                string name = spec[..eq];
                if (!state.Any(s => s.Key == name && s.Value.Rank == 4))
                    throw new AtlasArgumentException("--layer", $"'{name}' is not a 4-D convolution weight in {path}");
                geometry[name] = new ConvGeometry(ls, parts.Length == 2 ? int.Parse(parts[1]) : 1);
            }
            var options = new SpectraOptions
            {
                InputSize = n,
                Geometry = geometry,
                Bins = parse.GetValue(bins),
                MinTail = parse.GetValue(minTail),
                AllOperatorValues = parse.GetValue(all),
            };
            var spectrum = ModelSpectra.Analyse(state, options);
            if (spectrum.Layers.Count == 0)
                throw new AtlasArgumentException(fileOption, $"{path} has no 4-D convolution or 2-D linear weight to analyse");
            string outPath = parse.GetValue(output)!;
            SpectraJson.Write(outPath, spectrum);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("layer\tkind\tshape\talpha\talpha_weighted\tmp_outliers\toperator_norm");
            foreach (var l in spectrum.Layers)
                o.WriteLine($"{l.Name}\t{l.Kind}\t{string.Join('x', l.Shape)}\t{(l.PowerLaw is null ? "-" : l.PowerLaw.Alpha.ToString("F3"))}\t" +
                            $"{(l.AlphaWeighted is null ? "-" : l.AlphaWeighted.Value.ToString("F3"))}\t{l.MarchenkoPastur.Outliers}\t" +
                            $"{(l.Operator is null ? "-" : $"{l.Operator.SpectralNorm:F4} (n={l.Operator.InputSize}, s={l.Operator.Stride})")}");
            o.WriteLine($"average alpha\t{(spectrum.AverageAlpha is null ? "-" : spectrum.AverageAlpha.Value.ToString("F4"))}");
            o.WriteLine($"average alpha*log10(lambda_max)\t{(spectrum.AverageAlphaWeighted is null ? "-" : spectrum.AverageAlphaWeighted.Value.ToString("F4"))}");
            foreach (string note in notes) o.WriteLine($"note\t{note}");
            o.WriteLine($"wrote {outPath}");
            return 0;
        });
        return cmd;
    }
}
