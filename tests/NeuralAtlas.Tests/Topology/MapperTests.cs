using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>Mapper against the topology it must recover: a circle gives a cycle, two blobs give two components.</summary>
public class MapperTests
{
    private static double[] Circle(int n, Rng rng)
    {
        var p = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * i / n;
            p[2 * i] = Math.Cos(t) + rng.Normal(0, 0.01);
            p[2 * i + 1] = Math.Sin(t) + rng.Normal(0, 0.01);
        }
        return p;
    }

    [Theory]
    [InlineData(MapperClustering.SingleLinkage)]
    [InlineData(MapperClustering.Dbscan)]
    public void CircleGivesACycle(MapperClustering clustering)
    {
        int n = 200;
        var p = Circle(n, new Rng(1));
        var lens = MapperLens.Apply(p, n, 2, x => x[0]);
        var g = Mapper.Build(p, n, 2, new[] { lens }, new MapperOptions { Intervals = 6, Overlap = 0.3, Epsilon = 0.15, Clustering = clustering, MinPoints = 2 });
        // A cycle: as many edges as nodes, every node of degree 2, connected.
        Assert.Equal(g.Nodes.Count, g.Edges.Count);
        var deg = new int[g.Nodes.Count];
        foreach (var e in g.Edges) { deg[e.Source]++; deg[e.Target]++; }
        Assert.All(deg, x => Assert.Equal(2, x));
        // The two end intervals hold one arc each; the four inner intervals two arcs each.
        Assert.Equal(10, g.Nodes.Count);
        Assert.Equal(n, g.Nodes.SelectMany(v => v.Members).Distinct().Count());
    }

    [Fact]
    public void BlobsGiveComponentsWithPurity()
    {
        var rng = new Rng(2);
        int n = 100;
        var p = new double[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i < 50 ? 0 : 1;
            p[2 * i] = (i < 50 ? 0 : 10) + rng.Normal(0, 0.3);
            p[2 * i + 1] = rng.Normal(0, 0.3);
        }
        var lens = MapperLens.Pca(p, n, 2, 0);
        var g = Mapper.Build(p, n, 2, new[] { lens }, new MapperOptions { Intervals = 3, Overlap = 0.2, Epsilon = 2 }, labels);
        Assert.All(g.Nodes, v => Assert.Equal(1.0, v.Purity));
        Assert.Empty(g.Edges);
        Assert.Equal(2, g.Nodes.Count);
        // PCA lens separates the blobs along the first axis (sign fixed by the largest loading).
        Assert.True(Math.Abs(lens[0] - lens[99]) > 8);
    }

    [Fact]
    public void DbscanDropsNoiseAnd2DCoverWorks()
    {
        var rng = new Rng(3);
        int n = 300;
        var p = new double[2 * n];
        for (int i = 0; i < n - 1; i++) { p[2 * i] = rng.Normal(0, 0.2); p[2 * i + 1] = rng.Normal(0, 0.2); }
        p[2 * (n - 1)] = 50; p[2 * (n - 1) + 1] = 50; // an isolated outlier
        var lx = MapperLens.Apply(p, n, 2, x => x[0]);
        var ly = MapperLens.Apply(p, n, 2, x => x[1]);
        var g = Mapper.Build(p, n, 2, new[] { lx, ly }, new MapperOptions { Intervals = 2, Overlap = 0.1, Epsilon = 1, Clustering = MapperClustering.Dbscan, MinPoints = 3 });
        Assert.DoesNotContain(g.Nodes, v => v.Members.Contains(n - 1));
        Assert.All(g.Nodes, v => Assert.Equal(2, v.Cell.Length));
    }

    [Fact]
    public void CliWritesJson()
    {
        using var t = new TempDir();
        int n = 120;
        var p = Circle(n, new Rng(4));
        Npz.Write(t.File("c.npz"), new[] { new KeyValuePair<string, NdArray>("x", NdArray.FromDoubles(p, n, 2)), new("labels", NdArray.FromInt64s(Enumerable.Range(0, n).Select(i => (long)(i < 60 ? 0 : 1)).ToArray(), n)) });
        var r = CliRunner.Run("mapper", t.File("c.npz"), "--lens", "column:0", "--intervals", "6", "--eps", "0.2", "--out", t.File("g.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        var json = File.ReadAllText(t.File("g.json"));
        Assert.Contains("\"purity\"", json);
        var bad = CliRunner.Run("mapper", t.File("c.npz"), "--lens", "bogus");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--lens", bad.Err);
    }
}
