using System.Buffers.Binary;
using System.Text;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class SafetensorsTests
{
    private static byte[] Build(string json, int dataBytes, ulong? lyingLength = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, lyingLength ?? (ulong)h.Length);
        h.CopyTo(b, 8);
        for (int i = 8 + h.Length; i < b.Length; i++) b[i] = (byte)i;
        return b;
    }

    [Theory]
    [InlineData("st_dtypes.safetensors")]
    [InlineData("st_state_dict.safetensors")]
    public void ReadsFilesWrittenFromThePublishedFormat(string file)
    {
        var c = Safetensors.Read(Fixtures.Path("io", file));
        var e = ExpectedArrays.Get(file);
        Assert.Equal(e.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToArray(), c.Tensors.Keys.ToArray());
        foreach (var (k, a) in c.Tensors) ExpectedArrays.AssertMatches(file + "/" + k, a);
        if (e.TryGetProperty("metadata", out var meta))
            foreach (var p in meta.EnumerateObject()) Assert.Equal(p.Value.GetString(), c.Metadata[p.Name]);
        else Assert.Empty(c.Metadata);
    }

    [Fact]
    public void OurWriterProducesTheSameBytesAsTheReferenceLayout()
    {
        // The fixture follows the reference writer's layout (compact JSON, space padding to 8 bytes).
        string path = Fixtures.Path("io", "st_state_dict.safetensors");
        var c = Safetensors.Read(path);
        using var dir = new TempDir();
        Safetensors.Write(dir.File("sd.safetensors"), c.Tensors);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(dir.File("sd.safetensors")));
    }

    [Fact]
    public void RoundTripsEveryDtypeWithMetadata()
    {
        var c = Safetensors.Read(Fixtures.Path("io", "st_dtypes.safetensors"));
        using var dir = new TempDir();
        Safetensors.Write(dir.File("x.safetensors"), c.Tensors, c.Metadata);
        var back = Safetensors.Read(dir.File("x.safetensors"));
        Assert.Equal(c.Tensors.Keys, back.Tensors.Keys);
        foreach (var (k, a) in c.Tensors)
        {
            Assert.Equal(a.DType, back.Tensors[k].DType);
            Assert.Equal(a.Shape, back.Tensors[k].Shape);
            Assert.Equal(a.Data, back.Tensors[k].Data);
        }
        Assert.Equal(c.Metadata, back.Metadata);
        Assert.Equal(0, (File.ReadAllBytes(dir.File("x.safetensors"))[0] + 8) % 8);
    }

    [Fact]
    public void APyTorchStateDictLoadsAsACheckpointWithItsNames()
    {
        var sd = Checkpoint.Load(Fixtures.Path("io", "st_state_dict.safetensors"));
        Assert.Equal(new[] { "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias" },
            sd.Keys.ToArray());
        Assert.Equal(new[] { 4, 1, 3, 3 }, sd["conv1.weight"].Shape);
        Assert.Equal(1f, sd["bn1.num_batches_tracked"].Data.Single());
        var model = new Dictionary<string, int[]> { ["conv1.weight"] = new[] { 4, 1, 3, 3 }, ["fc.weight"] = new[] { 3, 15 }, ["fc2.bias"] = new[] { 3 } };
        var issues = Checkpoint.Mismatches(model, sd.ToDictionary(kv => kv.Key, kv => kv.Value.Shape));
        Assert.Contains("shape: fc.weight expected [3, 15], file has [3, 16]", issues);
        Assert.Contains("missing: fc2.bias [3]", issues);
        Assert.Contains("unexpected: bn1.running_var [4]", issues);
        Assert.Equal(3 + 6, issues.Count);
    }

    [Fact]
    public void SavedCheckpointsHoldTheDtypesPyTorchWrites()
    {
        using var dir = new TempDir();
        var pytorch = Safetensors.Read(Fixtures.Path("io", "st_state_dict.safetensors"));
        var sd = Checkpoint.Load(Fixtures.Path("io", "st_state_dict.safetensors"));
        Checkpoint.Save(dir.File("ours.safetensors"), sd);
        var ours = Safetensors.Read(dir.File("ours.safetensors"));
        foreach (var (k, a) in pytorch.Tensors)
        {
            Assert.Equal((k, a.DType), (k, ours.Tensors[k].DType));
            Assert.Equal(a.Data, ours.Tensors[k].Data);
        }
    }

    [Fact]
    public void SavesTensorStateDicts()
    {
        using var dir = new TempDir();
        var sd = new Dictionary<string, Tensor> { ["fc.weight"] = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3), ["fc.bias"] = Tensor.FromArray(new[] { -1f, 1f }, 2) };
        Checkpoint.Save(dir.File("m.safetensors"), sd, new Dictionary<string, string> { ["model"] = "mlp" });
        var back = Checkpoint.Load(dir.File("m.safetensors"));
        Assert.Equal(sd["fc.weight"].Data, back["fc.weight"].Data);
        Assert.Equal("mlp", Safetensors.Read(dir.File("m.safetensors")).Metadata["model"]);
    }

    [Fact]
    public void EveryTruncationIsAFormatError()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "st_dtypes.safetensors"));
        for (int len = 0; len < full.Length; len++)
        {
            var e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(full.AsSpan(0, len), "cut"));
            Assert.InRange(e.Offset, 0, len);
        }
    }

    [Fact]
    public void OversizedAndLyingHeaderLengthsAreRejected()
    {
        byte[] ok = Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        Assert.Equal(2, Safetensors.Parse(ok, "ok").Tensors["a"].Count);
        var e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(Build("{}", 0, lyingLength: 200_000_000), "big"));
        Assert.Contains("at most 100000000", e.Message);
        Assert.Equal(0, e.Offset);
        e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(Build("{}", 0, lyingLength: 5000), "lie"));
        Assert.Contains("5000-byte JSON header", e.Message);
        // A header length that is too short cuts the JSON.
        e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, lyingLength: 20), "short"));
        Assert.InRange(e.Offset, 8, 28);
    }

    [Theory]
    [InlineData("[1,2]", "'{' starting")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]", "valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}}", "valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"U8\" \"shape\":[2],\"data_offsets\":[0,2]}}", "valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,2]}}", "not 'Q7'")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[-2],\"data_offsets\":[0,2]}}", "shape entries")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0]}}", "exactly two")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2]}}", "data_offsets is missing")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2],\"x\":1}}", "not 'x'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,2]}}", "to span 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,0]}}", "begin ≤ end")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", "repeats")]
    [InlineData("{\"__metadata__\":{\"k\":3},\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", "string value")]
    public void MalformedHeadersNameWhatWasExpected(string json, string expected)
    {
        var e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(Build(json, 4), "h.safetensors"));
        Assert.Contains(expected, e.Message);
        Assert.Equal("h.safetensors", e.File);
        Assert.InRange(e.Offset, 0, 8 + json.Length + 4);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4, "overlaps 'a'")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 4, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4, "a gap of 1 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3, "to begin at buffer offset 0")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[6],\"data_offsets\":[0,6]}}", 4, "within the 4-byte data buffer")]
    [InlineData("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 4, "2 bytes are not covered")]
    public void OffsetsMustTileTheBuffer(string json, int dataBytes, string expected)
    {
        var e = Assert.Throws<AtlasFormatException>(() => Safetensors.Parse(Build(json, dataBytes), "o.safetensors"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BFloat16ConversionRoundsToNearestEven()
    {
        Assert.Equal(0x3F80, NdArray.SingleToBFloat16(1f));
        // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1).
        Assert.Equal(0x3F80, NdArray.SingleToBFloat16(1f + 1f / 256));
        Assert.Equal(0x3F81, NdArray.SingleToBFloat16(1f + 3f / 512));
        Assert.Equal(-2.5f, NdArray.BFloat16ToSingle(NdArray.SingleToBFloat16(-2.5f)));
    }
}
