using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Native;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Geometry;

public class NearestNeighborsTests
{
    [Theory]
    [InlineData("sphere", KnnAlgorithm.KdTree)]
    [InlineData("sphere", KnnAlgorithm.BruteForce)]
    [InlineData("gauss", KnnAlgorithm.BruteForce)]
    [InlineData("gauss", KnnAlgorithm.KdTree)]
    [InlineData("swiss", KnnAlgorithm.Auto)]
    public void MatchesScikitLearn(string set, KnnAlgorithm algorithm)
    {
        var x = IdReference.Points(set);
        var sk = IdReference.SklearnKnn(set);
        var exact = IdReference.Get(set + "_exact");
        var ours = NearestNeighbors.Search(x, sk.K, algorithm);
        Assert.Equal(sk.Indices, ours.Indices);
        // Our distances are exact (coordinate differences); scikit-learn's brute path uses the GEMM expansion.
        IdReference.Close(exact, ours.Distances, 1e-13, "exact distance");
        IdReference.Close(sk.Distances, ours.Distances, 1e-9, "sklearn distance");
    }

    [Fact]
    public void TreeAndBruteForceAgreeIncludingTiesAndDuplicates()
    {
        // Integer lattice points with repeats: many exactly equal distances, ties broken by index in both.
        var rng = new Rng(3);
        var x = new DMatrix(300, 3);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextInt(5);
        var a = NearestNeighbors.Search(x, 12, KnnAlgorithm.KdTree);
        var b = NearestNeighbors.Search(x, 12, KnnAlgorithm.BruteForce);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Distances, b.Distances);
        // Against an exhaustive sort by (distance, index).
        for (int i = 0; i < x.Rows; i += 17)
        {
            var expect = Enumerable.Range(0, x.Rows).Where(j => j != i)
                .Select(j => (d: PairwiseDistances.Squared(x.Row(i), x.Row(j)), j)).OrderBy(t => t.d).ThenBy(t => t.j).Take(12).ToArray();
            Assert.Equal(expect.Select(t => t.j).ToArray(), a.IndexRow(i).ToArray());
        }
    }

    [Fact]
    public void BinaryDataWithManyTiesMatchesExhaustiveSearch()
    {
        // Sparse 0/1 vectors in R^40: squared distances are small integers, so the k-th distance ties with many
        // screened-out points and the unproved-query path decides them.
        var rng = new Rng(8);
        var x = new DMatrix(400, 40);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = rng.NextDouble() < 0.15 ? 1 : 0;
        var brute = NearestNeighbors.Search(x, 10, KnnAlgorithm.BruteForce);
        var tree = NearestNeighbors.Search(x, 10, KnnAlgorithm.KdTree);
        Assert.Equal(tree.Indices, brute.Indices);
        Assert.Equal(tree.Distances, brute.Distances);
        for (int i = 0; i < x.Rows; i += 7)
        {
            var expect = Enumerable.Range(0, x.Rows).Where(j => j != i)
                .Select(j => (d: PairwiseDistances.Squared(x.Row(i), x.Row(j)), j)).OrderBy(t => t.d).ThenBy(t => t.j).Take(10).ToArray();
            Assert.Equal(expect.Select(t => t.j).ToArray(), brute.IndexRow(i).ToArray());
        }
    }

    [Fact]
    public void DuplicatesAreNeighboursAtDistanceZero()
    {
        var x = DMatrix.FromRows(new[] { new[] { 0.0, 0 }, new[] { 1.0, 0 }, new[] { 0.0, 0 }, new[] { 5.0, 5 } });
        var r = NearestNeighbors.Search(x, 2);
        Assert.Equal(2, r.Index(0, 0));
        Assert.Equal(0.0, r.Distance(0, 0));
        Assert.Equal(0, r.Index(2, 0));
    }

    [Fact]
    public void BruteForceIsExactWhereTheExpansionCancels()
    {
        // Points far from the origin with tiny separations: ‖x‖² + ‖y‖² − 2x·y alone would lose every digit.
        var rng = new Rng(11);
        int n = 200, d = 50;
        var x = new DMatrix(n, d);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) x[i, j] = 1e6 * (j + 1) + 1e-3 * rng.Normal();
        var ours = NearestNeighbors.Search(x, 5, KnnAlgorithm.BruteForce);
        for (int i = 0; i < n; i++)
        {
            var expect = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (dd: PairwiseDistances.Squared(x.Row(i), x.Row(j)), j)).OrderBy(t => t.dd).ThenBy(t => t.j).Take(5).ToArray();
            Assert.Equal(expect.Select(t => t.j).ToArray(), ours.IndexRow(i).ToArray());
            for (int t = 0; t < 5; t++) Assert.Equal(Math.Sqrt(expect[t].dd), ours.Distance(i, t));
        }
    }

    [Fact]
    public void ManagedAndOpenBlasPathsAgree()
    {
        var x = IdReference.Points("gauss");
        bool was = OpenBlas.Enabled;
        try
        {
            OpenBlas.Enabled = false;
            var managed = NearestNeighbors.Search(x, 10, KnnAlgorithm.BruteForce);
            OpenBlas.Enabled = was;
            var native = NearestNeighbors.Search(x, 10, KnnAlgorithm.BruteForce);
            Assert.Equal(managed.Indices, native.Indices);
            Assert.Equal(managed.Distances, native.Distances);
        }
        finally { OpenBlas.Enabled = was; }
    }

    [Fact]
    public void SeparateQueriesMatchExhaustiveSearch()
    {
        var rng = new Rng(5);
        var pts = new DMatrix(150, 20);
        var qs = new DMatrix(30, 20);
        for (int i = 0; i < pts.Data.Length; i++) pts.Data[i] = rng.Normal();
        for (int i = 0; i < qs.Data.Length; i++) qs.Data[i] = rng.Normal();
        qs.Row(3).Clear();
        pts.Row(7).CopyTo(qs.Row(4)); // a query equal to a point finds it at distance 0
        foreach (var alg in new[] { KnnAlgorithm.BruteForce, KnnAlgorithm.KdTree })
        {
            var r = NearestNeighbors.Search(pts, qs, 4, alg);
            Assert.Equal(7, r.Index(4, 0));
            Assert.Equal(0.0, r.Distance(4, 0));
            var full = PairwiseDistances.Matrix(qs, pts);
            for (int i = 0; i < qs.Rows; i++)
            {
                var expect = Enumerable.Range(0, pts.Rows).OrderBy(j => full[i, j]).ThenBy(j => j).Take(4).ToArray();
                Assert.Equal(expect, r.IndexRow(i).ToArray());
            }
        }
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        var x = new DMatrix(5, 2);
        for (int i = 0; i < 10; i++) x.Data[i] = i * i;
        var e = Assert.Throws<AtlasArgumentException>(() => NearestNeighbors.Search(x, 5));
        Assert.Contains("at least 6", e.Message);
        Assert.Throws<AtlasArgumentException>(() => NearestNeighbors.Search(x, 0));
        x[2, 1] = double.NaN;
        var nan = Assert.Throws<AtlasArgumentException>(() => NearestNeighbors.Search(x, 2));
        Assert.Contains("NaN", nan.Message);
    }

    [Fact]
    public void PairCountsAreExact()
    {
        var x = IdReference.Points("swiss");
        var full = PairwiseDistances.Matrix(x);
        var radii = new[] { 0.5, 1.7, full[3, 9] }; // the last radius equals a distance: strict '<' excludes that pair
        var counts = PairwiseDistances.CountNeighborsWithin(x, radii);
        for (int t = 0; t < radii.Length; t++)
            for (int i = 0; i < x.Rows; i++)
            {
                long expect = 0;
                for (int j = 0; j < x.Rows; j++) if (j != i && full[i, j] < radii[t]) expect++;
                Assert.Equal(expect, counts[t][i]);
            }
    }
}
