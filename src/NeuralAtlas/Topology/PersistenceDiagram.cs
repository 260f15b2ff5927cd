namespace NeuralAtlas.Topology;

/// <summary>
/// The intervals of one homology dimension, in the order the algorithm found them (Ripser's order). A multiset:
/// repeated points are kept.
/// </summary>
public sealed class PersistenceDiagram
{
    public int Dimension { get; }
    public IReadOnlyList<PersistenceInterval> Intervals { get; }

    public PersistenceDiagram(int dimension, IReadOnlyList<PersistenceInterval> intervals)
    {
        if (dimension < 0) throw new AtlasArgumentException("dimension", $"must be non-negative, got {dimension}");
        foreach (var iv in intervals)
        {
            if (double.IsNaN(iv.Birth) || double.IsNaN(iv.Death) || double.IsInfinity(iv.Birth))
                throw new AtlasArgumentException("intervals", $"births must be finite and deaths finite or +inf, got {iv}");
            if (iv.Death < iv.Birth)
                throw new AtlasArgumentException("intervals", $"death before birth in {iv}");
        }
        Dimension = dimension;
        Intervals = intervals;
    }

    public static PersistenceDiagram FromPairs(int dimension, IEnumerable<(double Birth, double Death)> pairs) =>
        new(dimension, pairs.Select(p => new PersistenceInterval(p.Birth, p.Death)).ToArray());

    public int Count => Intervals.Count;
    public int EssentialCount => Intervals.Count(i => i.IsEssential);
    public IEnumerable<PersistenceInterval> Finite => Intervals.Where(i => !i.IsEssential);

    /// <summary>The intervals sorted by (birth, death): a canonical form for comparing multisets.</summary>
    public PersistenceInterval[] Sorted() =>
        Intervals.OrderBy(i => i.Birth).ThenBy(i => i.Death).ToArray();
}
