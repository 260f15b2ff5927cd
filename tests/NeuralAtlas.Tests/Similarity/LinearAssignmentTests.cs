using System.Text.Json;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Similarity;

/// <summary>The Hungarian solver against scipy.optimize.linear_sum_assignment and brute force.</summary>
public class LinearAssignmentTests
{
    [Fact]
    public void MatchesScipy()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("similarity", "hungarian.json")));
        int count = 0;
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var rows = c.GetProperty("cost").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var m = DMatrix.FromRows(rows);
            bool maximize = c.GetProperty("maximize").GetBoolean();
            var a = LinearAssignment.Solve(m, maximize);
            Assert.Equal(c.GetProperty("total").GetDouble(), a.Total, 9);
            // A valid injective assignment of the smaller side whose cost is the reported total.
            int k = Math.Min(m.Rows, m.Cols);
            Assert.Equal(k, a.RowToColumn.Count(j => j >= 0));
            Assert.Equal(k, a.RowToColumn.Where(j => j >= 0).Distinct().Count());
            double total = 0;
            for (int i = 0; i < m.Rows; i++)
                if (a.RowToColumn[i] >= 0) { total += m[i, a.RowToColumn[i]]; Assert.Equal(i, a.ColumnToRow[a.RowToColumn[i]]); }
            Assert.Equal(a.Total, total, 12);
            if (c.GetProperty("unique").GetBoolean())
            {
                var sr = c.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var sc = c.GetProperty("cols").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                for (int t = 0; t < sr.Length; t++) Assert.Equal(sc[t], a.RowToColumn[sr[t]]);
            }
            count++;
        }
        Assert.True(count >= 14);
    }

    [Fact]
    public void MatchesBruteForceOnSmallMatrices()
    {
        var rng = new NeuralAtlas.Tensors.Rng(5);
        for (int trial = 0; trial < 40; trial++)
        {
            int n = 1 + rng.NextInt(6);
            var m = new DMatrix(n, n);
            for (int i = 0; i < m.Data.Length; i++) m.Data[i] = rng.NextInt(4) - 1.5 * rng.NextDouble();
            double best = double.PositiveInfinity;
            foreach (var p in Permutations(Enumerable.Range(0, n).ToArray(), 0))
                best = Math.Min(best, Enumerable.Range(0, n).Sum(i => m[i, p[i]]));
            Assert.Equal(best, LinearAssignment.Solve(m).Total, 10);
        }
    }

    private static IEnumerable<int[]> Permutations(int[] a, int k)
    {
        if (k == a.Length) { yield return (int[])a.Clone(); yield break; }
        for (int i = k; i < a.Length; i++)
        {
            (a[k], a[i]) = (a[i], a[k]);
            foreach (var p in Permutations(a, k + 1)) yield return p;
            (a[k], a[i]) = (a[i], a[k]);
        }
    }

    [Fact]
    public void RejectsNonFiniteCosts()
    {
        var m = new DMatrix(2, 2);
        m[1, 0] = double.NaN;
        var e = Assert.Throws<AtlasArgumentException>(() => LinearAssignment.Solve(m));
        Assert.Contains("(1, 0)", e.Message);
    }

    [Fact]
    public void EmptyMatrixIsEmptyAssignment()
    {
        var a = LinearAssignment.Solve(new DMatrix(0, 3));
        Assert.Empty(a.RowToColumn);
        Assert.Equal(new[] { -1, -1, -1 }, a.ColumnToRow);
    }
}
