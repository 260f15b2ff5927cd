using System.Text.Json;
using Google.Protobuf;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx;
using NeuralAtlas.Onnx.Proto;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Onnx;

public class OnnxModelTests
{
    private static readonly Lazy<JsonElement> Facts = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("onnx", "facts.json"))).RootElement);

    [Fact]
    public void OurSchemaHasTheFieldNumbersOfTheOnnxPackage()
    {
        // field_numbers.json is read from onnx's own compiled descriptors (onnx 1.12); our .proto is written by hand.
        var json = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("onnx", "field_numbers.json"))).RootElement;
        var messages = typeof(ModelProto).Assembly.GetTypes()
            .Where(t => t.Namespace == "NeuralAtlas.Onnx.Proto" && typeof(IMessage).IsAssignableFrom(t))
            .Select(t => (IMessage)Activator.CreateInstance(t)!)
            .ToDictionary(m => m.Descriptor.FullName.Replace("neuralatlas.onnx.", ""), m => m.Descriptor);
        int checkedFields = 0;
        foreach (var msg in json.EnumerateObject())
        {
            Assert.True(messages.TryGetValue(msg.Name, out var d), $"message {msg.Name} is missing from onnx.proto");
            foreach (var f in msg.Value.EnumerateObject())
            {
                var field = d!.FindFieldByName(f.Name);
                Assert.True(field is not null, $"{msg.Name}.{f.Name} is missing from onnx.proto");
                Assert.Equal(f.Value.GetInt32(), field!.FieldNumber);
                checkedFields++;
            }
        }
        Assert.True(checkedFields > 100);
    }

    [Theory]
    [InlineData("cnn.onnx")]
    [InlineData("mlp_gelu.onnx")]
    [InlineData("mlp_external.onnx")]
    [InlineData("resnet20.onnx")]
    [InlineData("transformer.onnx")]
    [InlineData("typed_fields.onnx")]
    public void ReadsWhatTheOnnxPackageSees(string file)
    {
        var m = OnnxModel.Load(Fixtures.Path("onnx", file));
        var f = Facts.Value.GetProperty(file);
        Assert.Equal(f.GetProperty("ir_version").GetInt64(), m.IrVersion);
        Assert.Equal(f.GetProperty("producer").GetString(), m.ProducerName);
        Assert.Equal(f.GetProperty("opsets").EnumerateObject().Select(o => (o.Name, o.Value.GetInt64())), m.Opsets.Select(o => (o.Domain, o.Version)));
        void SameValues(JsonElement want, IReadOnlyList<OnnxValueInfo> got)
        {
            Assert.Equal(want.GetArrayLength(), got.Count);
            int i = 0;
            foreach (var v in want.EnumerateArray())
            {
                Assert.Equal(v.GetProperty("name").GetString(), got[i].Name);
                Assert.Equal(v.GetProperty("shape").EnumerateArray().Select(d => d.ToString()), got[i].Shape);
                Assert.Equal("float32", got[i].ElementType);
                i++;
            }
        }
        SameValues(f.GetProperty("inputs"), m.Inputs);
        SameValues(f.GetProperty("outputs"), m.Outputs);
        var nodes = f.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(nodes.Count, m.Nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            Assert.Equal(nodes[i].GetProperty("op_type").GetString(), m.Nodes[i].OpType);
            Assert.Equal(nodes[i].GetProperty("inputs").EnumerateArray().Select(x => x.GetString()), m.Nodes[i].Inputs);
            Assert.Equal(nodes[i].GetProperty("outputs").EnumerateArray().Select(x => x.GetString()), m.Nodes[i].Outputs);
            string name = nodes[i].GetProperty("name").GetString()!;
            if (name.Length > 0) Assert.Equal(name, m.Nodes[i].Name);
        }
        var inits = f.GetProperty("initializers");
        Assert.Equal(inits.EnumerateObject().Count(), m.Initializers.Count);
        foreach (var p in inits.EnumerateObject())
        {
            var a = m.Initializers[p.Name];
            Assert.Equal(p.Value.GetProperty("dims").EnumerateArray().Select(x => x.GetInt32()), a.Shape);
            double[] v = a.ToDoubles();
            Assert.Equal(p.Value.GetProperty("first").EnumerateArray().Select(x => x.GetDouble()), v.Take(3));
            double sum = p.Value.GetProperty("sum").GetDouble();
            Assert.True(Math.Abs(v.Sum() - sum) <= 1e-9 * Math.Max(1, v.Sum(Math.Abs)), $"{p.Name}: sum {v.Sum()} vs {sum}");
        }
    }

    [Fact]
    public void TypedFieldInitializersDecodeExactly()
    {
        var m = OnnxModel.Load(Fixtures.Path("onnx", "typed_fields.onnx"));
        var want = Facts.Value.GetProperty("typed_fields.onnx").GetProperty("values");
        foreach (var name in new[] { "W", "half", "dbl", "raw" })
            Assert.Equal(want.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()), m.Initializers[name].ToDoubles());
        Assert.Equal(new long[] { 3, 2 }, m.Initializers["shape"].ToInt64s());
        Assert.Equal(NdType.Bool, m.Initializers["flags"].DType);
        Assert.Equal(new long[] { 1, 0, 1 }, m.Initializers["flags"].ToInt64s());
        Assert.Equal(NdType.Float16, m.Initializers["half"].DType);
        var einsum = m.Nodes.Single(n => n.OpType == "Einsum");
        Assert.Equal("ij,ij->i", einsum.Attributes["equation"].String);
        Assert.Equal(new[] { "weird0" }, OnnxOperators.Unsupported(m).Select(n => n.Name));
        Assert.Empty(OnnxOperators.Unsupported(OnnxModel.Load(Fixtures.Path("onnx", "resnet20.onnx"))));
    }

    [Fact]
    public void AttributesOfExportedNodesAreDecoded()
    {
        var m = OnnxModel.Load(Fixtures.Path("onnx", "cnn.onnx"));
        var conv = m.Nodes.First(n => n.OpType == "Conv");
        Assert.Equal(new long[] { 3, 3 }, conv.Attributes["kernel_shape"].Ints);
        Assert.Equal(new long[] { 0, 0, 0, 0 }, conv.Attributes["pads"].Ints);
        var gemm = m.Nodes.First(n => n.OpType == "Gemm");
        Assert.Equal(1L, gemm.Attributes["transB"].Int);
        Assert.Equal(1f, gemm.Attributes["alpha"].Float);
    }

    [Fact]
    public void ExternalDataLoadsTheSameWeightsAndIsFoldedInOnSave()
    {
        var inline = OnnxModel.Load(Fixtures.Path("onnx", "mlp_gelu.onnx"));
        var ext = OnnxModel.Load(Fixtures.Path("onnx", "mlp_external.onnx"));
        Assert.Equal(inline.Initializers.Keys, ext.Initializers.Keys);
        foreach (var (k, a) in inline.Initializers) Assert.Equal(a.Data, ext.Initializers[k].Data);
        using var dir = new TempDir();
        ext.Save(dir.File("self_contained.onnx"));
        var back = OnnxModel.Load(dir.File("self_contained.onnx"));
        foreach (var (k, a) in inline.Initializers) Assert.Equal(a.Data, back.Initializers[k].Data);
        Assert.Equal(inline.Nodes.Select(n => n.OpType), back.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void MissingOrEscapingExternalDataIsAClearError()
    {
        using var dir = new TempDir();
        File.Copy(Fixtures.Path("onnx", "mlp_external.onnx"), dir.File("m.onnx"));
        var e = Assert.Throws<AtlasFormatException>(() => OnnxModel.Load(dir.File("m.onnx")));
        Assert.Contains("mlp_external.weights", e.Message);
        Assert.Contains("missing", e.Message);

        File.WriteAllBytes(dir.File("mlp_external.weights"), new byte[10]);
        Assert.Contains("file ends first", Assert.Throws<AtlasFormatException>(() => OnnxModel.Load(dir.File("m.onnx"))).Message);

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(dir.File("m.onnx")));
        proto.Graph.Initializer[0].ExternalData.Single(kv => kv.Key == "location").Value = "../../etc/passwd";
        File.WriteAllBytes(dir.File("evil.onnx"), proto.ToByteArray());
        Assert.Contains("inside the model's folder", Assert.Throws<AtlasFormatException>(() => OnnxModel.Load(dir.File("evil.onnx"))).Message);
    }

    [Fact]
    public void EveryTruncationIsAFormatErrorWithAnOffset()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("onnx", "mlp_gelu.onnx"));
        for (int len = 0; len < full.Length; len += len < 200 ? 1 : 37)
        {
            var e = Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(full.AsSpan(0, len).ToArray(), "cut.onnx"));
            Assert.Equal("cut.onnx", e.File);
            Assert.InRange(e.Offset, 0, len);
        }
    }

    [Fact]
    public void CorruptAndInconsistentModelsAreClearErrors()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("onnx", "cnn.onnx"));
        // A lying length: the graph field claims far more bytes than the file has.
        var e = Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(full.AsSpan(0, 5000).ToArray(), "cut.onnx"));
        Assert.Contains("field 7", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(System.Text.Encoding.UTF8.GetBytes("not a model at all"), "txt"));

        var proto = ModelProto.Parser.ParseFrom(full);
        proto.Graph.Node[3].Input[0] = "no_such_value";
        e = Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(proto.ToByteArray(), "dangling.onnx"));
        Assert.Contains("no_such_value", e.Message);
        Assert.Equal(3, e.Offset);

        proto = ModelProto.Parser.ParseFrom(full);
        proto.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[12]);
        Assert.Contains("bytes of raw_data", Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(proto.ToByteArray(), "raw.onnx")).Message);

        proto = ModelProto.Parser.ParseFrom(full);
        proto.Graph.Initializer[0].DataType = 8; // string
        Assert.Contains("numeric tensor type", Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(proto.ToByteArray(), "str.onnx")).Message);

        Assert.Contains("graph", Assert.Throws<AtlasFormatException>(() => OnnxModel.Parse(new ModelProto { IrVersion = 7 }.ToByteArray(), "empty.onnx")).Message);
    }
}
