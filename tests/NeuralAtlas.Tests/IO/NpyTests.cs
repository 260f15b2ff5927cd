using System.Buffers.Binary;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.IO;

public class NpyTests
{
    public static TheoryData<string> NumpyFiles => new()
    {
        "npy_f2.npy", "npy_f4.npy", "npy_f8.npy", "npy_i1.npy", "npy_i2.npy", "npy_i4.npy", "npy_i8.npy",
        "npy_u1.npy", "npy_u2.npy", "npy_u4.npy", "npy_u8.npy", "npy_b1.npy", "npy_v2.npy", "npy_v3.npy",
        "npy_scalar.npy", "npy_empty.npy", "npy_vector.npy", "npy_fortran.npy", "npy_bigendian.npy", "npy_bigendian_i4.npy",
    };

    [Theory]
    [MemberData(nameof(NumpyFiles))]
    public void ReadsWhatNumpyWrote(string file)
    {
        var a = Npy.Read(Fixtures.Path("io", file));
        ExpectedArrays.AssertMatches(file, a);
    }

    [Theory]
    [MemberData(nameof(NumpyFiles))]
    public void RoundTripsThroughOurWriterToTheSameBytesOfData(string file)
    {
        var a = Npy.Read(Fixtures.Path("io", file));
        using var dir = new TempDir();
        Npy.Write(dir.File("x.npy"), a);
        var b = Npy.Read(dir.File("x.npy"));
        Assert.Equal(a.DType, b.DType);
        Assert.Equal(a.Shape, b.Shape);
        Assert.Equal(a.Data, b.Data);
        // numpy's layout rule: the data starts at a multiple of 64 bytes.
        Assert.Equal(0, (new FileInfo(dir.File("x.npy")).Length - a.Data.Length) % 64);
    }

    [Fact]
    public void OurFloat32WriterIsByteIdenticalToNumpy()
    {
        // numpy.save of a C-order <f4 array: our header and padding must be the same bytes.
        byte[] numpy = File.ReadAllBytes(Fixtures.Path("io", "npy_f4.npy"));
        var a = Npy.Read(Fixtures.Path("io", "npy_f4.npy"));
        Assert.Equal(numpy, Npy.ToBytes(a));
    }

    [Fact]
    public void ConversionsAgreeWithTheStoredValues()
    {
        var a = Npy.Read(Fixtures.Path("io", "npy_fortran.npy"));
        // numpy: np.arange(24).reshape(2,3,4) * 0.5 - 3, so element [i,j,k] = (12i + 4j + k) / 2 - 3.
        Tensor t = a.ToTensor();
        Assert.Equal(new[] { 2, 3, 4 }, t.Shape);
        Assert.Equal((12 * 1 + 4 * 2 + 3) / 2.0f - 3, t[1, 2, 3]);
        var m = a.ToDMatrix();
        Assert.Equal((2, 12), (m.Rows, m.Cols));
        Assert.Equal((12 + 4 * 1 + 2) / 2.0 - 3, m[1, 6]);
        Assert.Equal(new long[] { -3, -2, -1, 0, 1, 2, 3 }, Npy.Read(Fixtures.Path("io", "npy_vector.npy")).ToInt64s());
        Assert.Throws<AtlasArgumentException>(() => a.ToInt64s());
    }

    [Fact]
    public void WritesTensorsAndDoubles()
    {
        using var dir = new TempDir();
        var t = Tensor.FromArray(new[] { 1f, -2f, 3.5f, float.Epsilon, 0f, 1e30f }, 2, 3);
        Npy.Write(dir.File("t.npy"), t);
        var back = Npy.Read(dir.File("t.npy"));
        Assert.Equal(NdType.Float32, back.DType);
        Assert.Equal(t.Data, back.ToTensor().Data);
        Npy.Write(dir.File("d.npy"), new[] { Math.PI, -0.0, 1e-300 }, new[] { 3 });
        Assert.Equal(new[] { Math.PI, -0.0, 1e-300 }, Npy.Read(dir.File("d.npy")).ToDoubles());
    }

    [Fact]
    public void EveryTruncationIsAFormatErrorNamingTheFile()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "npy_f8.npy"));
        for (int len = 0; len < full.Length; len++)
        {
            var e = Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, len), "cut.npy"));
            Assert.Equal("cut.npy", e.File);
            Assert.InRange(e.Offset, 0, len);
        }
    }

    [Fact]
    public void TruncationErrorsPointAtTheMissingPart()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "npy_f8.npy"));
        Assert.Contains("magic", Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, 3), "f")).Message);
        Assert.Contains("version", Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, 7), "f")).Message);
        Assert.Contains("header length", Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, 9), "f")).Message);
        Assert.Contains("header", Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, 40), "f")).Message);
        var e = Assert.Throws<AtlasFormatException>(() => Npy.Parse(full.AsSpan(0, full.Length - 1), "f"));
        Assert.Contains("96 data bytes", e.Message);
    }

    [Fact]
    public void WrongMagicVersionAndLyingLengthsAreRejected()
    {
        byte[] full = File.ReadAllBytes(Fixtures.Path("io", "npy_f4.npy"));
        byte[] bad = (byte[])full.Clone();
        bad[1] = (byte)'X';
        Assert.Equal(1, Assert.Throws<AtlasFormatException>(() => Npy.Parse(bad, "f")).Offset);
        bad = (byte[])full.Clone();
        bad[6] = 9;
        Assert.Equal(6, Assert.Throws<AtlasFormatException>(() => Npy.Parse(bad, "f")).Offset);
        // Header length claiming more than the file holds.
        bad = (byte[])full.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(8), 60000);
        Assert.Contains("60000-byte npy header", Assert.Throws<AtlasFormatException>(() => Npy.Parse(bad, "f")).Message);
        // Header length claiming less: the dict is cut off.
        bad = (byte[])full.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(8), 20);
        Assert.Throws<AtlasFormatException>(() => Npy.Parse(bad, "f"));
        // A shape that promises more data than there is, and trailing garbage.
        string text = System.Text.Encoding.Latin1.GetString(full);
        byte[] bigger = System.Text.Encoding.Latin1.GetBytes(text.Replace("(3, 4)", "(3, 5)"));
        Assert.Contains("file ends", Assert.Throws<AtlasFormatException>(() => Npy.Parse(bigger, "f")).Message);
        byte[] longer = full.Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Contains("3 extra bytes", Assert.Throws<AtlasFormatException>(() => Npy.Parse(longer, "f")).Message);
    }

    [Theory]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "numeric dtype")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': 1, 'shape': (2,), }", "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", "'}'")]
    [InlineData("{'descr: '<f4'}", "':'")]
    [InlineData("['descr']", "'{'")]
    public void MalformedHeadersNameWhatWasExpected(string dict, string expected)
    {
        byte[] header = System.Text.Encoding.ASCII.GetBytes(dict + "\n");
        var bytes = new byte[10 + header.Length + 8];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        header.CopyTo(bytes, 10);
        var e = Assert.Throws<AtlasFormatException>(() => Npy.Parse(bytes, "h.npy"));
        Assert.Contains(expected, e.Message);
        Assert.InRange(e.Offset, 10, 10 + header.Length);
    }
}
