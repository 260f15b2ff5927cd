using System.Numerics.Tensors;

namespace NeuralAtlas.Tensors;

/// <summary>Reductions over any set of axes (with keepDim), softmax family, and reducing a broadcast back to a shape.</summary>
public static partial class Ops
{
    /// <summary>
    /// The reduced tensor seen as (outer, r, inner) with the reduced axes in the middle: when the axes are not
    /// adjacent, the kept axes are first permuted to the front (one copy).
    /// </summary>
    private readonly record struct ReduceView(float[] Data, int Outer, int R, int Inner, int[] OutShape);

    internal static int[] NormalizeAxes(int[]? axes, int rank)
    {
        if (axes is null || axes.Length == 0)
            return Enumerable.Range(0, rank).ToArray();
        var set = new SortedSet<int>();
        foreach (int a in axes)
            if (!set.Add(Tensor.NormalizeAxis(a, rank)))
                throw new AtlasArgumentException("axes", $"axis {a} appears twice");
        return set.ToArray();
    }

    private static ReduceView View(Tensor t, int[]? axes, bool keepDim)
    {
        int rank = t.Rank;
        var ax = rank == 0 ? Array.Empty<int>() : NormalizeAxes(axes, rank);
        var outShape = new List<int>();
        for (int i = 0; i < rank; i++)
        {
            if (Array.IndexOf(ax, i) < 0) outShape.Add(t.Shape[i]);
            else if (keepDim) outShape.Add(1);
        }
        int r = 1;
        foreach (int a in ax) r *= t.Shape[a];
        bool adjacent = ax.Length == 0 || ax[^1] - ax[0] == ax.Length - 1;
        if (adjacent)
        {
            int outer = 1, inner = 1;
            if (ax.Length > 0)
            {
                for (int i = 0; i < ax[0]; i++) outer *= t.Shape[i];
                for (int i = ax[^1] + 1; i < rank; i++) inner *= t.Shape[i];
            }
            else outer = t.Numel;
            return new ReduceView(t.Data, outer, r, inner, outShape.ToArray());
        }
        var perm = Enumerable.Range(0, rank).Where(i => Array.IndexOf(ax, i) < 0).Concat(ax).ToArray();
        var p = Permute(t, perm);
        return new ReduceView(p.Data, t.Numel / Math.Max(1, r), r, 1, outShape.ToArray());
    }

    private static void CheckNonEmpty(string op, ReduceView v, Tensor t)
    {
        if (v.R == 0 && v.Outer * v.Inner > 0)
            throw new ShapeMismatchException(op, $"cannot reduce over an empty dimension of {ShapeMismatchException.Format(t.Shape)}");
    }

    // Axes that are not adjacent split into adjacent runs, reduced one run at a time from the last (keepDim), which
    // avoids permuting the whole tensor. Valid for sums and extrema, not for variances.
    private static Tensor? ByRuns(Tensor t, int[]? axes, bool keepDim, Func<Tensor, int[], Tensor> reduceKeep)
    {
        if (t.Rank == 0 || axes is null || axes.Length < 2) return null;
        var ax = NormalizeAxes(axes, t.Rank);
        if (ax[^1] - ax[0] == ax.Length - 1) return null;
        var runs = new List<List<int>>();
        foreach (int a in ax)
        {
            if (runs.Count > 0 && runs[^1][^1] == a - 1) runs[^1].Add(a);
            else runs.Add(new List<int> { a });
        }
        var r = t;
        for (int i = runs.Count - 1; i >= 0; i--) r = reduceKeep(r, runs[i].ToArray());
        return keepDim ? r : r.Reshape(t.Shape.Where((_, i) => Array.IndexOf(ax, i) < 0).ToArray());
    }

    /// <summary>Sum over <paramref name="axes"/> (null: all axes).</summary>
    public static Tensor Sum(Tensor t, int[]? axes = null, bool keepDim = false)
    {
        if (ByRuns(t, axes, keepDim, (x, a) => Sum(x, a, true)) is Tensor byRuns) return byRuns;
        var v = View(t, axes, keepDim);
        var res = new Tensor(v.OutShape);
        SumInto(v, res.Data);
        return res;
    }

    private static void SumInto(ReduceView v, float[] dst)
    {
        int r = v.R, inner = v.Inner;
        var src = v.Data;
        if (inner == 1)
        {
            Parallelism.Chunks(v.Outer, Math.Max(1, ElementGrain / Math.Max(1, r)), (s, e) =>
            {
                for (long o = s; o < e; o++) dst[o] = TensorPrimitives.Sum(src.AsSpan((int)(o * r), r));
            });
            return;
        }
        Parallelism.Chunks(v.Outer, Math.Max(1, ElementGrain / Math.Max(1, (long)r * inner)), (s, e) =>
        {
            for (long o = s; o < e; o++)
            {
                var d = dst.AsSpan((int)(o * inner), inner);
                d.Clear();
                for (int j = 0; j < r; j++) TensorPrimitives.Add(d, src.AsSpan((int)((o * r + j) * inner), inner), d);
            }
        });
    }

    /// <summary>Mean over <paramref name="axes"/> (null: all axes).</summary>
    public static Tensor Mean(Tensor t, int[]? axes = null, bool keepDim = false)
    {
        if (ByRuns(t, axes, keepDim, (x, a) => Sum(x, a, true)) is Tensor byRuns)
        {
            long count = 1;
            foreach (int a in NormalizeAxes(axes, t.Rank)) count *= t.Shape[a];
            if (count == 0) throw new ShapeMismatchException("mean", $"cannot reduce over an empty dimension of {ShapeMismatchException.Format(t.Shape)}");
            TensorPrimitives.Multiply(byRuns.Data, 1f / count, byRuns.Data);
            return byRuns;
        }
        var v = View(t, axes, keepDim);
        CheckNonEmpty("mean", v, t);
        var res = new Tensor(v.OutShape);
        SumInto(v, res.Data);
        TensorPrimitives.Multiply(res.Data, 1f / v.R, res.Data);
        return res;
    }

    /// <summary>Variance over <paramref name="axes"/>; unbiased divides by N−1 (torch's default), else N.</summary>
    public static Tensor Var(Tensor t, int[]? axes = null, bool unbiased = true, bool keepDim = false)
    {
        var v = View(t, axes, keepDim);
        CheckNonEmpty("var", v, t);
        var res = new Tensor(v.OutShape);
        int r = v.R, inner = v.Inner;
        var src = v.Data;
        double denom = unbiased ? r - 1 : r;
        Parallelism.Chunks(v.Outer, Math.Max(1, ElementGrain / Math.Max(1, (long)r * inner)), (s, e) =>
        {
            var mean = new double[inner];
            var acc = new double[inner];
            for (long o = s; o < e; o++)
            {
                Array.Clear(mean); Array.Clear(acc);
                long b = o * r * inner;
                for (int j = 0; j < r; j++)
                    for (int i = 0; i < inner; i++) mean[i] += src[b + (long)j * inner + i];
                for (int i = 0; i < inner; i++) mean[i] /= r;
                for (int j = 0; j < r; j++)
                    for (int i = 0; i < inner; i++) { double d = src[b + (long)j * inner + i] - mean[i]; acc[i] += d * d; }
                for (int i = 0; i < inner; i++) res.Data[o * inner + i] = denom > 0 ? (float)(acc[i] / denom) : float.NaN;
            }
        });
        return res;
    }

    /// <summary>Standard deviation over <paramref name="axes"/> (√ of <see cref="Var"/>).</summary>
    public static Tensor Std(Tensor t, int[]? axes = null, bool unbiased = true, bool keepDim = false)
        => Sqrt(Var(t, axes, unbiased, keepDim));

    /// <summary>Maximum over <paramref name="axes"/> (null: all axes); NaN propagates.</summary>
    public static Tensor Max(Tensor t, int[]? axes = null, bool keepDim = false)
        => ByRuns(t, axes, keepDim, (x, a) => Max(x, a, true)) ?? Extreme("max", t, axes, keepDim, true, out _);

    /// <summary>Minimum over <paramref name="axes"/> (null: all axes); NaN propagates.</summary>
    public static Tensor Min(Tensor t, int[]? axes = null, bool keepDim = false)
        => ByRuns(t, axes, keepDim, (x, a) => Min(x, a, true)) ?? Extreme("min", t, axes, keepDim, false, out _);

    /// <summary>Maximum along one axis, with the index of the (first) maximum of each slice in <paramref name="indices"/> (flat, output order).</summary>
    public static Tensor Max(Tensor t, int axis, bool keepDim, out int[] indices) => Extreme("max", t, new[] { axis }, keepDim, true, out indices);

    /// <summary>Minimum along one axis, with the index of the (first) minimum of each slice.</summary>
    public static Tensor Min(Tensor t, int axis, bool keepDim, out int[] indices) => Extreme("min", t, new[] { axis }, keepDim, false, out indices);

    /// <summary>Index of the maximum along <paramref name="axis"/> as float values; null axis: index into the flattened tensor (a scalar).</summary>
    public static Tensor Argmax(Tensor t, int? axis = null, bool keepDim = false)
        => ArgExtreme("argmax", t, axis, keepDim, true);

    /// <summary>Index of the minimum along <paramref name="axis"/> as float values; null axis: index into the flattened tensor.</summary>
    public static Tensor Argmin(Tensor t, int? axis = null, bool keepDim = false)
        => ArgExtreme("argmin", t, axis, keepDim, false);

    private static Tensor ArgExtreme(string op, Tensor t, int? axis, bool keepDim, bool max)
    {
        if (axis is null)
        {
            Extreme(op, t.Reshape(-1), new[] { 0 }, false, max, out var flat);
            var r = Tensor.Scalar(flat[0]);
            return keepDim ? r.Reshape(Enumerable.Repeat(1, t.Rank).ToArray()) : r;
        }
        var vals = Extreme(op, t, new[] { axis.Value }, keepDim, max, out var idx);
        var res = new Tensor(vals.Shape);
        for (int i = 0; i < idx.Length; i++) res.Data[i] = idx[i];
        return res;
    }

    private static Tensor Extreme(string op, Tensor t, int[]? axes, bool keepDim, bool max, out int[] indices)
    {
        var v = View(t, axes, keepDim);
        CheckNonEmpty(op, v, t);
        var res = new Tensor(v.OutShape);
        var idx = new int[res.Numel];
        int r = v.R, inner = v.Inner;
        var src = v.Data;
        Parallelism.Chunks(v.Outer, Math.Max(1, ElementGrain / Math.Max(1, (long)r * inner)), (s, e) =>
        {
            for (long o = s; o < e; o++)
            {
                long b = o * r * inner;
                for (int i = 0; i < inner; i++)
                {
                    float best = src[b + i];
                    int bi = 0;
                    if (!float.IsNaN(best))
                        for (int j = 1; j < r; j++)
                        {
                            float x = src[b + (long)j * inner + i];
                            if (float.IsNaN(x)) { best = x; bi = j; break; }
                            if (max ? x > best : x < best) { best = x; bi = j; }
                        }
                    res.Data[o * inner + i] = best;
                    idx[o * inner + i] = bi;
                }
            }
        });
        indices = idx;
        return res;
    }

    /// <summary>log Σ exp over <paramref name="axes"/>, computed stably (max subtracted).</summary>
    public static Tensor LogSumExp(Tensor t, int[]? axes = null, bool keepDim = false)
    {
        var m = Max(t, axes, keepDim: true);
        var shift = Map(m, x => float.IsInfinity(x) ? 0 : x);
        var s = Sum(Exp(Sub(t, shift)), axes, keepDim: true);
        var res = Add(Log(s), shift);
        if (keepDim) return res;
        var v = View(t, axes, false);
        return res.Reshape(v.OutShape);
    }

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public static Tensor Softmax(Tensor t, int axis) => SoftmaxCore(t, axis, log: false);

    /// <summary>Log-softmax along <paramref name="axis"/> (x − logsumexp(x)).</summary>
    public static Tensor LogSoftmax(Tensor t, int axis) => SoftmaxCore(t, axis, log: true);

    private static Tensor SoftmaxCore(Tensor t, int axis, bool log)
    {
        if (t.Rank == 0) return log ? new Tensor(t.Shape) : Tensor.Full(t.Shape, 1);
        var v = View(t, new[] { axis }, true);
        var res = new Tensor(t.Shape);
        int r = v.R, inner = v.Inner;
        if (r == 0) return res;
        var src = v.Data;
        Parallelism.Chunks(v.Outer, Math.Max(1, ElementGrain / Math.Max(1, (long)r * inner)), (s, e) =>
        {
            var mx = new float[inner];
            var sum = new float[inner];
            var tmp = new float[inner == 1 ? r : inner];
            for (long o = s; o < e; o++)
            {
                int b = (int)(o * r * inner);
                if (inner == 1)
                {
                    var x = src.AsSpan(b, r);
                    var y = res.Data.AsSpan(b, r);
                    float m = TensorPrimitives.Max(x);
                    if (float.IsInfinity(m)) m = 0;
                    TensorPrimitives.Subtract(x, m, y);
                    if (log)
                    {
                        TensorPrimitives.Exp(y, tmp);
                        float ls = MathF.Log(TensorPrimitives.Sum(tmp));
                        TensorPrimitives.Subtract(y, ls, y);
                    }
                    else
                    {
                        TensorPrimitives.Exp(y, y);
                        TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
                    }
                    continue;
                }
                src.AsSpan(b, inner).CopyTo(mx);
                for (int j = 1; j < r; j++) TensorPrimitives.Max(mx, src.AsSpan(b + j * inner, inner), mx);
                for (int i = 0; i < inner; i++) if (float.IsInfinity(mx[i])) mx[i] = 0;
                Array.Clear(sum);
                for (int j = 0; j < r; j++)
                {
                    var y = res.Data.AsSpan(b + j * inner, inner);
                    TensorPrimitives.Subtract(src.AsSpan(b + j * inner, inner), mx, y);
                    TensorPrimitives.Exp(y, tmp);
                    TensorPrimitives.Add(sum, tmp, sum);
                    if (!log) tmp.CopyTo(y);
                }
                if (log)
                {
                    TensorPrimitives.Log(sum, sum);
                    for (int j = 0; j < r; j++) { var y = res.Data.AsSpan(b + j * inner, inner); TensorPrimitives.Subtract(y, sum, y); }
                }
                else
                    for (int j = 0; j < r; j++) { var y = res.Data.AsSpan(b + j * inner, inner); TensorPrimitives.Divide(y, sum, y); }
            }
        });
        return res;
    }

    /// <summary>
    /// Sums a gradient of a broadcast result back to an operand's <paramref name="shape"/> (the reverse of
    /// broadcasting): leading extra dimensions and dimensions where the operand had size 1 are summed. Returns
    /// <paramref name="grad"/> itself when the shapes already match.
    /// </summary>
    public static Tensor SumToShape(Tensor grad, int[] shape)
    {
        if (grad.Shape.AsSpan().SequenceEqual(shape)) return grad;
        int lead = grad.Rank - shape.Length;
        if (lead < 0) throw new ShapeMismatchException("sum_to_shape", grad.Shape, shape, "the target has more dimensions");
        var axes = new List<int>();
        for (int i = 0; i < lead; i++) axes.Add(i);
        for (int i = 0; i < shape.Length; i++)
        {
            int g = grad.Shape[lead + i];
            if (shape[i] == g) continue;
            if (shape[i] != 1) throw new ShapeMismatchException("sum_to_shape", grad.Shape, shape, $"dimension {i} is not a broadcast of size 1");
            axes.Add(lead + i);
        }
        if (axes.Count == 0) return grad.Reshape(shape);
        return Sum(grad, axes.ToArray(), keepDim: true).Reshape(shape);
    }
}
