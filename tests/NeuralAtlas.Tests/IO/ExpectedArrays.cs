using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

/// <summary>Reads io/expected.json (written by tools/fixtures/io_formats.py) and compares arrays to it bit-exactly.</summary>
public static class ExpectedArrays
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("io", "expected.json"))).RootElement);

    public static JsonElement Get(string key) => Root.Value.GetProperty(key);

    public static void AssertMatches(string key, NdArray a)
    {
        var e = Get(key);
        Assert.Equal(e.GetProperty("dtype").GetString(), a.DType == NdType.BFloat16 ? "bf16" : a.DType.NumpyName());
        Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray(), a.Shape);
        var want = e.GetProperty("values").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.Equal(want.Length, (int)a.Count);
        if (a.DType.IsFloat())
        {
            double[] got = a.ToDoubles();
            for (int i = 0; i < want.Length; i++)
            {
                double w = double.Parse(want[i], CultureInfo.InvariantCulture);
                Assert.True(BitConverter.DoubleToInt64Bits(w) == BitConverter.DoubleToInt64Bits(got[i]) || (double.IsNaN(w) && double.IsNaN(got[i])),
                    $"{key}[{i}]: expected {want[i]}, got {got[i].ToString("R", CultureInfo.InvariantCulture)}");
            }
        }
        else if (a.DType == NdType.UInt64)
        {
            for (int i = 0; i < want.Length; i++)
                Assert.Equal(ulong.Parse(want[i], CultureInfo.InvariantCulture), BinaryPrimitives.ReadUInt64LittleEndian(a.Data.AsSpan(8 * i)));
        }
        else
        {
            long[] got = a.ToInt64s();
            for (int i = 0; i < want.Length; i++) Assert.Equal(long.Parse(want[i], CultureInfo.InvariantCulture), got[i]);
        }
    }
}
