using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// A labelled data set of quivers drawn from the mutation classes of A, D, E, Ã, D̃, Ẽ for a range of vertex counts.
/// Labels are <see cref="QuiverFamily"/> values (A = 0, D = 1, E = 2, Ã = 3, D̃ = 4, Ẽ = 5); every Ã_(p,q) with
/// p + q = n is labelled Ã. npz arrays: <c>matrices</c> int8 m×N×N (exchange matrices, zero-padded to the largest
/// N), <c>vertices</c> int64 m, <c>label</c> int64 m, <c>rank</c> int64 m (the type's rank), <c>p</c> int64 m
/// (Ã's p, else 0).
/// </summary>
public sealed class QuiverDataset
{
    public sealed record Item(Quiver Quiver, QuiverType Type);

    public IReadOnlyList<Item> Items { get; }

    public QuiverDataset(IReadOnlyList<Item> items) => Items = items;

    /// <summary>Every type of the given families with minVertices ≤ rank ≤ maxVertices that exists.</summary>
    public static IEnumerable<QuiverType> Types(int minVertices, int maxVertices, IEnumerable<QuiverFamily> families)
    {
        foreach (var f in families)
            for (int n = Math.Max(1, minVertices); n <= maxVertices; n++)
            {
                if (f == QuiverFamily.AffineA)
                {
                    for (int p = (n + 1) / 2; p < n; p++) yield return QuiverType.Create(f, n, p);
                    continue;
                }
                QuiverType? t = null;
                try { t = QuiverType.Create(f, n); } catch (AtlasArgumentException) { }
                if (t is not null) yield return t;
            }
    }

    /// <summary>
    /// Enumerates each type's class and keeps at most <paramref name="maxPerType"/> quivers of it (a seeded sample;
    /// 0 = all). Each kept quiver is shown under a random relabelling of its vertices, so labels cannot be read off
    /// the canonical numbering.
    /// </summary>
    public static QuiverDataset Build(IEnumerable<QuiverType> types, int maxPerType, ulong seed)
    {
        if (maxPerType < 0) throw new AtlasArgumentException("max-per-type", $"must be non-negative, got {maxPerType}");
        var rng = new Rng(seed);
        var items = new List<Item>();
        foreach (var t in types)
        {
            var cls = MutationClass.Enumerate(t.Representative());
            IEnumerable<Quiver> pick = cls;
            if (maxPerType > 0 && cls.Count > maxPerType)
            {
                var idx = rng.Permutation(cls.Count)[..maxPerType];
                Array.Sort(idx);
                pick = idx.Select(i => cls[i]);
            }
            foreach (var q in pick) items.Add(new Item(q.Permute(rng.Permutation(q.N)), t));
        }
        return new QuiverDataset(items);
    }

    public void Save(string path)
    {
        int m = Items.Count;
        int nmax = Items.Count == 0 ? 0 : Items.Max(i => i.Quiver.N);
        var mats = new sbyte[(long)m * nmax * nmax];
        for (int s = 0; s < m; s++)
        {
            var q = Items[s].Quiver;
            for (int i = 0; i < q.N; i++)
                for (int j = 0; j < q.N; j++)
                    mats[(long)s * nmax * nmax + i * nmax + j] = (sbyte)q[i, j];
        }
        Npz.Write(path, new KeyValuePair<string, NdArray>[]
        {
            new("matrices", NdArray.From(mats, m, nmax, nmax)),
            new("vertices", NdArray.From(Items.Select(i => (long)i.Quiver.N).ToArray(), m)),
            new("label", NdArray.From(Items.Select(i => (long)i.Type.Family).ToArray(), m)),
            new("rank", NdArray.From(Items.Select(i => (long)i.Type.Rank).ToArray(), m)),
            new("p", NdArray.From(Items.Select(i => (long)i.Type.P).ToArray(), m)),
        });
    }
}
