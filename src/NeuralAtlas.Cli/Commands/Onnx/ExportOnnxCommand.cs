using System.CommandLine;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;

namespace NeuralAtlas.Cli.Commands.Onnx;

/// <summary><c>atlas export-onnx</c>: a zoo model's weights as an ONNX file PyTorch users can load.</summary>
public sealed class ExportOnnxCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: false);
        var weights = new Option<string>("--weights", "-w") { Description = "Weights (safetensors state dict, e.g. from 'atlas train --out').", Required = true };
        var outPath = new Option<string>("--out", "-o") { Description = "The .onnx file to write (opset 17, weights inside as initializers named as the state dict).", Required = true };
        var channels = new Option<int>("--in-channels") { Description = "Input channels, when the weights carry no 'atlas train' metadata.", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--image-size") { Description = "Square input size, when the weights carry no metadata.", DefaultValueFactory = _ => 28 };
        var classes = new Option<int>("--classes") { Description = "Number of classes, when the weights carry no metadata.", DefaultValueFactory = _ => 10 };
        var cmd = new Command("export-onnx",
            "Write a zoo model (cnn, mlp, resnet20, transformer) with its weights as an ONNX graph (opset 17: Conv, Gemm, " +
            "BatchNormalization, residual Add, GlobalAveragePool, LayerNormalization, attention as MatMul/Softmax ...), input 'input' " +
            "[batch, C, H, W], output 'logits'. The file is re-imported and must reproduce the model's output (exactly, or within 1e-6 of " +
            "its scale where GELU is written as erf) before it is written.");
        foreach (var o in new Option[] { model, weights, outPath, channels, size, classes }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            var fallback = name.Length > 0 ? new ModelSpec(name, parse.GetValue(channels), parse.GetValue(size), parse.GetValue(classes)) : null;
            var (net, spec) = ModelFile.Load(parse.GetValue(weights)!, fallback, name.Length > 0 ? name : null);
            string file = parse.GetValue(outPath)!;
            double err = OnnxExport.Save(net, new[] { spec.InChannels, spec.ImageSize, spec.ImageSize }, file);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {spec.Name} ({net.StateDict().Count} initializers, opset {OnnxExport.Opset}) to {file}; " +
                (err == 0 ? "re-import reproduces the output exactly" : $"re-import error {err:E1} of the output's scale"));
            return 0;
        });
        return cmd;
    }
}
