using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// Shape arithmetic of exported graphs (Shape → Gather → Mul → Unsqueeze → Concat → Reshape, Range, Equal/Where
/// masks) evaluated once as integer constants, so the differentiable part of the graph sees only fixed shapes.
/// A node is folded when its operator computes shapes (Shape, ConstantOfShape, Range) or when all its inputs are
/// constants and its data input is an integer (or, for Cast, any constant).
/// </summary>
internal static class OnnxConstFold
{
    /// <summary>An integer array in row-major order.</summary>
    internal readonly record struct IArr(long[] D, int[] S)
    {
        public static IArr Of(NdArray a) => new(a.DType.IsFloat() ? a.ToDoubles().Select(v => (long)Math.Truncate(v)).ToArray() : a.ToInt64s(), a.Shape);
        public NdArray ToNd() => NdArray.FromInt64s(D, S);
    }

    private static readonly HashSet<string> Foldable = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Equal", "Where", "Unsqueeze", "Squeeze", "Concat", "Gather", "Slice", "Cast",
        "Reshape", "Identity", "Dropout", "Expand", "Neg", "Transpose",
    };

    /// <summary>True when the node was evaluated here (its outputs are now in <paramref name="consts"/>).</summary>
    public static bool TryFold(OnnxNode n, Dictionary<string, Var> env, Dictionary<string, NdArray> consts, Func<string, Exception> bad)
    {
        bool Has(int i) => i < n.Inputs.Count && n.Inputs[i].Length > 0;
        IArr C(int i) => consts.TryGetValue(n.Inputs[i], out var c) ? IArr.Of(c)
            : throw bad($"input '{n.Inputs[i]}' to be a constant (shapes computed from data values are not supported)");
        long I(string a, long d) => n.Attributes.TryGetValue(a, out var v) && v.Int is long x ? x : d;
        long[]? Is(string a) => n.Attributes.TryGetValue(a, out var v) ? v.Ints?.ToArray() : null;
        void Put(IArr a) => consts[n.Outputs[0]] = a.ToNd();

        switch (n.OpType)
        {
            case "Shape":
            {
                int[] shape = env.TryGetValue(n.Inputs[0], out var v) ? v.Shape
                    : consts.TryGetValue(n.Inputs[0], out var c) ? c.Shape : throw bad($"a value for input '{n.Inputs[0]}'");
                int r = shape.Length;
                int start = (int)I("start", 0), end = (int)I("end", r);
                start = Math.Clamp(start < 0 ? start + r : start, 0, r);
                end = Math.Clamp(end < 0 ? end + r : end, 0, r);
                var d = shape[start..Math.Max(start, end)].Select(x => (long)x).ToArray();
                Put(new IArr(d, new[] { d.Length }));
                return true;
            }
            case "ConstantOfShape":
            {
                var shape = C(0).D.Select(x => checked((int)x)).ToArray();
                int count = shape.Aggregate(1, (a, b) => a * b);
                NdArray? value = n.Attributes.TryGetValue("value", out var va) ? va.Tensor : null;
                if (value is null || value.DType.IsFloat())
                {
                    float f = value is null ? 0f : (float)value.ToDoubles()[0];
                    PutFloat(n.Outputs[0], Tensor.Full(shape, f), env, consts);
                }
                else Put(new IArr(Enumerable.Repeat(value.ToInt64s()[0], count).ToArray(), shape));
                return true;
            }
            case "Range":
            {
                if (!consts.TryGetValue(n.Inputs[0], out var s0)) throw bad("a constant start");
                if (s0.DType.IsFloat())
                {
                    double st = consts[n.Inputs[0]].ToDoubles()[0], lim = consts[n.Inputs[1]].ToDoubles()[0], de = consts[n.Inputs[2]].ToDoubles()[0];
                    int cnt = Math.Max(0, (int)Math.Ceiling((lim - st) / de));
                    PutFloat(n.Outputs[0], new Tensor(new[] { cnt }, Enumerable.Range(0, cnt).Select(i => (float)(st + i * de)).ToArray()), env, consts);
                }
                else
                {
                    long st = C(0).D[0], lim = C(1).D[0], de = C(2).D[0];
                    if (de == 0) throw bad("a nonzero delta");
                    long cnt = Math.Max(0, (lim - st + de + (de > 0 ? -1 : 1)) / de);
                    Put(new IArr(Enumerable.Range(0, (int)cnt).Select(i => st + i * de).ToArray(), new[] { (int)cnt }));
                }
                return true;
            }
        }

        if (!Foldable.Contains(n.OpType)) return false;
        var present = Enumerable.Range(0, n.Inputs.Count).Where(Has).ToList();
        if (present.Count == 0 || present.Any(i => !consts.ContainsKey(n.Inputs[i]))) return false;
        // The data inputs decide: float data stays on the differentiable path (constants there are harmless).
        int[] dataInputs = n.OpType switch
        {
            "Where" => new[] { 1, 2 },
            "Add" or "Sub" or "Mul" or "Div" or "Equal" => new[] { 0, 1 },
            "Concat" => present.ToArray(),
            _ => new[] { 0 },
        };
        bool intData = dataInputs.Any(i => Has(i) && !consts[n.Inputs[i]].DType.IsFloat());
        if (!intData && n.OpType != "Cast") return false;

        switch (n.OpType)
        {
            case "Identity":
            case "Dropout":
                consts[n.Outputs[0]] = consts[n.Inputs[0]];
                return true;
            case "Neg": { var a = C(0); Put(a with { D = a.D.Select(x => -x).ToArray() }); return true; }
            case "Add": Put(Bin(C(0), C(1), (a, b) => a + b)); return true;
            case "Sub": Put(Bin(C(0), C(1), (a, b) => a - b)); return true;
            case "Mul": Put(Bin(C(0), C(1), (a, b) => a * b)); return true;
            case "Div": Put(Bin(C(0), C(1), (a, b) => b == 0 ? throw bad("a nonzero integer divisor") : a / b)); return true;
            case "Equal": Put(Bin(C(0), C(1), (a, b) => a == b ? 1 : 0)); return true;
            case "Where":
            {
                var c = C(0); var x = C(1); var y = C(2);
                var shape = Broadcast.Shape("Where", Broadcast.Shape("Where", c.S, x.S), y.S);
                var zero = new IArr(new long[shape.Aggregate(1, (a, b) => a * b)], shape);
                var cc = Bin(c, zero, (a, _) => a); var xx = Bin(x, zero, (a, _) => a); var yy = Bin(y, zero, (a, _) => a);
                Put(new IArr(cc.D.Select((v, i) => v != 0 ? xx.D[i] : yy.D[i]).ToArray(), shape));
                return true;
            }
            case "Expand":
            {
                var x = C(0);
                var target = C(1).D.Select(v => (int)v).ToArray();
                var shape = Broadcast.Shape("Expand", x.S, target);
                Put(Bin(x, new IArr(new long[shape.Aggregate(1, (a, b) => a * b)], shape), (a, _) => a));
                return true;
            }
            case "Cast":
            {
                long to = I("to", 1);
                var src = consts[n.Inputs[0]];
                if (to is 1 or 10 or 11 or 16)
                    PutFloat(n.Outputs[0], src.DType.IsFloat() ? src.ToTensor() : new Tensor(src.Shape, src.ToInt64s().Select(v => (float)v).ToArray()), env, consts);
                else
                {
                    var a = IArr.Of(src);
                    Put(to == 9 ? a with { D = a.D.Select(v => v != 0 ? 1L : 0L).ToArray() } : a);
                }
                return true;
            }
            case "Reshape":
            {
                var x = C(0);
                var s = OnnxShapes.ReshapeTarget(x.S, C(1).D, I("allowzero", 0) != 0);
                Put(x with { S = s });
                return true;
            }
            case "Unsqueeze":
            {
                var x = C(0);
                Put(x with { S = OnnxShapes.Unsqueeze(x.S, Is("axes") ?? C(1).D) });
                return true;
            }
            case "Squeeze":
            {
                var x = C(0);
                Put(x with { S = OnnxShapes.Squeeze(x.S, Is("axes") ?? (Has(1) ? C(1).D : null)) });
                return true;
            }
            case "Concat":
            {
                var xs = present.Select(C).ToList();
                int rank = xs[0].S.Length, axis = (int)I("axis", 0);
                if (axis < 0) axis += rank;
                int outer = xs[0].S[..axis].Aggregate(1, (a, b) => a * b);
                var d = new List<long>();
                for (int o = 0; o < outer; o++)
                    foreach (var x in xs)
                    {
                        int block = x.D.Length / Math.Max(outer, 1);
                        d.AddRange(x.D.Skip(o * block).Take(block));
                    }
                var shape = (int[])xs[0].S.Clone();
                shape[axis] = xs.Sum(x => x.S[axis]);
                Put(new IArr(d.ToArray(), shape));
                return true;
            }
            case "Gather":
            {
                var x = C(0); var idx = C(1);
                int axis = (int)I("axis", 0);
                if (axis < 0) axis += x.S.Length;
                var taken = Take(x, axis, idx.D.Select(v => (int)(v < 0 ? v + x.S[axis] : v)).ToArray());
                var shape = x.S[..axis].Concat(idx.S).Concat(x.S[(axis + 1)..]).ToArray();
                Put(taken with { S = shape });
                return true;
            }
            case "Transpose":
            {
                var x = C(0);
                int r = x.S.Length;
                int[] perm = Is("perm")?.Select(v => (int)v).ToArray() ?? Enumerable.Range(0, r).Reverse().ToArray();
                var shape = perm.Select(p => x.S[p]).ToArray();
                var inStride = new int[r];
                for (int i = r - 1, acc = 1; i >= 0; acc *= x.S[i], i--) inStride[i] = acc;
                var d = new long[x.D.Length];
                for (int flat = 0; flat < d.Length; flat++)
                {
                    int rem = flat, src = 0;
                    for (int i = r - 1; i >= 0; i--)
                    {
                        src += rem % shape[i] * inStride[perm[i]];
                        rem /= shape[i];
                    }
                    d[flat] = x.D[src];
                }
                Put(new IArr(d, shape));
                return true;
            }
            case "Slice":
            {
                var x = C(0);
                foreach (var (axis, index) in OnnxShapes.SliceIndices(x.S, C(1).D, C(2).D, Has(3) ? C(3).D : null, Has(4) ? C(4).D : null))
                    x = Take(x, axis, index);
                Put(x);
                return true;
            }
        }
        return false;
    }

    private static void PutFloat(string name, Tensor t, Dictionary<string, Var> env, Dictionary<string, NdArray> consts)
    {
        consts[name] = NdArray.FromTensor(t);
        env[name] = F.Const(t);
    }

    /// <summary>Elements at <paramref name="index"/> along <paramref name="axis"/> (the 1-D index becomes that axis).</summary>
    internal static IArr Take(IArr x, int axis, int[] index)
    {
        int outer = x.S[..axis].Aggregate(1, (a, b) => a * b), inner = x.S[(axis + 1)..].Aggregate(1, (a, b) => a * b), n = x.S[axis];
        var d = new long[outer * index.Length * inner];
        int k = 0;
        for (int o = 0; o < outer; o++)
            foreach (int j in index)
            {
                if (j < 0 || j >= n) throw new AtlasArgumentException("index", $"{j} is outside [0, {n}) on axis {axis}");
                Array.Copy(x.D, (o * n + j) * inner, d, k, inner);
                k += inner;
            }
        var s = (int[])x.S.Clone();
        s[axis] = index.Length;
        return new IArr(d, s);
    }

    /// <summary>Numpy-broadcast elementwise operation.</summary>
    internal static IArr Bin(IArr a, IArr b, Func<long, long, long> f)
    {
        var shape = Broadcast.Shape("onnx", a.S, b.S);
        int r = shape.Length, count = shape.Aggregate(1, (p, q) => p * q);
        int[] Strides(int[] s)
        {
            var st = new int[r];
            int acc = 1;
            for (int i = s.Length - 1; i >= 0; i--)
            {
                st[r - s.Length + i] = s[i] == 1 ? 0 : acc;
                acc *= s[i];
            }
            return st;
        }
        int[] sa = Strides(a.S), sb = Strides(b.S);
        var d = new long[count];
        for (int flat = 0; flat < count; flat++)
        {
            int rem = flat, ia = 0, ib = 0;
            for (int i = r - 1; i >= 0; i--)
            {
                int c = rem % shape[i];
                rem /= shape[i];
                ia += c * sa[i];
                ib += c * sb[i];
            }
            d[flat] = f(a.D[ia], b.D[ib]);
        }
        return new IArr(d, shape);
    }
}
