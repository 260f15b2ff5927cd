namespace NeuralAtlas.Tensors;

/// <summary>Padding modes of <see cref="Ops.Pad"/>, as torch.nn.functional.pad.</summary>
public enum PadMode { Constant, Reflect, Replicate, Circular }

/// <summary>Layout: permute, slicing, concatenation, indexing, padding, repetition. Every result is a new contiguous tensor.</summary>
public static partial class Ops
{
    /// <summary>Reorders dimensions: result dimension i is input dimension perm[i] (a copy).</summary>
    public static Tensor Permute(Tensor t, params int[] perm)
    {
        int r = t.Rank;
        if (perm.Length != r) throw new ShapeMismatchException("permute", t.Shape, perm, $"needs {r} axes");
        var p = new int[r];
        var seen = new bool[r];
        for (int i = 0; i < r; i++)
        {
            p[i] = Tensor.NormalizeAxis(perm[i], r);
            if (seen[p[i]]) throw new AtlasArgumentException("perm", $"axis {perm[i]} repeated in [{string.Join(", ", perm)}]");
            seen[p[i]] = true;
        }
        var inStr = t.Strides();
        var shape = new int[r];
        var st = new int[r];
        for (int i = 0; i < r; i++) { shape[i] = t.Shape[p[i]]; st[i] = inStr[p[i]]; }
        var res = Tensor.Uninitialized(shape);
        if (res.Numel == 0) return res;
        var (cs, strides) = Broadcast.Coalesce(shape, st, new Tensor(shape).Strides());
        StridedCopy(t.Data, res.Data, cs, strides[0]);
        return res;
    }

    // dst (contiguous over shape) = src read with the given strides. Two-dimensional transposes go in 32×32 tiles.
    private static void StridedCopy(float[] src, float[] dst, int[] shape, int[] st)
    {
        int r = shape.Length;
        if (r >= 2 && st[r - 1] != 1 && st[r - 2] == 1)
        {
            int rows = shape[r - 2], cols = shape[r - 1], cs = st[r - 1];
            long outer = dst.Length / ((long)rows * cols);
            var ost = st[..(r - 2)];
            var osh = shape[..(r - 2)];
            Parallelism.Chunks(outer, Math.Max(1, ElementGrain / Math.Max(1, (long)rows * cols)), (s, e) =>
            {
                for (long o = s; o < e; o++)
                {
                    long rem = o, baseIn = 0;
                    for (int d = osh.Length - 1; d >= 0; d--) { baseIn += rem % osh[d] * ost[d]; rem /= osh[d]; }
                    long baseOut = o * rows * cols;
                    for (int i0 = 0; i0 < rows; i0 += 32)
                        for (int j0 = 0; j0 < cols; j0 += 32)
                        {
                            int i1 = Math.Min(rows, i0 + 32), j1 = Math.Min(cols, j0 + 32);
                            for (int i = i0; i < i1; i++)
                                for (int j = j0; j < j1; j++) dst[baseOut + (long)i * cols + j] = src[baseIn + i + (long)j * cs];
                        }
                }
            });
            return;
        }
        int n = shape[r - 1], inner = st[r - 1];
        long runs = dst.Length / n;
        Parallelism.Chunks(runs, Math.Max(1, ElementGrain / n), (s, e) =>
        {
            for (long o = s; o < e; o++)
            {
                long rem = o, b = 0;
                for (int d = r - 2; d >= 0; d--) { b += rem % shape[d] * st[d]; rem /= shape[d]; }
                long od = o * n;
                if (inner == 1) Array.Copy(src, b, dst, od, n);
                else for (int j = 0; j < n; j++) dst[od + j] = src[b + (long)j * inner];
            }
        });
    }

    /// <summary>Swaps two dimensions (a copy).</summary>
    public static Tensor Transpose(Tensor t, int dim0, int dim1)
    {
        var perm = Enumerable.Range(0, t.Rank).ToArray();
        int a = Tensor.NormalizeAxis(dim0, t.Rank), b = Tensor.NormalizeAxis(dim1, t.Rank);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return a == b ? t.Clone() : Permute(t, perm);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (shares data, like Reshape).</summary>
    public static Tensor Unsqueeze(Tensor t, int dim)
    {
        int d = dim < 0 ? dim + t.Rank + 1 : dim;
        if (d < 0 || d > t.Rank) throw new AtlasArgumentException("dim", $"{dim} is out of range for unsqueeze of a rank-{t.Rank} tensor");
        var s = t.Shape.ToList();
        s.Insert(d, 1);
        return t.Reshape(s.ToArray());
    }

    /// <summary>Removes dimension <paramref name="dim"/> if it has size 1, or every size-1 dimension when null (shares data).</summary>
    public static Tensor Squeeze(Tensor t, int? dim = null)
    {
        if (dim is int dd)
        {
            int d = Tensor.NormalizeAxis(dd, t.Rank);
            if (t.Shape[d] != 1) return t.Reshape(t.Shape);
            return t.Reshape(t.Shape.Where((_, i) => i != d).ToArray());
        }
        return t.Reshape(t.Shape.Where(x => x != 1).ToArray());
    }

    /// <summary>Flattens dimensions start..end (inclusive) into one (shares data).</summary>
    public static Tensor Flatten(Tensor t, int startDim = 0, int endDim = -1)
    {
        if (t.Rank == 0) return t.Reshape(1);
        int s = Tensor.NormalizeAxis(startDim, t.Rank), e = Tensor.NormalizeAxis(endDim, t.Rank);
        if (s > e) throw new AtlasArgumentException("startDim", $"start {startDim} comes after end {endDim}");
        var shape = t.Shape[..s].Append(t.Shape[s..(e + 1)].Aggregate(1, (x, y) => x * y)).Concat(t.Shape[(e + 1)..]).ToArray();
        return t.Reshape(shape);
    }

    // Builds the result by mapping each output index, per dimension, to an input index (−1: the fill value).
    private static Tensor GatherByMaps(Tensor t, int[][] maps, float fill = 0)
    {
        int r = t.Rank;
        var shape = maps.Select(m => m.Length).ToArray();
        var res = Tensor.Uninitialized(shape);
        if (res.Numel == 0) return res;
        if (r == 0) { res.Data[0] = t.Data[0]; return res; }
        var st = t.Strides();
        var last = maps[r - 1];
        int n = last.Length;
        bool contiguous = true;
        for (int j = 1; j < n && contiguous; j++) contiguous = last[j] == last[0] + j;
        if (n > 0 && last[0] < 0) contiguous = false;
        long runs = res.Numel / n;
        Parallelism.Chunks(runs, Math.Max(1, ElementGrain / n), (s, e) =>
        {
            for (long o = s; o < e; o++)
            {
                long rem = o, b = 0;
                bool fillRow = false;
                for (int d = r - 2; d >= 0; d--)
                {
                    int m = maps[d][rem % shape[d]];
                    rem /= shape[d];
                    if (m < 0) fillRow = true;
                    b += (long)m * st[d];
                }
                var dst = res.Data.AsSpan((int)(o * n), n);
                if (fillRow) dst.Fill(fill);
                else if (contiguous) t.Data.AsSpan((int)(b + last[0]), n).CopyTo(dst);
                else for (int j = 0; j < n; j++) dst[j] = last[j] < 0 ? fill : t.Data[b + last[j]];
            }
        });
        return res;
    }

    private static int[][] IdentityMaps(Tensor t) => t.Shape.Select(n => Enumerable.Range(0, n).ToArray()).ToArray();

    /// <summary>Elements start..start+length−1 of dimension <paramref name="dim"/> (a copy).</summary>
    public static Tensor Narrow(Tensor t, int dim, int start, int length)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank), n = t.Shape[d];
        if (start < 0) start += n;
        if (start < 0 || length < 0 || start + length > n)
            throw new AtlasArgumentException("start", $"narrow({start}, {length}) does not fit dimension {d} of size {n}");
        var maps = IdentityMaps(t);
        maps[d] = Enumerable.Range(start, length).ToArray();
        return GatherByMaps(t, maps);
    }

    /// <summary>Python slice t[..., start:end:step, ...] on <paramref name="dim"/>: negative start/end count from the end and are clamped; step ≥ 1.</summary>
    public static Tensor Slice(Tensor t, int dim, int? start = null, int? end = null, int step = 1)
    {
        if (step < 1) throw new AtlasArgumentException("step", $"must be positive, got {step}");
        int d = Tensor.NormalizeAxis(dim, t.Rank), n = t.Shape[d];
        int s = start ?? 0, e = end ?? n;
        if (s < 0) s += n;
        if (e < 0) e += n;
        s = Math.Clamp(s, 0, n); e = Math.Clamp(e, 0, n);
        var idx = new List<int>();
        for (int i = s; i < e; i += step) idx.Add(i);
        var maps = IdentityMaps(t);
        maps[d] = idx.ToArray();
        return GatherByMaps(t, maps);
    }

    /// <summary>Selects entries of dimension <paramref name="dim"/> by index (as torch.index_select).</summary>
    public static Tensor IndexSelect(Tensor t, int dim, int[] index)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank), n = t.Shape[d];
        foreach (int i in index)
            if ((uint)i >= (uint)n) throw new AtlasArgumentException("index", $"index_select: index {i} out of range for dimension {d} of size {n}");
        var maps = IdentityMaps(t);
        maps[d] = (int[])index.Clone();
        return GatherByMaps(t, maps);
    }

    /// <summary>index_select with a 1-D tensor of integer-valued indices.</summary>
    public static Tensor IndexSelect(Tensor t, int dim, Tensor index) => IndexSelect(t, dim, ToIndices("index_select", index));

    /// <summary>Reverses the order along each of <paramref name="dims"/>.</summary>
    public static Tensor Flip(Tensor t, params int[] dims)
    {
        var maps = IdentityMaps(t);
        foreach (int d0 in NormalizeAxes(dims, t.Rank))
        {
            int n = t.Shape[d0];
            maps[d0] = Enumerable.Range(0, n).Select(i => n - 1 - i).ToArray();
        }
        return GatherByMaps(t, maps);
    }

    /// <summary>Rolls elements along dims by shifts (as torch.roll); with no dims, rolls the flattened tensor.</summary>
    public static Tensor Roll(Tensor t, int[] shifts, int[]? dims = null)
    {
        if (dims is null || dims.Length == 0)
        {
            if (shifts.Length != 1) throw new AtlasArgumentException("shifts", "roll without dims takes one shift");
            return Roll(t.Reshape(-1), shifts, new[] { 0 }).Reshape(t.Shape);
        }
        if (shifts.Length != dims.Length) throw new AtlasArgumentException("shifts", $"{shifts.Length} shifts for {dims.Length} dims");
        var maps = IdentityMaps(t);
        for (int k = 0; k < dims.Length; k++)
        {
            int d = Tensor.NormalizeAxis(dims[k], t.Rank), n = t.Shape[d];
            if (n == 0) continue;
            int sh = ((shifts[k] % n) + n) % n;
            maps[d] = maps[d].Select(i => maps[d][((i - sh) % n + n) % n]).ToArray();
        }
        return GatherByMaps(t, maps);
    }

    /// <summary>Tiles the tensor (as torch.Tensor.repeat): repeats may have more entries than the rank (new leading dims).</summary>
    public static Tensor Repeat(Tensor t, params int[] repeats)
    {
        if (repeats.Length < t.Rank) throw new AtlasArgumentException("repeats", $"{repeats.Length} repeats for a rank-{t.Rank} tensor");
        int lead = repeats.Length - t.Rank;
        var src = t.Reshape(Enumerable.Repeat(1, lead).Concat(t.Shape).ToArray());
        var maps = new int[repeats.Length][];
        for (int i = 0; i < repeats.Length; i++)
        {
            if (repeats[i] < 0) throw new AtlasArgumentException("repeats", $"negative repeat {repeats[i]}");
            int n = src.Shape[i];
            maps[i] = Enumerable.Range(0, n * repeats[i]).Select(j => j % n).ToArray();
        }
        return GatherByMaps(src, maps);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (−1 keeps a dimension), copying (as torch.expand, but contiguous).</summary>
    public static Tensor Expand(Tensor t, params int[] shape)
    {
        var s = (int[])shape.Clone();
        int off = s.Length - t.Rank;
        if (off < 0) throw new ShapeMismatchException("expand", t.Shape, shape, "the target has fewer dimensions");
        for (int i = 0; i < s.Length; i++)
            if (s[i] == -1)
            {
                if (i < off) throw new ShapeMismatchException("expand", t.Shape, shape, "-1 on a new leading dimension");
                s[i] = t.Shape[i - off];
            }
        var r = Broadcast.To(t, s, "expand");
        return ReferenceEquals(r, t) ? t.Clone() : r;
    }

    /// <summary>
    /// Pads trailing dimensions (as torch.nn.functional.pad): <paramref name="pad"/> lists (left, right) pairs starting
    /// from the last dimension. Constant padding may be negative (crops); reflect needs pad &lt; size, circular pad ≤ size.
    /// </summary>
    public static Tensor Pad(Tensor t, int[] pad, PadMode mode = PadMode.Constant, float value = 0)
    {
        if (pad.Length % 2 != 0 || pad.Length / 2 > t.Rank)
            throw new AtlasArgumentException("pad", $"needs (left, right) pairs for at most {t.Rank} dimensions, got {pad.Length} values");
        var maps = IdentityMaps(t);
        for (int k = 0; k < pad.Length / 2; k++)
        {
            int d = t.Rank - 1 - k, n = t.Shape[d], l = pad[2 * k], r = pad[2 * k + 1];
            if (mode != PadMode.Constant)
            {
                if (l < 0 || r < 0) throw new AtlasArgumentException("pad", $"{mode} padding must be non-negative, got ({l}, {r})");
                if (mode == PadMode.Reflect && (l >= n || r >= n))
                    throw new AtlasArgumentException("pad", $"reflect padding ({l}, {r}) must be smaller than dimension {d} of size {n}");
                if (mode == PadMode.Circular && (l > n || r > n))
                    throw new AtlasArgumentException("pad", $"circular padding ({l}, {r}) must not exceed dimension {d} of size {n}");
                if (mode == PadMode.Replicate && n == 0 && l + r > 0)
                    throw new AtlasArgumentException("pad", $"cannot replicate-pad empty dimension {d}");
            }
            int len = n + l + r;
            if (len < 0) throw new AtlasArgumentException("pad", $"padding ({l}, {r}) leaves dimension {d} of size {n} negative");
            var m = new int[len];
            for (int o = 0; o < len; o++)
            {
                int i = o - l;
                m[o] = mode switch
                {
                    PadMode.Constant => i >= 0 && i < n ? i : -1,
                    PadMode.Reflect => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i,
                    PadMode.Replicate => Math.Clamp(i, 0, n - 1),
                    _ => ((i % n) + n) % n,
                };
            }
            maps[d] = m;
        }
        return GatherByMaps(t, maps, value);
    }

    /// <summary>Concatenates along <paramref name="dim"/>; all other dimensions must agree.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new AtlasArgumentException("tensors", "cat needs at least one tensor");
        var first = tensors[0];
        int d = Tensor.NormalizeAxis(dim, first.Rank);
        var shape = (int[])first.Shape.Clone();
        shape[d] = 0;
        foreach (var x in tensors)
        {
            if (x.Rank != first.Rank) throw new ShapeMismatchException("cat", first.Shape, x.Shape, "ranks differ");
            for (int i = 0; i < x.Rank; i++)
                if (i != d && x.Shape[i] != first.Shape[i]) throw new ShapeMismatchException("cat", first.Shape, x.Shape, $"dimension {i} differs");
            shape[d] += x.Shape[d];
        }
        var res = new Tensor(shape);
        long outer = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        long inner = 1;
        for (int i = d + 1; i < shape.Length; i++) inner *= shape[i];
        long rowOut = shape[d] * inner, pos = 0;
        foreach (var x in tensors)
        {
            long chunk = x.Shape[d] * inner;
            for (long o = 0; o < outer; o++) Array.Copy(x.Data, o * chunk, res.Data, o * rowOut + pos, chunk);
            pos += chunk;
        }
        return res;
    }

    /// <summary>Stacks equal-shaped tensors along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new AtlasArgumentException("tensors", "stack needs at least one tensor");
        foreach (var x in tensors)
            if (!x.SameShape(tensors[0])) throw new ShapeMismatchException("stack", tensors[0].Shape, x.Shape);
        return Cat(tensors.Select(x => Unsqueeze(x, dim)).ToList(), dim);
    }

    /// <summary>Splits into pieces of <paramref name="splitSize"/> along dim (the last may be smaller), as torch.split.</summary>
    public static Tensor[] Split(Tensor t, int splitSize, int dim = 0)
    {
        if (splitSize <= 0) throw new AtlasArgumentException("splitSize", $"must be positive, got {splitSize}");
        int n = t.Dim(dim);
        var sizes = new List<int>();
        for (int s = 0; s < n; s += splitSize) sizes.Add(Math.Min(splitSize, n - s));
        if (n == 0) sizes.Add(0);
        return Split(t, sizes.ToArray(), dim);
    }

    /// <summary>Splits into pieces of the given sizes along dim (they must sum to the dimension).</summary>
    public static Tensor[] Split(Tensor t, int[] sizes, int dim = 0)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank);
        if (sizes.Any(s => s < 0) || sizes.Sum() != t.Shape[d])
            throw new ShapeMismatchException("split", $"sizes [{string.Join(", ", sizes)}] do not sum to dimension {d} of {ShapeMismatchException.Format(t.Shape)}");
        var res = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { res[i] = Narrow(t, d, start, sizes[i]); start += sizes[i]; }
        return res;
    }

    /// <summary>Splits into <paramref name="chunks"/> pieces of size ⌈n/chunks⌉ (as torch.chunk; may return fewer).</summary>
    public static Tensor[] Chunk(Tensor t, int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new AtlasArgumentException("chunks", $"must be positive, got {chunks}");
        int n = t.Dim(dim);
        return Split(t, Math.Max(1, (n + chunks - 1) / chunks), dim);
    }

    internal static int[] ToIndices(string op, Tensor index)
    {
        var r = new int[index.Numel];
        for (int i = 0; i < r.Length; i++)
        {
            float v = index.Data[i];
            if (v != MathF.Floor(v) || v < int.MinValue || v > int.MaxValue)
                throw new AtlasArgumentException("index", $"{op}: index {v} at position {i} is not an integer");
            r[i] = (int)v;
        }
        return r;
    }

    // Offsets into t for every position of the index tensor along dim: returns (tOffsetWithoutDim, stride of dim).
    private static void CheckIndexShape(string op, Tensor t, Tensor index, int d, Tensor? src)
    {
        if (index.Rank != t.Rank) throw new ShapeMismatchException(op, t.Shape, index.Shape, "index must have the same rank");
        for (int i = 0; i < t.Rank; i++)
        {
            if (i != d && index.Shape[i] > t.Shape[i]) throw new ShapeMismatchException(op, t.Shape, index.Shape, $"index dimension {i} is larger");
            if (src is not null && index.Shape[i] > src.Shape[i]) throw new ShapeMismatchException(op, src.Shape, index.Shape, $"index dimension {i} is larger than src's");
        }
    }

    /// <summary>out[i][j][k] = t[index[i][j][k]][j][k] for dim 0 (and likewise for other dims), as torch.gather.</summary>
    public static Tensor Gather(Tensor t, int dim, Tensor index)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank);
        CheckIndexShape("gather", t, index, d, null);
        var idx = ToIndices("gather", index);
        var res = new Tensor(index.Shape);
        var st = t.Strides();
        int r = t.Rank, n = t.Shape[d];
        var pos = new int[r];
        for (int flat = 0; flat < idx.Length; flat++)
        {
            int k = idx[flat];
            if ((uint)k >= (uint)n) throw new AtlasArgumentException("index", $"gather: index {k} out of range for dimension {d} of size {n}");
            long off = 0;
            for (int i = 0; i < r; i++) off += (long)(i == d ? k : pos[i]) * st[i];
            res.Data[flat] = t.Data[off];
            for (int i = r - 1; i >= 0; i--) { if (++pos[i] < index.Shape[i]) break; pos[i] = 0; }
        }
        return res;
    }

    /// <summary>t with src added at the positions index names along dim (as torch.scatter_add; a copy of t).</summary>
    public static Tensor ScatterAdd(Tensor t, int dim, Tensor index, Tensor src)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank);
        CheckIndexShape("scatter_add", t, index, d, src);
        if (src.Rank != t.Rank) throw new ShapeMismatchException("scatter_add", t.Shape, src.Shape, "src must have the same rank");
        var idx = ToIndices("scatter_add", index);
        var res = t.Clone();
        var st = t.Strides();
        var sst = src.Strides();
        int r = t.Rank, n = t.Shape[d];
        var pos = new int[r];
        for (int flat = 0; flat < idx.Length; flat++)
        {
            int k = idx[flat];
            if ((uint)k >= (uint)n) throw new AtlasArgumentException("index", $"scatter_add: index {k} out of range for dimension {d} of size {n}");
            long off = 0, so = 0;
            for (int i = 0; i < r; i++) { off += (long)(i == d ? k : pos[i]) * st[i]; so += (long)pos[i] * sst[i]; }
            res.Data[off] += src.Data[so];
            for (int i = r - 1; i >= 0; i--) { if (++pos[i] < index.Shape[i]) break; pos[i] = 0; }
        }
        return res;
    }

    /// <summary>t with src's slices i added to t's slices index[i] along dim (as torch.index_add; a copy of t).</summary>
    public static Tensor IndexAdd(Tensor t, int dim, int[] index, Tensor src)
    {
        int d = Tensor.NormalizeAxis(dim, t.Rank), n = t.Shape[d];
        var expect = (int[])t.Shape.Clone();
        expect[d] = index.Length;
        if (!src.Shape.AsSpan().SequenceEqual(expect)) throw new ShapeMismatchException("index_add", t.Shape, src.Shape, $"src must be {ShapeMismatchException.Format(expect)}");
        var res = t.Clone();
        long outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= t.Shape[i];
        for (int i = d + 1; i < t.Rank; i++) inner *= t.Shape[i];
        for (int j = 0; j < index.Length; j++)
            if ((uint)index[j] >= (uint)n) throw new AtlasArgumentException("index", $"index_add: index {index[j]} out of range for dimension {d} of size {n}");
        for (long o = 0; o < outer; o++)
            for (int j = 0; j < index.Length; j++)
            {
                var dst = res.Data.AsSpan((int)((o * n + index[j]) * inner), (int)inner);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, src.Data.AsSpan((int)((o * index.Length + j) * inner), (int)inner), dst);
            }
        return res;
    }

    /// <summary>index_add with a 1-D tensor of integer-valued indices.</summary>
    public static Tensor IndexAdd(Tensor t, int dim, Tensor index, Tensor src) => IndexAdd(t, dim, ToIndices("index_add", index), src);

    /// <summary>a where cond is nonzero, else b; all three broadcast together.</summary>
    public static Tensor Where(Tensor cond, Tensor a, Tensor b)
    {
        var shape = Broadcast.Shape("where", Broadcast.Shape("where", cond.Shape, a.Shape), b.Shape);
        var c = Broadcast.To(cond, shape, "where");
        var x = Broadcast.To(a, shape, "where");
        var y = Broadcast.To(b, shape, "where");
        var res = new Tensor(shape);
        for (int i = 0; i < res.Numel; i++) res.Data[i] = c.Data[i] != 0 ? x.Data[i] : y.Data[i];
        return res;
    }

    /// <summary>t with <paramref name="value"/> where mask (broadcast to t's shape) is nonzero.</summary>
    public static Tensor MaskedFill(Tensor t, Tensor mask, float value)
    {
        var m = Broadcast.To(mask, t.Shape, "masked_fill");
        var res = t.Clone();
        for (int i = 0; i < res.Numel; i++) if (m.Data[i] != 0) res.Data[i] = value;
        return res;
    }
}
