using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Exactly repeated rows. Every kNN-based estimator takes logarithms of distance ratios, so a point with a twin has
/// r₁ = 0; rather than a log(0) we find the twins first and let the caller fail or drop them.
/// </summary>
public static class DuplicatePoints
{
    /// <summary>
    /// For each row, the index of the first row equal to it (itself when it is the first), comparing values exactly
    /// (−0 equals +0).
    /// </summary>
    public static int[] Representatives(DMatrix x)
    {
        int n = x.Rows;
        var rep = new int[n];
        var seen = new Dictionary<RowKey, int>();
        for (int i = 0; i < n; i++)
        {
            var key = new RowKey(x, i);
            if (seen.TryGetValue(key, out int first)) rep[i] = first;
            else { seen[key] = i; rep[i] = i; }
        }
        return rep;
    }

    /// <summary>The first copy of each distinct row, and the kept row indices (ascending).</summary>
    public static (DMatrix Unique, int[] Kept) Remove(DMatrix x)
    {
        var rep = Representatives(x);
        var kept = Enumerable.Range(0, x.Rows).Where(i => rep[i] == i).ToArray();
        var u = new DMatrix(kept.Length, x.Cols);
        for (int r = 0; r < kept.Length; r++) x.Row(kept[r]).CopyTo(u.Row(r));
        return (u, kept);
    }

    private readonly struct RowKey : IEquatable<RowKey>
    {
        private readonly DMatrix _x;
        private readonly int _row;
        private readonly int _hash;

        public RowKey(DMatrix x, int row)
        {
            _x = x;
            _row = row;
            var h = new HashCode();
            foreach (double v in x.Row(row)) h.Add(v == 0 ? 0.0 : v);
            _hash = h.ToHashCode();
        }

        public bool Equals(RowKey o)
        {
            if (_hash != o._hash) return false;
            var a = _x.Row(_row);
            var b = o._x.Row(o._row);
            for (int j = 0; j < a.Length; j++) if (a[j] != b[j]) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is RowKey k && Equals(k);
        public override int GetHashCode() => _hash;
    }
}
