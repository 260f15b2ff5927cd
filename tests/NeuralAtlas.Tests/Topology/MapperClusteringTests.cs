using System.Text.Json;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>
/// Mapper's clustering step against scikit-learn (tools/fixtures/topology_sklearn.py): with one cover interval the
/// preimage is the whole cloud, so the nodes must be exactly sklearn's DBSCAN clusters (noise dropped, border points
/// reachable from two clusters included) and its single-linkage clusters cut at eps.
/// </summary>
public class MapperClusteringTests
{
    private sealed record Case(string Name, double[] Points, int N, int D, double Eps, int MinSamples, int[] Dbscan, int[] Single);

    private static IEnumerable<Case> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("topology", "clustering.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var rows = c.GetProperty("points").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            int[] Labels(string key) => c.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
            yield return new Case(c.GetProperty("name").GetString()!, rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length,
                c.GetProperty("eps").GetDouble(), c.GetProperty("min_samples").GetInt32(), Labels("dbscan"), Labels("single"));
        }
    }

    public static TheoryData<string> Names => new(Cases().Select(c => c.Name));

    private static SortedSet<string> Partition(IEnumerable<IEnumerable<int>> clusters) =>
        new(clusters.Select(m => string.Join(",", m.OrderBy(i => i))), StringComparer.Ordinal);

    private static SortedSet<string> FromLabels(int[] labels) =>
        Partition(labels.Select((l, i) => (l, i)).Where(t => t.l >= 0).GroupBy(t => t.l, t => t.i).Select(g => (IEnumerable<int>)g));

    [Theory]
    [MemberData(nameof(Names))]
    public void OneIntervalGivesSklearnsClusters(string name)
    {
        var c = Cases().Single(x => x.Name == name);
        var lens = new[] { MapperLens.Apply(c.Points, c.N, c.D, x => x[0]) };
        foreach (var (clustering, expected) in new[] { (MapperClustering.Dbscan, c.Dbscan), (MapperClustering.SingleLinkage, c.Single) })
        {
            var g = Mapper.Build(c.Points, c.N, c.D, lens, new MapperOptions { Intervals = 1, Overlap = 0, Epsilon = c.Eps, Clustering = clustering, MinPoints = c.MinSamples });
            Assert.Equal(FromLabels(expected), Partition(g.Nodes.Select(v => v.Members)));
        }
    }
}
