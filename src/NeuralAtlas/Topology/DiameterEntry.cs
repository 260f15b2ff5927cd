using System.Runtime.CompilerServices;

namespace NeuralAtlas.Topology;

/// <summary>
/// A simplex in a coboundary computation: its diameter and an entry packing the simplex index (low 56 bits) with a
/// coefficient in Z/p (high 8 bits), as in Ripser, so a column entry is 16 bytes.
/// </summary>
internal struct DiameterEntry
{
    public float Diameter;
    public long Entry;

    public const long IndexMask = (1L << 56) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DiameterEntry(float diameter, long index, int coefficient)
    {
        Diameter = diameter;
        Entry = index | ((long)coefficient << 56);
    }

    public readonly long Index
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Entry & IndexMask;
    }

    public readonly int Coefficient
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)((ulong)Entry >> 56);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetCoefficient(int c) => Entry = (Entry & IndexMask) | ((long)c << 56);

    public static readonly DiameterEntry None = new() { Diameter = 0, Entry = -1 };
    public readonly bool IsNone => Entry == -1;
}

/// <summary>
/// Binary heap of entries whose top is the smallest diameter, ties to the largest index: the pivot order of
/// the coboundary matrix in reverse colexicographic filtration order.
/// </summary>
internal sealed class EntryHeap
{
    private DiameterEntry[] _a = new DiameterEntry[64];
    private int _n;

    public int Count => _n;
    public void Clear() => _n = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in DiameterEntry x, in DiameterEntry y) =>
        x.Diameter < y.Diameter || (x.Diameter == y.Diameter && (x.Entry & DiameterEntry.IndexMask) > (y.Entry & DiameterEntry.IndexMask));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Push(DiameterEntry e)
    {
        if (_n == _a.Length) Array.Resize(ref _a, _a.Length * 2);
        var a = _a;
        int i = _n++;
        while (i > 0)
        {
            int p = (i - 1) >> 1;
            if (!Before(e, a[p])) break;
            a[i] = a[p];
            i = p;
        }
        a[i] = e;
    }

    public ref readonly DiameterEntry Top => ref _a[0];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pop()
    {
        var a = _a;
        int n = --_n;
        if (n == 0) return;
        var last = a[n];
        int i = 0;
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && Before(a[c + 1], a[c])) c++;
            if (!Before(a[c], last)) break;
            a[i] = a[c];
            i = c;
        }
        a[i] = last;
    }
}
