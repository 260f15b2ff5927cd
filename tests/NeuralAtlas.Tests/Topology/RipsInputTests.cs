using NeuralAtlas.IO;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>Bad input is refused with a typed error that names the line or argument; small cases against mathematics.</summary>
public class RipsInputTests
{
    private static CliRunner.Result Ph(TempDir t, string content, params string[] args)
    {
        string f = t.File("in.txt");
        File.WriteAllText(f, content);
        return CliRunner.Run(new[] { "ph", f }.Concat(args).ToArray());
    }

    [Fact]
    public void RaggedPointCloudNamesTheLine()
    {
        using var t = new TempDir();
        var r = Ph(t, "0 0\n1 0\n0 1 2\n", "--format", "point-cloud");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 3", r.Err);
    }

    [Fact]
    public void NonSquareDistanceMatrixNamesTheLine()
    {
        using var t = new TempDir();
        var r = Ph(t, "0 1 2\n1 0 3\n2 3\n", "--format", "distance");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 3", r.Err);
        Assert.Contains("square", r.Err);
    }

    [Fact]
    public void AsymmetricDistanceMatrixIsRefused()
    {
        using var t = new TempDir();
        var r = Ph(t, "0 1 2\n1 0 3\n2 4 0\n", "--format", "distance");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("symmetric", r.Err);
        Assert.Contains("line 3", r.Err);
    }

    [Theory]
    [InlineData("1\n-2 3\n", "non-negative")]
    [InlineData("1\nnan 3\n", "NaN")]
    [InlineData("1\n2 x\n", "'x'")]
    [InlineData("1\n2 3\n4\n", "triangular")]
    [InlineData("\n\n", "empty")]
    public void BadLowerTriangleIsRefused(string content, string message)
    {
        using var t = new TempDir();
        var r = Ph(t, content, "--format", "lower-distance");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
    }

    [Fact]
    public void NonSquareNpyDistanceIsRefused()
    {
        using var t = new TempDir();
        string f = t.File("d.npy");
        Npy.Write(f, NdArray.FromDoubles(new double[6], 2, 3));
        var r = CliRunner.Run("ph", f, "--format", "npy-distance");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("square", r.Err);
    }

    [Fact]
    public void ImpossibleDimensionIsRefusedWithTheEstimate()
    {
        var rng = new NeuralAtlas.Tensors.Rng(3);
        var pts = Enumerable.Range(0, 120 * 3).Select(_ => rng.NextDouble()).ToArray();
        var e = Assert.Throws<AtlasArgumentException>(() => VietorisRips.Compute(pts, 120, 3, PointMetric.Euclidean, new RipsOptions { MaxDimension = 9 }));
        Assert.Contains("GB", e.Message);
        Assert.Contains("available", e.Message);
        // Indices that cannot be encoded at all are refused before anything is allocated.
        var big = Enumerable.Range(0, 3000 * 2).Select(_ => rng.NextDouble()).ToArray();
        var e2 = Assert.Throws<AtlasArgumentException>(() => VietorisRips.Compute(big, 3000, 2, PointMetric.Euclidean, new RipsOptions { MaxDimension = 6, Threshold = 0.01 }));
        Assert.Contains("56 bits", e2.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void BadModulusIsRefused(int p)
    {
        var e = Assert.Throws<AtlasArgumentException>(() => VietorisRips.Compute(new double[] { 0, 1, 2 }, 3, 1, PointMetric.Euclidean, new RipsOptions { Modulus = p }));
        Assert.Contains("prime", e.Message);
    }

    [Fact]
    public void SquareHasOneLoopThatDiesAtTheDiagonal()
    {
        // Unit square: four edges of length 1 are born, the loop is born at 1 and dies when the diagonals √2 appear.
        var r = VietorisRips.Compute(new double[] { 0, 0, 1, 0, 1, 1, 0, 1 }, 4, 2, PointMetric.Euclidean, new RipsOptions { Threshold = 2 });
        Assert.Equal(new[] { (0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (0.0, double.PositiveInfinity) }, r[0].Sorted().Select(i => (i.Birth, i.Death)));
        Assert.Equal(new[] { (1.0, (double)(float)Math.Sqrt(2)) }, r[1].Intervals.Select(i => (i.Birth, i.Death)));
    }

    [Fact]
    public void MetricsGiveTheirDistances()
    {
        double[] p = { 1, 0, 0, 2, 3, 3 };
        Assert.Equal((float)Math.Sqrt(5), DistanceMatrix.FromPoints(p, 3, 2)[1, 0]);
        Assert.Equal(3f, DistanceMatrix.FromPoints(p, 3, 2, PointMetric.Manhattan)[1, 0]);
        Assert.Equal(2f, DistanceMatrix.FromPoints(p, 3, 2, PointMetric.Chebyshev)[1, 0]);
        Assert.Equal(1f, DistanceMatrix.FromPoints(p, 3, 2, PointMetric.Cosine)[1, 0]);
        Assert.Equal((float)(1 - 3 / Math.Sqrt(18)), DistanceMatrix.FromPoints(p, 3, 2, PointMetric.Cosine)[2, 0]);
    }

    [Fact]
    public void SparseFileAndEmbeddedDuplicatesAndSelfLoops()
    {
        using var t = new TempDir();
        // A 4-cycle given as a sparse list, with a self-pair (ignored) and a repeated pair (the smaller wins).
        var r = Ph(t, "0 1 1\n1 2 1\n2 3 1\n3 0 1\n0 0 5\n0 1 3\n", "--format", "sparse", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("[1,null]", r.Out.Replace(" ", ""));
    }

    [Fact]
    public void JsonAndNpzOutputs()
    {
        using var t = new TempDir();
        string f = t.File("pts.csv");
        File.WriteAllText(f, "0,0\n1,0\n1,1\n0,1\n");
        var r = CliRunner.Run("ph", f, "--format", "point-cloud", "--threshold", "2", "--out", t.File("d.npz"));
        Assert.True(r.ExitCode == 0, r.Err);
        var z = Npz.Read(t.File("d.npz"));
        var h1 = z["dgm1"].ToDoubles();
        Assert.Equal(new[] { 1.0, (double)(float)Math.Sqrt(2) }, h1);
        Assert.True(double.IsPositiveInfinity(z["dgm0"].ToDoubles()[^1]));
    }
}
