namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>Counting and enumerating set partitions: Stirling numbers of the second kind and Bell numbers.</summary>
public static class SetPartitions
{
    /// <summary>Enumeration stops here: Bell(12) = 4,213,597 partitions; Bell(13) is already 27.6 million.</summary>
    public const int MaxPoints = 12;

    /// <summary>S(m, t): the number of partitions of m points into exactly t blocks (exact; throws on overflow).</summary>
    public static long Stirling2(int m, int t)
    {
        if (m < 0 || t < 0) throw new AtlasArgumentException("stirling", $"S({m},{t}) needs non-negative arguments");
        if (t > m) return 0;
        if (m == 0) return 1;
        // Row by row: S(i, j) = j·S(i−1, j) + S(i−1, j−1).
        var row = new long[t + 1];
        row[0] = 1;
        for (int i = 1; i <= m; i++)
            for (int j = Math.Min(i, t); j >= 0; j--)
                row[j] = j == 0 ? 0 : checked(j * row[j] + row[j - 1]);
        return row[t];
    }

    /// <summary>Bell(m): the number of partitions of m points.</summary>
    public static long Bell(int m)
    {
        long s = 0;
        for (int t = 0; t <= m; t++) s = checked(s + Stirling2(m, t));
        return s;
    }

    /// <summary>Σ_{t ≤ maxBlocks} S(m, t): partitions of m points into at most maxBlocks blocks.</summary>
    public static long CountAtMost(int m, int maxBlocks)
    {
        long s = 0;
        for (int t = 0; t <= Math.Min(m, maxBlocks); t++) s = checked(s + Stirling2(m, t));
        return s;
    }

    /// <summary>
    /// Restricted growth strings of length m with at most maxBlocks distinct values, in lexicographic order
    /// (a[0] = 0, a[i] ≤ 1 + max(a[0..i−1])).
    /// </summary>
    public static IEnumerable<int[]> RestrictedGrowthStrings(int m, int maxBlocks)
    {
        if (m < 0) throw new AtlasArgumentException("points", $"must be ≥ 0, got {m}");
        if (m > MaxPoints)
            throw new AtlasArgumentException("points", $"{m} points have Bell({m}) = {Bell(m):N0} partitions; at most {MaxPoints} points are enumerated");
        if (m == 0) { yield return Array.Empty<int>(); yield break; }
        if (maxBlocks < 1) yield break;
        var a = new int[m];
        var max = new int[m]; // max[i] = max(a[0..i])
        while (true)
        {
            yield return (int[])a.Clone();
            int i = m - 1;
            while (i > 0 && (a[i] > max[i - 1] || a[i] + 1 >= maxBlocks)) i--;
            if (i == 0) yield break;
            a[i]++;
            max[i] = Math.Max(max[i - 1], a[i]);
            for (int j = i + 1; j < m; j++) { a[j] = 0; max[j] = max[i]; }
        }
    }

    /// <summary>All partitions of top + bottom points with at most maxBlocks blocks.</summary>
    public static IEnumerable<SetPartition> Enumerate(int top, int bottom, int maxBlocks = int.MaxValue) =>
        RestrictedGrowthStrings(top + bottom, maxBlocks).Select(rgs => new SetPartition(top, bottom, rgs));
}
