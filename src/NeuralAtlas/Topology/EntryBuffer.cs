namespace NeuralAtlas.Topology;

/// <summary>
/// A growable array of entries that hands out its storage without a final copy (a List's ToArray would double the
/// peak for the largest lists of the computation: the simplices and columns of the top dimensions). Grows by 1.5×.
/// </summary>
internal sealed class EntryBuffer
{
    public DiameterEntry[] Items;
    public int Count;

    private const long LargeBytes = 32L << 20;

    public EntryBuffer(int capacity = 16) => Items = new DiameterEntry[Math.Max(4, capacity)];

    public void Add(in DiameterEntry e)
    {
        if (Count == Items.Length)
        {
            long grown = Math.Min(Array.MaxLength, Items.LongLength + Items.LongLength / 2 + 4);
            if (grown <= Count) throw new AtlasArgumentException("dim", $"more than {Array.MaxLength} simplices in one dimension; lower the dimension or the threshold");
            bool large = Items.LongLength * 16 > LargeBytes;
            Array.Resize(ref Items, (int)grown);
            // The old array is garbage in the large-object heap, which is only swept by a full collection: sweep it
            // now rather than let the peak grow by a full copy per resize.
            if (large) GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        }
        Items[Count++] = e;
    }

    public Span<DiameterEntry> Span => Items.AsSpan(0, Count);

    public static EntryBuffer Concat(EntryBuffer[] parts)
    {
        if (parts.Length == 1) return parts[0];
        long total = 0;
        foreach (var p in parts) total += p.Count;
        if (total > Array.MaxLength) throw new AtlasArgumentException("dim", $"more than {Array.MaxLength} simplices in one dimension; lower the dimension or the threshold");
        var r = new EntryBuffer((int)total);
        for (int i = 0; i < parts.Length; i++)
        {
            Array.Copy(parts[i].Items, 0, r.Items, r.Count, parts[i].Count);
            r.Count += parts[i].Count;
            parts[i] = null!;
        }
        return r;
    }
}
