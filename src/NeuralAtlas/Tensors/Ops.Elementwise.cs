using System.Numerics.Tensors;

namespace NeuralAtlas.Tensors;

/// <summary>
/// The tensor operations, named after PyTorch's functions in PascalCase. Every op returns a new contiguous
/// tensor; none mutates its inputs. This part: element-wise arithmetic and math with NumPy/PyTorch broadcasting.
/// </summary>
public static partial class Ops
{
    internal interface IBinary
    {
        static abstract float Apply(float a, float b);
        static abstract void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d);
        static abstract void VS(ReadOnlySpan<float> a, float b, Span<float> d);
        static abstract void SV(float a, ReadOnlySpan<float> b, Span<float> d);
    }

    private const long ElementGrain = 1 << 16;

    internal static Tensor Binary<T>(string op, Tensor a, Tensor b) where T : IBinary
    {
        if (a.SameShape(b))
        {
            var r = Tensor.Uninitialized(a.Shape);
            Parallelism.Chunks(r.Numel, ElementGrain, (s, e) =>
                T.VV(a.Data.AsSpan((int)s, (int)(e - s)), b.Data.AsSpan((int)s, (int)(e - s)), r.Data.AsSpan((int)s, (int)(e - s))));
            return r;
        }
        var shape = Broadcast.Shape(op, a.Shape, b.Shape);
        var res = Tensor.Uninitialized(shape);
        if (res.Numel == 0) return res;
        var (cs, st) = Broadcast.Coalesce(shape, Broadcast.Strides(a.Shape, shape), Broadcast.Strides(b.Shape, shape));
        int[] sa = st[0], sb = st[1];
        int last = cs.Length - 1, n = cs[last];
        int ia = sa[last], ib = sb[last];
        if (cs.Length == 1)
        {
            RunBinary<T>(a.Data, 0, ia, b.Data, 0, ib, res.Data, 0, n);
            return res;
        }
        long outer = res.Numel / n;
        Parallelism.Chunks(outer, Math.Max(1, ElementGrain / n), (s, e) =>
        {
            var idx = new int[last];
            long rem = s;
            int oa = 0, ob = 0;
            for (int d = last - 1; d >= 0; d--)
            {
                idx[d] = (int)(rem % cs[d]); rem /= cs[d];
                oa += idx[d] * sa[d]; ob += idx[d] * sb[d];
            }
            for (long o = s; o < e; o++)
            {
                RunBinary<T>(a.Data, oa, ia, b.Data, ob, ib, res.Data, (int)(o * n), n);
                for (int d = last - 1; d >= 0; d--)
                {
                    idx[d]++; oa += sa[d]; ob += sb[d];
                    if (idx[d] < cs[d]) break;
                    oa -= sa[d] * cs[d]; ob -= sb[d] * cs[d]; idx[d] = 0;
                }
            }
        });
        return res;
    }

    private static void RunBinary<T>(float[] a, int oa, int ia, float[] b, int ob, int ib, float[] d, int od, int n) where T : IBinary
    {
        var dst = d.AsSpan(od, n);
        if (ia == 1 && ib == 1) T.VV(a.AsSpan(oa, n), b.AsSpan(ob, n), dst);
        else if (ia == 1) T.VS(a.AsSpan(oa, n), b[ob], dst);
        else if (ib == 1) T.SV(a[oa], b.AsSpan(ob, n), dst);
        else dst.Fill(T.Apply(a[oa], b[ob]));
    }

    internal static Tensor BinaryScalar<T>(Tensor a, float b) where T : IBinary
    {
        var r = Tensor.Uninitialized(a.Shape);
        Parallelism.Chunks(r.Numel, ElementGrain, (s, e) => T.VS(a.Data.AsSpan((int)s, (int)(e - s)), b, r.Data.AsSpan((int)s, (int)(e - s))));
        return r;
    }

    internal static Tensor ScalarBinary<T>(float a, Tensor b) where T : IBinary
    {
        var r = Tensor.Uninitialized(b.Shape);
        Parallelism.Chunks(r.Numel, ElementGrain, (s, e) => T.SV(a, b.Data.AsSpan((int)s, (int)(e - s)), r.Data.AsSpan((int)s, (int)(e - s))));
        return r;
    }

    internal struct AddOp : IBinary
    {
        public static float Apply(float a, float b) => a + b;
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Add(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Add(b, a, d);
    }

    internal struct SubOp : IBinary
    {
        public static float Apply(float a, float b) => a - b;
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Subtract(a, b, d);
    }

    internal struct MulOp : IBinary
    {
        public static float Apply(float a, float b) => a * b;
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Multiply(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Multiply(b, a, d);
    }

    internal struct DivOp : IBinary
    {
        public static float Apply(float a, float b) => a / b;
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Divide(a, b, d);
    }

    internal struct PowOp : IBinary
    {
        public static float Apply(float a, float b) => MathF.Pow(a, b);
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = MathF.Pow(a[i], b[i]); }
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d)
        {
            if (b == 2) TensorPrimitives.Multiply(a, a, d);
            else if (b == 1) a.CopyTo(d);
            else if (b == 0.5f) TensorPrimitives.Sqrt(a, d);
            else for (int i = 0; i < d.Length; i++) d[i] = MathF.Pow(a[i], b);
        }
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = MathF.Pow(a, b[i]); }
    }

    internal struct MaxOp : IBinary
    {
        public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b);
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Max(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Max(b, a, d);
    }

    internal struct MinOp : IBinary
    {
        public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Min(a, b);
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(a, b, d);
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) => TensorPrimitives.Min(a, b, d);
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) => TensorPrimitives.Min(b, a, d);
    }

    internal interface ICompare { static abstract bool Test(float a, float b); }

    internal struct Cmp<C> : IBinary where C : ICompare
    {
        public static float Apply(float a, float b) => C.Test(a, b) ? 1f : 0f;
        public static void VV(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = C.Test(a[i], b[i]) ? 1f : 0f; }
        public static void VS(ReadOnlySpan<float> a, float b, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = C.Test(a[i], b) ? 1f : 0f; }
        public static void SV(float a, ReadOnlySpan<float> b, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = C.Test(a, b[i]) ? 1f : 0f; }
    }

    internal struct EqC : ICompare { public static bool Test(float a, float b) => a == b; }
    internal struct NeC : ICompare { public static bool Test(float a, float b) => a != b; }
    internal struct LtC : ICompare { public static bool Test(float a, float b) => a < b; }
    internal struct LeC : ICompare { public static bool Test(float a, float b) => a <= b; }
    internal struct GtC : ICompare { public static bool Test(float a, float b) => a > b; }
    internal struct GeC : ICompare { public static bool Test(float a, float b) => a >= b; }

    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary<AddOp>("add", a, b);
    /// <summary>a + s.</summary>
    public static Tensor Add(Tensor a, float s) => BinaryScalar<AddOp>(a, s);
    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary<SubOp>("sub", a, b);
    /// <summary>a − s.</summary>
    public static Tensor Sub(Tensor a, float s) => BinaryScalar<SubOp>(a, s);
    /// <summary>s − b.</summary>
    public static Tensor Sub(float s, Tensor b) => ScalarBinary<SubOp>(s, b);
    /// <summary>a · b element-wise with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary<MulOp>("mul", a, b);
    /// <summary>a · s.</summary>
    public static Tensor Mul(Tensor a, float s) => BinaryScalar<MulOp>(a, s);
    /// <summary>a / b element-wise with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary<DivOp>("div", a, b);
    /// <summary>a / s.</summary>
    public static Tensor Div(Tensor a, float s) => BinaryScalar<DivOp>(a, s);
    /// <summary>s / b.</summary>
    public static Tensor Div(float s, Tensor b) => ScalarBinary<DivOp>(s, b);
    /// <summary>a ** b with broadcasting.</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Binary<PowOp>("pow", a, b);
    /// <summary>a ** p.</summary>
    public static Tensor Pow(Tensor a, float p) => BinaryScalar<PowOp>(a, p);
    /// <summary>s ** b.</summary>
    public static Tensor Pow(float s, Tensor b) => ScalarBinary<PowOp>(s, b);
    /// <summary>Element-wise maximum with broadcasting (NaN propagates, like torch.maximum).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary<MaxOp>("maximum", a, b);
    /// <summary>max(a, s) element-wise.</summary>
    public static Tensor Maximum(Tensor a, float s) => BinaryScalar<MaxOp>(a, s);
    /// <summary>Element-wise minimum with broadcasting (NaN propagates, like torch.minimum).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary<MinOp>("minimum", a, b);
    /// <summary>min(a, s) element-wise.</summary>
    public static Tensor Minimum(Tensor a, float s) => BinaryScalar<MinOp>(a, s);

    /// <summary>1 where a == b else 0 (broadcasting).</summary>
    public static Tensor Eq(Tensor a, Tensor b) => Binary<Cmp<EqC>>("eq", a, b);
    /// <summary>1 where a == s else 0.</summary>
    public static Tensor Eq(Tensor a, float s) => BinaryScalar<Cmp<EqC>>(a, s);
    /// <summary>1 where a != b else 0 (broadcasting).</summary>
    public static Tensor Ne(Tensor a, Tensor b) => Binary<Cmp<NeC>>("ne", a, b);
    /// <summary>1 where a != s else 0.</summary>
    public static Tensor Ne(Tensor a, float s) => BinaryScalar<Cmp<NeC>>(a, s);
    /// <summary>1 where a &lt; b else 0 (broadcasting).</summary>
    public static Tensor Lt(Tensor a, Tensor b) => Binary<Cmp<LtC>>("lt", a, b);
    /// <summary>1 where a &lt; s else 0.</summary>
    public static Tensor Lt(Tensor a, float s) => BinaryScalar<Cmp<LtC>>(a, s);
    /// <summary>1 where a ≤ b else 0 (broadcasting).</summary>
    public static Tensor Le(Tensor a, Tensor b) => Binary<Cmp<LeC>>("le", a, b);
    /// <summary>1 where a ≤ s else 0.</summary>
    public static Tensor Le(Tensor a, float s) => BinaryScalar<Cmp<LeC>>(a, s);
    /// <summary>1 where a &gt; b else 0 (broadcasting).</summary>
    public static Tensor Gt(Tensor a, Tensor b) => Binary<Cmp<GtC>>("gt", a, b);
    /// <summary>1 where a &gt; s else 0.</summary>
    public static Tensor Gt(Tensor a, float s) => BinaryScalar<Cmp<GtC>>(a, s);
    /// <summary>1 where a ≥ b else 0 (broadcasting).</summary>
    public static Tensor Ge(Tensor a, Tensor b) => Binary<Cmp<GeC>>("ge", a, b);
    /// <summary>1 where a ≥ s else 0.</summary>
    public static Tensor Ge(Tensor a, float s) => BinaryScalar<Cmp<GeC>>(a, s);

    internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    internal static Tensor Unary(Tensor a, SpanMap f)
    {
        var r = Tensor.Uninitialized(a.Shape);
        Parallelism.Chunks(r.Numel, ElementGrain, (s, e) => f(a.Data.AsSpan((int)s, (int)(e - s)), r.Data.AsSpan((int)s, (int)(e - s))));
        return r;
    }

    /// <summary>Applies a scalar function element-wise (in parallel for large tensors; f must be thread-safe).</summary>
    public static Tensor Map(Tensor a, Func<float, float> f)
        => Unary(a, (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = f(x[i]); });

    /// <summary>−a.</summary>
    public static Tensor Neg(Tensor a) => Unary(a, TensorPrimitives.Negate);
    /// <summary>|a|.</summary>
    public static Tensor Abs(Tensor a) => Unary(a, TensorPrimitives.Abs);
    /// <summary>e^a.</summary>
    public static Tensor Exp(Tensor a) => Unary(a, TensorPrimitives.Exp);
    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor a) => Unary(a, TensorPrimitives.Log);
    /// <summary>Square root.</summary>
    public static Tensor Sqrt(Tensor a) => Unary(a, TensorPrimitives.Sqrt);
    /// <summary>1/√a.</summary>
    public static Tensor Rsqrt(Tensor a) => Unary(a, (x, y) => { TensorPrimitives.Sqrt(x, y); TensorPrimitives.Divide(1f, y, y); });
    /// <summary>a².</summary>
    public static Tensor Square(Tensor a) => Unary(a, (x, y) => TensorPrimitives.Multiply(x, x, y));
    /// <summary>1/a.</summary>
    public static Tensor Reciprocal(Tensor a) => Unary(a, (x, y) => TensorPrimitives.Divide(1f, x, y));
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor a) => Unary(a, TensorPrimitives.Tanh);
    /// <summary>Logistic sigmoid 1/(1+e^−a).</summary>
    public static Tensor Sigmoid(Tensor a) => Unary(a, SigmoidSpan);
    /// <summary>max(a, 0); NaN stays NaN.</summary>
    public static Tensor Relu(Tensor a) => Unary(a, (x, y) => TensorPrimitives.Max(x, 0f, y));
    /// <summary>a where a &gt; 0, slope·a elsewhere.</summary>
    public static Tensor LeakyRelu(Tensor a, float negativeSlope = 0.01f)
        => Unary(a, (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : x[i] * negativeSlope; });
    /// <summary>Sign: −1, 0 or 1 (NaN stays NaN).</summary>
    public static Tensor Sign(Tensor a)
        => Unary(a, (x, y) => { for (int i = 0; i < x.Length; i++) { float v = x[i]; y[i] = v > 0 ? 1f : v < 0 ? -1f : v; } });
    /// <summary>The error function.</summary>
    public static Tensor Erf(Tensor a)
        => Unary(a, (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = (float)SpecialFunctions.Erf(x[i]); });

    /// <summary>GELU: exact a·Φ(a) = a/2·(1 + erf(a/√2)), or with <paramref name="tanhApproximation"/> PyTorch's approximate="tanh".</summary>
    public static Tensor Gelu(Tensor a, bool tanhApproximation = false)
    {
        if (tanhApproximation)
            return Unary(a, (x, y) =>
            {
                const double c = 0.7978845608028654; // √(2/π)
                for (int i = 0; i < x.Length; i++) { double v = x[i]; y[i] = (float)(0.5 * v * (1 + Math.Tanh(c * (v + 0.044715 * v * v * v)))); }
            });
        return Unary(a, (x, y) =>
        {
            for (int i = 0; i < x.Length; i++) { double v = x[i]; y[i] = (float)(0.5 * v * (1 + SpecialFunctions.Erf(v * 0.7071067811865476))); }
        });
    }

    /// <summary>SiLU (swish): a·sigmoid(a).</summary>
    public static Tensor Silu(Tensor a) => Unary(a, (x, y) => { SigmoidSpan(x, y); TensorPrimitives.Multiply(x, y, y); });

    /// <summary>Softplus log(1 + e^{βa})/β, linear above the threshold (as torch.nn.functional.softplus).</summary>
    public static Tensor Softplus(Tensor a, float beta = 1, float threshold = 20)
        => Unary(a, (x, y) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double bx = (double)x[i] * beta;
                y[i] = bx > threshold ? x[i] : (float)((bx > 0 ? bx + Math.Log(1 + Math.Exp(-bx)) : Math.Log(1 + Math.Exp(bx))) / beta);
            }
        });

    /// <summary>Clamps to [min, max]; either bound may be null (as torch.clamp). NaN stays NaN.</summary>
    public static Tensor Clamp(Tensor a, float? min = null, float? max = null)
        => Unary(a, (x, y) =>
        {
            x.CopyTo(y);
            if (min is float lo) TensorPrimitives.Max(y, lo, y);
            if (max is float hi) TensorPrimitives.Min(y, hi, y);
        });

    private static void SigmoidSpan(ReadOnlySpan<float> x, Span<float> y)
    {
        // TensorPrimitives.Sigmoid is 1/(1+e^-x); for very negative x e^-x overflows to ∞ and the result is 0, as in PyTorch.
        TensorPrimitives.Sigmoid(x, y);
    }
}
