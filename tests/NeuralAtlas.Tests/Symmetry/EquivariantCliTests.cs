using NeuralAtlas.IO;
using NeuralAtlas.Symmetry.PartitionAlgebra;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Symmetry;

public class EquivariantCliTests
{
    [Fact]
    public void BasisListsPartitionsAndDimension()
    {
        var r = CliRunner.Run("equivariant", "basis", "--k", "2", "--l", "2", "--n", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("dimension\t14", r.Out);
        Assert.Contains("bell(4)\t15", r.Out);
        Assert.Contains("{1,2,1',2'}", r.Out);
        Assert.DoesNotContain("{1}{2}{1'}{2'}", r.Out); // 4 blocks > n = 3
    }

    [Fact]
    public void ApplyMatchesDenseAndRejectsWrongLength()
    {
        using var tmp = new TempDir();
        var rng = new Rng(3);
        var c = Enumerable.Range(0, 15).Select(_ => rng.Normal()).ToArray();
        var x = Enumerable.Range(0, 2 * 16).Select(_ => rng.Normal()).ToArray();
        Npy.Write(tmp.File("c.npy"), c, new[] { 15 });
        Npy.Write(tmp.File("x.npy"), x, new[] { 2, 4, 4 });
        var r = CliRunner.Run("equivariant", "apply", "--k", "2", "--l", "2", "--n", "4", "--coeffs", tmp.File("c.npy"),
            "--input", tmp.File("x.npy"), "--out", tmp.File("y.npy"), "--basis", "orbit");
        Assert.True(r.ExitCode == 0, r.Err);
        var y = Npy.Read(tmp.File("y.npy"));
        Assert.Equal(new[] { 2, 4, 4 }, y.Shape);
        var basis = new EquivariantBasis(2, 2, 4);
        var dense = PartitionAlgebraTests.DenseFromDefinition(basis, c, BasisKind.Orbit);
        var yd = y.ToDoubles();
        for (int b = 0; b < 2; b++)
        {
            var expected = DenseEquivariant.Multiply(dense, x.AsSpan(16 * b, 16), 16);
            for (int i = 0; i < 16; i++) Assert.True(Math.Abs(yd[16 * b + i] - expected[i]) < 1e-10);
        }

        Npy.Write(tmp.File("bad.npy"), new double[14], new[] { 14 });
        var bad = CliRunner.Run("equivariant", "apply", "--k", "2", "--l", "2", "--n", "4", "--coeffs", tmp.File("bad.npy"),
            "--input", tmp.File("x.npy"), "--out", tmp.File("z.npy"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("expected 15 coefficients", bad.Err);
        Assert.False(File.Exists(tmp.File("z.npy")));

        var wrongShape = CliRunner.Run("equivariant", "apply", "--k", "2", "--l", "2", "--n", "5", "--coeffs", tmp.File("c.npy"),
            "--input", tmp.File("x.npy"), "--out", tmp.File("z.npy"));
        Assert.Equal(2, wrongShape.ExitCode);
        Assert.Contains("size n = 5", wrongShape.Err);
    }
}
