using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>Shape, layout and indexing operations.</summary>
public static partial class F
{
    public static Var Reshape(Var x, params int[] shape)
    {
        var from = x.Shape;
        return Record(x.Value.Reshape(shape), "reshape", new[] { x }, g => new[] { Reshape(g, from) });
    }

    /// <summary>Merges dimensions startDim..endDim into one.</summary>
    public static Var Flatten(Var x, int startDim = 1, int endDim = -1) => Reshape(x, Ops.Flatten(new Tensor(x.Shape), startDim, endDim).Shape);

    public static Var Unsqueeze(Var x, int dim) => Reshape(x, Ops.Unsqueeze(new Tensor(x.Shape), dim).Shape);

    public static Var Squeeze(Var x, int? dim = null) => Reshape(x, Ops.Squeeze(new Tensor(x.Shape), dim).Shape);

    public static Var Permute(Var x, params int[] perm)
    {
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inv[Tensor.NormalizeAxis(perm[i], perm.Length)] = i;
        return Record(Ops.Permute(x.Value, perm), "permute", new[] { x }, g => new[] { Permute(g, inv) });
    }

    public static Var Transpose(Var x, int dim0, int dim1)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        int a = Tensor.NormalizeAxis(dim0, x.Rank), b = Tensor.NormalizeAxis(dim1, x.Rank);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (a copy).</summary>
    public static Var Expand(Var x, int[] shape)
    {
        if (x.Shape.AsSpan().SequenceEqual(shape)) return x;
        var from = x.Shape;
        return Record(Broadcast.To(x.Value, shape), "expand", new[] { x }, g => new[] { SumToShape(g, from) });
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/>.</summary>
    public static Var SumToShape(Var x, int[] shape)
    {
        if (x.Shape.AsSpan().SequenceEqual(shape)) return x;
        var from = x.Shape;
        return Record(Ops.SumToShape(x.Value, shape), "sum_to_shape", new[] { x }, g => new[] { Expand(g, from) });
    }

    public static Var Narrow(Var x, int dim, int start, int length)
    {
        int d = Tensor.NormalizeAxis(dim, x.Rank), n = x.Shape[d];
        if (start < 0) start += n;
        var pad = new int[2 * (x.Rank - d)];
        pad[^2] = start;
        pad[^1] = n - start - length;
        return Record(Ops.Narrow(x.Value, d, start, length), "narrow", new[] { x }, g => new[] { Pad(g, pad) });
    }

    /// <summary>Constant padding as torch.nn.functional.pad (pairs from the last dimension; negative values crop).</summary>
    public static Var Pad(Var x, int[] pad, float value = 0)
    {
        var crop = pad.Select(p => -p).ToArray();
        return Record(Ops.Pad(x.Value, pad, PadMode.Constant, value), "pad", new[] { x }, g => new[] { Pad(g, crop) });
    }

    public static Var Cat(IReadOnlyList<Var> xs, int dim = 0)
    {
        int d = Tensor.NormalizeAxis(dim, xs[0].Rank);
        var sizes = xs.Select(v => v.Shape[d]).ToArray();
        return Record(Ops.Cat(xs.Select(v => v.Value).ToList(), d), "cat", xs.ToArray(), g =>
        {
            var res = new Var?[xs.Count];
            int off = 0;
            for (int i = 0; i < xs.Count; i++)
            {
                if (xs[i].RequiresGrad) res[i] = Narrow(g, d, off, sizes[i]);
                off += sizes[i];
            }
            return res;
        });
    }

    public static Var Stack(IReadOnlyList<Var> xs, int dim = 0)
    {
        int d = dim < 0 ? dim + xs[0].Rank + 1 : dim;
        return Cat(xs.Select(v => Unsqueeze(v, d)).ToList(), d);
    }

    public static Var IndexSelect(Var x, int dim, int[] index)
    {
        int d = Tensor.NormalizeAxis(dim, x.Rank);
        var shape = x.Shape;
        return Record(Ops.IndexSelect(x.Value, d, index), "index_select", new[] { x }, g => new[] { IndexAddToZeros(g, shape, d, index) });
    }

    /// <summary>zeros(shape).index_add(dim, index, src): the adjoint of <see cref="IndexSelect"/>.</summary>
    public static Var IndexAddToZeros(Var src, int[] shape, int dim, int[] index) =>
        Record(Ops.IndexAdd(new Tensor(shape), dim, index, src.Value), "index_add", new[] { src }, g => new[] { IndexSelect(g, dim, index) });

    /// <summary>torch.gather along <paramref name="dim"/> with an integer-valued index tensor.</summary>
    public static Var Gather(Var x, int dim, Tensor index)
    {
        var shape = x.Shape;
        return Record(Ops.Gather(x.Value, dim, index), "gather", new[] { x }, g => new[] { ScatterAddToZeros(g, shape, dim, index) });
    }

    /// <summary>zeros(shape).scatter_add(dim, index, src): the adjoint of <see cref="Gather"/>.</summary>
    public static Var ScatterAddToZeros(Var src, int[] shape, int dim, Tensor index) =>
        Record(Ops.ScatterAdd(new Tensor(shape), dim, index, src.Value), "scatter_add", new[] { src }, g => new[] { Gather(g, dim, index) });

    /// <summary>x with <paramref name="value"/> where <paramref name="mask"/> (broadcast) is nonzero; no gradient flows there.</summary>
    public static Var MaskedFill(Var x, Tensor mask, float value) =>
        Record(Ops.MaskedFill(x.Value, mask, value), "masked_fill", new[] { x }, g => new[] { MaskedFill(g, mask, 0) });

    /// <summary>a where cond is nonzero, else b (all broadcast).</summary>
    public static Var Where(Tensor cond, Var a, Var b) =>
        Record(Ops.Where(cond, a.Value, b.Value), "where", new[] { a, b }, g =>
        {
            var zero = Const(Tensor.Scalar(0));
            return new[]
            {
                a.RequiresGrad ? SumToShape(Where(cond, g, zero), a.Shape) : null,
                b.RequiresGrad ? SumToShape(Where(cond, zero, g), b.Shape) : null,
            };
        });
}
