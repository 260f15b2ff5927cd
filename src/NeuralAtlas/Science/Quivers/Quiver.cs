namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// A quiver without loops or 2-cycles, stored as its skew-symmetric exchange matrix B (b_ij = number of arrows
/// i → j minus arrows j → i), n ≤ <see cref="MaxVertices"/>. Immutable: <see cref="Mutate"/> returns a new quiver.
/// </summary>
public sealed class Quiver : IEquatable<Quiver>
{
    public const int MaxVertices = 32;

    private readonly sbyte[] _b;

    public int N { get; }

    public int this[int i, int j] => _b[i * N + j];

    internal ReadOnlySpan<sbyte> Matrix => _b;

    internal Quiver(int n, sbyte[] b)
    {
        N = n;
        _b = b;
    }

    /// <summary>From a row-major n×n integer matrix; it must be skew-symmetric with entries in −127…127.</summary>
    public static Quiver FromMatrix(int n, IReadOnlyList<int> b, string argument = "matrix")
    {
        if (n < 1 || n > MaxVertices) throw new AtlasArgumentException(argument, $"a quiver needs 1…{MaxVertices} vertices, got {n}");
        if (b.Count != n * n) throw new AtlasArgumentException(argument, $"an exchange matrix on {n} vertices has {n * n} entries, got {b.Count}");
        var s = new sbyte[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int v = b[i * n + j];
                if (v != -b[j * n + i]) throw new AtlasArgumentException(argument, $"not skew-symmetric: b[{i},{j}] = {v} but b[{j},{i}] = {b[j * n + i]}");
                if (v < -127 || v > 127) throw new AtlasArgumentException(argument, $"b[{i},{j}] = {v} is outside −127…127");
                s[i * n + j] = (sbyte)v;
            }
        return new Quiver(n, s);
    }

    /// <summary>From arrows (i, j) = one arrow i → j each; repeated arrows add up, opposite ones cancel.</summary>
    public static Quiver FromArrows(int n, IEnumerable<(int From, int To)> arrows)
    {
        var m = new int[n * n];
        foreach (var (a, b) in arrows)
        {
            if (a < 0 || a >= n || b < 0 || b >= n || a == b) throw new AtlasArgumentException("arrows", $"arrow {a} → {b} is not between two distinct vertices of 0…{n - 1}");
            m[a * n + b]++;
            m[b * n + a]--;
        }
        return FromMatrix(n, m, "arrows");
    }

    /// <summary>
    /// Fomin–Zelevinsky mutation at k: b'_ij = −b_ij if i = k or j = k, else b_ij + (|b_ik| b_kj + b_ik |b_kj|)/2.
    /// Throws if an entry would leave −127…127 (only quivers of infinite mutation type get there).
    /// </summary>
    public Quiver Mutate(int k)
    {
        if (k < 0 || k >= N) throw new AtlasArgumentException("k", $"vertex {k} is not in 0…{N - 1}");
        int n = N;
        var r = new sbyte[n * n];
        for (int i = 0; i < n; i++)
        {
            int bik = _b[i * n + k];
            for (int j = 0; j < n; j++)
            {
                int v = _b[i * n + j];
                if (i == k || j == k) v = -v;
                else
                {
                    int bkj = _b[k * n + j];
                    v += (Math.Abs(bik) * bkj + bik * Math.Abs(bkj)) / 2;
                    if (v < -127 || v > 127) throw new AtlasArgumentException("k", $"mutation at {k} makes b[{i},{j}] = {v}: this quiver is of infinite mutation type");
                }
                r[i * n + j] = (sbyte)v;
            }
        }
        return new Quiver(n, r);
    }

    /// <summary>The quiver with vertices relabelled: vertex v becomes perm[v].</summary>
    public Quiver Permute(IReadOnlyList<int> perm)
    {
        if (perm.Count != N || perm.Distinct().Count() != N || perm.Any(p => p < 0 || p >= N))
            throw new AtlasArgumentException("perm", $"expected a permutation of 0…{N - 1}");
        var r = new sbyte[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                r[perm[i] * N + perm[j]] = _b[i * N + j];
        return new Quiver(N, r);
    }

    /// <summary>The full subquiver on the given vertices, in that order.</summary>
    public Quiver Induced(IReadOnlyList<int> vertices)
    {
        int m = vertices.Count;
        var r = new sbyte[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                r[i * m + j] = _b[vertices[i] * N + vertices[j]];
        return new Quiver(m, r);
    }

    public int MaxMultiplicity()
    {
        int m = 0;
        foreach (var v in _b) m = Math.Max(m, Math.Abs((int)v));
        return m;
    }

    public bool IsConnected()
    {
        var seen = new bool[N];
        var stack = new Stack<int>();
        stack.Push(0);
        seen[0] = true;
        int count = 1;
        while (stack.Count > 0)
        {
            int v = stack.Pop();
            for (int u = 0; u < N; u++)
                if (!seen[u] && _b[v * N + u] != 0) { seen[u] = true; count++; stack.Push(u); }
        }
        return count == N;
    }

    public int[] ToArray() => _b.Select(x => (int)x).ToArray();

    public bool Equals(Quiver? other) => other is not null && other.N == N && other._b.AsSpan().SequenceEqual(_b);
    public override bool Equals(object? obj) => Equals(obj as Quiver);
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(N);
        h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_b.AsSpan()));
        return h.ToHashCode();
    }

    public override string ToString()
    {
        var arrows = new List<string>();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                if (_b[i * N + j] > 0) arrows.Add(_b[i * N + j] == 1 ? $"{i}->{j}" : $"{i}={_b[i * N + j]}=>{j}");
        return $"Quiver({N}: {string.Join(", ", arrows)})";
    }
}
