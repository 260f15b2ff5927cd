namespace NeuralAtlas.Tensors;

/// <summary>
/// NumPy/PyTorch broadcasting: shapes are aligned at the right; a dimension of size 1 (or a missing one)
/// stretches to the other operand's size. Also the loop plan used by the element-wise kernels: dimensions are
/// coalesced where both operands are contiguous across them, so a broadcast is a few long inner runs.
/// </summary>
public static class Broadcast
{
    /// <summary>The broadcast shape of two shapes, or a ShapeMismatchException naming <paramref name="op"/>.</summary>
    public static int[] Shape(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int r = Math.Max(a.Length, b.Length);
        var s = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da == db || db == 1) s[i] = da;
            else if (da == 1) s[i] = db;
            else throw new ShapeMismatchException(op, a, b, $"dimension {i} ({da} vs {db}) cannot broadcast");
        }
        return s;
    }

    /// <summary>Strides of <paramref name="shape"/> viewed as broadcast to <paramref name="outShape"/> (0 where stretched).</summary>
    public static int[] Strides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape)
    {
        int r = outShape.Length, off = r - shape.Length;
        var st = new int[r];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            st[i + off] = shape[i] == 1 && outShape[i + off] != 1 ? 0 : acc;
            acc *= shape[i];
        }
        return st;
    }

    /// <summary>
    /// Merges adjacent dimensions where every operand's strides are contiguous across the pair, dropping size-1
    /// dimensions. Returns the reduced shape and the operands' strides over it.
    /// </summary>
    internal static (int[] shape, int[][] strides) Coalesce(int[] shape, params int[][] strides)
    {
        var sh = new List<int>();
        var st = new List<int>[strides.Length];
        for (int k = 0; k < strides.Length; k++) st[k] = new List<int>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            if (sh.Count > 0)
            {
                int last = sh.Count - 1;
                bool merge = true;
                for (int k = 0; k < strides.Length && merge; k++)
                    merge = st[k][last] == strides[k][i] * shape[i];
                if (merge)
                {
                    sh[last] *= shape[i];
                    for (int k = 0; k < strides.Length; k++) st[k][last] = strides[k][i];
                    continue;
                }
            }
            sh.Add(shape[i]);
            for (int k = 0; k < strides.Length; k++) st[k].Add(strides[k][i]);
        }
        if (sh.Count == 0)
        {
            sh.Add(1);
            for (int k = 0; k < strides.Length; k++) st[k].Add(0);
        }
        return (sh.ToArray(), st.Select(l => l.ToArray()).ToArray());
    }

    /// <summary>
    /// Expands <paramref name="t"/> to <paramref name="shape"/> by copying (broadcast rules); returns t itself if the
    /// shape already matches.
    /// </summary>
    public static Tensor To(Tensor t, int[] shape, string op = "expand")
    {
        var s = Shape(op, t.Shape, shape);
        if (!s.AsSpan().SequenceEqual(shape)) throw new ShapeMismatchException(op, t.Shape, shape, "cannot expand to the target");
        if (t.Shape.AsSpan().SequenceEqual(shape)) return t;
        var res = new Tensor(shape);
        var (cs, st) = Coalesce(shape, Strides(t.Shape, shape), Strides(shape, shape));
        ForEachRun(cs, st[0], st[1], (ai, oi, n, sa) =>
        {
            if (sa == 0) Array.Fill(res.Data, t.Data[ai], oi, n);
            else Array.Copy(t.Data, ai, res.Data, oi, n);
        });
        return res;
    }

    internal delegate void Run(int offA, int offB, int n, int strideA);

    /// <summary>Walks all but the last coalesced dimension; calls back with the run offsets and the last dimension.</summary>
    internal static void ForEachRun(int[] shape, int[] sa, int[] sb, Run run)
    {
        int r = shape.Length;
        int n = shape[r - 1];
        long outer = 1;
        for (int i = 0; i < r - 1; i++) outer *= shape[i];
        var idx = new int[Math.Max(1, r - 1)];
        int oa = 0, ob = 0;
        for (long o = 0; o < outer; o++)
        {
            run(oa, ob, n, sa[r - 1]);
            for (int d = r - 2; d >= 0; d--)
            {
                idx[d]++;
                oa += sa[d]; ob += sb[d];
                if (idx[d] < shape[d]) break;
                oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
    }
}
