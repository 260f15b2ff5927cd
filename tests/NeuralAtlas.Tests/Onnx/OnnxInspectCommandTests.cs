using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxInspectCommandTests
{
    [Fact]
    public void ListsInputsOutputsNodesOpsetsAndUnsupportedOperators()
    {
        var r = CliRunner.Run("onnx", "inspect", Fixtures.Path("onnx", "cnn.onnx"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("opsets: ai.onnx 13", r.Out);
        Assert.Contains("  input: float32 [batch, 1, 28, 28]", r.Out);
        Assert.Contains("  logits: float32 [batch, 10]", r.Out);
        Assert.Contains("\t/conv1/Conv\tConv\tinput,conv1.weight,conv1.bias\t/conv1/Conv_output_0", r.Out);
        Assert.Contains("unsupported operators: none", r.Out);
        // conv1 32·1·3·3+32, conv2 64·32·3·3+64, fc1 1600·128+128, fc2 128·10+10
        Assert.Contains($"initializers: 8 ({320 + 18496 + 204928 + 1290} floating-point values)", r.Out);

        r = CliRunner.Run("onnx", "inspect", "--no-nodes", Fixtures.Path("onnx", "typed_fields.onnx"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("unsupported operators: Einsum", r.Out);
        Assert.Contains("node 2 'weird0': Einsum", r.Out);
        Assert.DoesNotContain("matmul0", r.Out);
    }

    [Fact]
    public void BadFilesExitTwoWithOneLine()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("cut.onnx"), File.ReadAllBytes(Fixtures.Path("onnx", "cnn.onnx")).AsSpan(0, 999).ToArray());
        var r = CliRunner.Run("onnx", "inspect", dir.File("cut.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("atlas: error: " + dir.File("cut.onnx") + ": at byte offset", r.Err);
        Assert.Equal(2, CliRunner.Run("onnx", "inspect", dir.File("missing.onnx")).ExitCode);
    }
}

public class OnnxUnsupportedAttributeTests
{
    /// <summary>x → Resize(cubic, ×2) → Pad(wrap) → Relu: supported operators asking for unsupported modes.</summary>
    private static byte[] CubicWrapGraph()
    {
        var w = new NeuralAtlas.Onnx.OnnxGraphWriter();
        string scales = w.Add("Constant", "", Array.Empty<string>(), new[] { NeuralAtlas.Onnx.OnnxGraphWriter.TensorAttr("value",
            NeuralAtlas.IO.NdArray.FromTensor(new NeuralAtlas.Tensors.Tensor(new[] { 4 }, new[] { 1f, 1, 2, 2 }))) });
        string r = w.Add("Resize", "up", new[] { "x", "", scales }, new[]
        {
            new NeuralAtlas.Onnx.Proto.AttributeProto { Name = "mode", Type = NeuralAtlas.Onnx.Proto.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("cubic") },
        });
        string p = w.Add("Pad", "pad", new[] { r, w.Ints("pad", 0, 0, 1, 1, 0, 0, 1, 1) }, new[]
        {
            new NeuralAtlas.Onnx.Proto.AttributeProto { Name = "mode", Type = NeuralAtlas.Onnx.Proto.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("wrap") },
        });
        w.Add("Relu", "", new[] { p }, null, "y");
        var t = new NeuralAtlas.Onnx.Proto.TypeProto { TensorType = new NeuralAtlas.Onnx.Proto.TypeProto.Types.Tensor { ElemType = 1 } };
        w.Graph.Input.Add(new NeuralAtlas.Onnx.Proto.ValueInfoProto { Name = "x", Type = t });
        w.Graph.Output.Add(new NeuralAtlas.Onnx.Proto.ValueInfoProto { Name = "y", Type = t });
        var m = new NeuralAtlas.Onnx.Proto.ModelProto { IrVersion = 8, Graph = w.Graph };
        m.OpsetImport.Add(new NeuralAtlas.Onnx.Proto.OperatorSetIdProto { Domain = "", Version = 19 });
        return Google.Protobuf.MessageExtensions.ToByteArray(m);
    }

    [Fact]
    public void InspectListsNodesAskingForUnsupportedModesAndImportRefusesThemBeforeRunning()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("m.onnx"), CubicWrapGraph());
        var r = CliRunner.Run("onnx", "inspect", "--no-nodes", dir.File("m.onnx"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("unsupported operators: none", r.Out);
        Assert.Contains("unsupported attributes: 2 nodes", r.Out);
        Assert.Contains("'/up/Resize': Resize mode cubic", r.Out);
        Assert.Contains("'/pad/Pad': Pad mode wrap", r.Out);

        var e = Assert.Throws<NeuralAtlas.AtlasFormatException>(() => new NeuralAtlas.Onnx.OnnxModule(NeuralAtlas.Onnx.OnnxModel.Load(dir.File("m.onnx"))));
        Assert.Contains("node '/up/Resize' (Resize) asks for mode cubic (2 such nodes", e.Message);

        var a = CliRunner.Run("activations", "--onnx", dir.File("m.onnx"), "--count", "2", "--out", dir.File("a.npz"));
        Assert.Equal(2, a.ExitCode);
        Assert.Contains("mode cubic", a.Err);

        var fine = CliRunner.Run("onnx", "inspect", "--no-nodes", Fixtures.Path("onnx", "ops_resize_linear.onnx"));
        Assert.Contains("unsupported attributes: none", fine.Out);
    }

    [Fact]
    public void ReflectPadsAsLongAsTheAxisAreANamedError()
    {
        var w = new NeuralAtlas.Onnx.OnnxGraphWriter();
        w.Add("Pad", "pad", new[] { "x", w.Ints("pad", 0, 3, 0, 1) }, new[]
        {
            new NeuralAtlas.Onnx.Proto.AttributeProto { Name = "mode", Type = NeuralAtlas.Onnx.Proto.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("reflect") },
        }, "y");
        var t = new NeuralAtlas.Onnx.Proto.TypeProto { TensorType = new NeuralAtlas.Onnx.Proto.TypeProto.Types.Tensor { ElemType = 1 } };
        w.Graph.Input.Add(new NeuralAtlas.Onnx.Proto.ValueInfoProto { Name = "x", Type = t });
        w.Graph.Output.Add(new NeuralAtlas.Onnx.Proto.ValueInfoProto { Name = "y", Type = t });
        var m = new NeuralAtlas.Onnx.Proto.ModelProto { IrVersion = 8, Graph = w.Graph };
        m.OpsetImport.Add(new NeuralAtlas.Onnx.Proto.OperatorSetIdProto { Domain = "", Version = 13 });
        var model = new NeuralAtlas.Onnx.OnnxModule(NeuralAtlas.Onnx.OnnxModel.Parse(Google.Protobuf.MessageExtensions.ToByteArray(m), "pad.onnx"));
        // Three on the left of a length-3 axis cannot mirror (F.pad refuses it too); on length 5, 3 left and 1 right can.
        var e = Assert.Throws<NeuralAtlas.AtlasFormatException>(() => model.Forward(new NeuralAtlas.Autograd.Var(new NeuralAtlas.Tensors.Tensor(2, 3))));
        Assert.Contains("reflect pads below the axis length 3", e.Message);
        var ok = model.Forward(new NeuralAtlas.Autograd.Var(new NeuralAtlas.Tensors.Tensor(new[] { 1, 5 }, new[] { 0f, 1, 2, 3, 4 }))).Value;
        Assert.Equal(new[] { 3f, 2, 1, 0, 1, 2, 3, 4, 3 }, ok.Data);
    }

    [Fact]
    public void OperatorsCommandListsEverySupportedOperatorWithItsLimits()
    {
        var r = CliRunner.Run("onnx", "operators");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"supported operators: {NeuralAtlas.Onnx.OnnxOperators.Supported.Count} ", r.Out);
        foreach (var op in NeuralAtlas.Onnx.OnnxOperators.Planned) Assert.Contains($"\n  {op}", r.Out.Replace("\r", ""));
        Assert.Contains("  Resize\tnot supported: mode cubic", r.Out);
        Assert.Contains("  Pad\tnot supported: mode wrap", r.Out);
    }
}
