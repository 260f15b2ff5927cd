using System.Text;

namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// A set partition of the m = l + k points of a partition diagram, stored as its restricted growth string: point p
/// lies in block <c>Blocks[p]</c>, and blocks are numbered in order of their first point, so each partition has
/// exactly one representation. Points 0..l−1 are the top row (the l output axes, written 1..l) and points
/// l..l+k−1 the bottom row (the k input axes, written 1'..k').
/// </summary>
public sealed class SetPartition : IEquatable<SetPartition>
{
    private readonly int[] _blocks;

    public int Top { get; }
    public int Bottom { get; }
    public int Points => _blocks.Length;
    public int BlockCount { get; }
    public ReadOnlySpan<int> Blocks => _blocks;

    public SetPartition(int top, int bottom, int[] blocks)
    {
        if (top < 0 || bottom < 0 || blocks.Length != top + bottom)
            throw new AtlasArgumentException("partition", $"expected {top}+{bottom} block labels, got {blocks.Length}");
        _blocks = Canonical(blocks, out int count);
        Top = top;
        Bottom = bottom;
        BlockCount = count;
    }

    /// <summary>Relabels blocks in order of first occurrence (the restricted growth string).</summary>
    internal static int[] Canonical(ReadOnlySpan<int> labels, out int count)
    {
        var map = new Dictionary<int, int>();
        var r = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out int b)) map[labels[i]] = b = map.Count;
            r[i] = b;
        }
        count = map.Count;
        return r;
    }

    /// <summary>The points of block b in increasing order.</summary>
    public int[] Block(int b)
    {
        var r = new List<int>();
        for (int p = 0; p < _blocks.Length; p++) if (_blocks[p] == b) r.Add(p);
        return r.ToArray();
    }

    /// <summary>True when every block of this partition lies inside a block of <paramref name="coarser"/>.</summary>
    public bool Refines(SetPartition coarser)
    {
        if (coarser.Points != Points) return false;
        var image = new int[BlockCount];
        Array.Fill(image, -1);
        for (int p = 0; p < _blocks.Length; p++)
        {
            int b = _blocks[p], c = coarser._blocks[p];
            if (image[b] < 0) image[b] = c;
            else if (image[b] != c) return false;
        }
        return true;
    }

    /// <summary>A 4-bit-per-point key (up to 16 points), used to look partitions up in a basis.</summary>
    internal ulong Key
    {
        get
        {
            ulong key = 0;
            for (int p = 0; p < _blocks.Length; p++) key |= (ulong)_blocks[p] << (4 * p);
            return key;
        }
    }

    /// <summary>Blocks written with output axes 1..l and primed input axes 1'..k', e.g. <c>{1,2'}{2,1'}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int b = 0; b < BlockCount; b++)
        {
            sb.Append('{');
            bool first = true;
            foreach (int p in Block(b))
            {
                if (!first) sb.Append(',');
                first = false;
                sb.Append(p < Top ? $"{p + 1}" : $"{p - Top + 1}'");
            }
            sb.Append('}');
        }
        return sb.ToString();
    }

    public bool Equals(SetPartition? other) =>
        other is not null && other.Top == Top && other.Bottom == Bottom && other._blocks.AsSpan().SequenceEqual(_blocks);

    public override bool Equals(object? obj) => Equals(obj as SetPartition);

    public override int GetHashCode() => HashCode.Combine(Top, Bottom, Key);
}
