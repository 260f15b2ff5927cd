namespace NeuralAtlas.Topology;

/// <summary>
/// The simplices of one dimension, kept only to generate the next dimension: their indices alone (8 bytes; the
/// diameter is recomputed from the vertices when they are read back, a few distance loads beside the hundreds the
/// cofacet walk costs), in fixed-size chunks. Growing never copies and never leaves a discarded array behind, so the
/// peak is the data plus at most one partly filled chunk (a doubling list peaks at 3× the data while it copies).
/// This list is the largest allocation of a high-dimensional run.
/// </summary>
internal sealed class SimplexStore
{
    private const int Shift = 16;
    private const int ChunkSize = 1 << Shift;
    private const int Mask = ChunkSize - 1;

    private readonly List<long[]> _chunks = new();
    private int _last; // fill of the last chunk
    public long Count { get; private set; }

    private readonly int _firstChunk = 1024;

    public SimplexStore() { }

    /// <summary>A store whose first chunk holds <paramref name="expected"/> simplices (up to a chunk) without growing.</summary>
    public SimplexStore(long expected) => _firstChunk = (int)Math.Clamp(expected, 16, ChunkSize);

    public void Add(long index)
    {
        if (_chunks.Count == 0) _chunks.Add(new long[_firstChunk]);
        var chunk = _chunks[^1];
        if (_last == chunk.Length)
        {
            // Small stores (most dimensions of most runs) grow their first chunk up to ChunkSize; from then on whole
            // chunks are appended, so chunk i always starts at i·ChunkSize.
            if (_chunks.Count == 1 && chunk.Length < ChunkSize)
            {
                Array.Resize(ref chunk, Math.Min(ChunkSize, chunk.Length * 4));
                _chunks[0] = chunk;
            }
            else
            {
                chunk = new long[ChunkSize];
                _chunks.Add(chunk);
                _last = 0;
            }
        }
        chunk[_last++] = index;
        Count++;
    }

    public long this[long i] => _chunks[(int)(i >> Shift)][i & Mask];

    /// <summary>Drops every chunk (the caller may still hold the store object).</summary>
    public void Clear()
    {
        _chunks.Clear();
        _chunks.TrimExcess();
        Count = 0;
        _last = 0;
    }

    /// <summary>Appends another store's simplices (per-thread parts of one dimension), releasing its chunks as it goes.</summary>
    public void Append(SimplexStore other)
    {
        long left = other.Count;
        for (int c = 0; c < other._chunks.Count && left > 0; c++)
        {
            var chunk = other._chunks[c];
            int take = (int)Math.Min(left, chunk.Length);
            for (int i = 0; i < take; i++) Add(chunk[i]);
            left -= take;
            other._chunks[c] = null!;
        }
        other.Clear();
    }
}
