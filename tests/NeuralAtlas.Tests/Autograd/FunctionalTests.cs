using NeuralAtlas.Autograd;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Autograd;

/// <summary>Tape mechanics and the function transforms, against closed forms and finite differences.</summary>
public class FunctionalTests
{
    private static Tensor R(int seed, params int[] shape)
    {
        var rng = new Rng(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Uniform(-1, 1);
        return t;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double s = 0;
        for (int i = 0; i < a.Numel; i++) s += (double)a.Data[i] * b.Data[i];
        return s;
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = new Var(Tensor.FromArray(new float[] { 1, 2, 3 }, 3), requiresGrad: true);
        F.Sum(F.Square(x)).Backward();
        F.Sum(F.Square(x)).Backward();
        Assert.Equal(new float[] { 4, 8, 12 }, x.Grad!.Data); // 2 · 2x
    }

    [Fact]
    public void ReusedVariableSumsItsGradients()
    {
        var x = new Var(Tensor.Scalar(3), requiresGrad: true);
        var y = F.Add(F.Mul(x, x), F.Scale(x, 5)); // x² + 5x → 2x + 5 = 11
        y.Backward();
        Assert.Equal(11f, x.Grad!.Data[0]);
    }

    [Fact]
    public void NoGradAndDetachRecordNothing()
    {
        var x = new Var(Tensor.Scalar(2), requiresGrad: true);
        using (GradMode.NoGrad())
        {
            var y = F.Mul(x, x);
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFn);
        }
        var z = F.Mul(x.Detach(), x); // d/dx = detached value 2
        z.Backward();
        Assert.Equal(2f, x.Grad!.Data[0]);
        Assert.Throws<AtlasArgumentException>(() => new Var(Tensor.Scalar(1)).Backward());
        Assert.Throws<AtlasArgumentException>(() => F.Mul(x, x.Detach()).Detach().Backward());
    }

    [Fact]
    public void NonScalarBackwardNeedsAGradient()
    {
        var x = new Var(R(1, 3), requiresGrad: true);
        Assert.Throws<AtlasArgumentException>(() => F.Scale(x, 2).Backward());
    }

    [Fact]
    public void HigherOrderGradientOfACubic()
    {
        // f = x³: f' = 3x², f'' = 6x, f''' = 6.
        var x = new Var(Tensor.Scalar(2), requiresGrad: true);
        var y = F.Pow(x, 3);
        var g1 = Functional.Grad(new[] { y }, new[] { x }, createGraph: true)[0]!;
        var g2 = Functional.Grad(new[] { g1 }, new[] { x }, createGraph: true)[0]!;
        var g3 = Functional.Grad(new[] { g2 }, new[] { x })[0]!;
        Assert.Equal(12f, g1.Item(), 4);
        Assert.Equal(12f, g2.Item(), 4);
        Assert.Equal(6f, g3.Item(), 4);
    }

    [Fact]
    public void HessianVectorProductOfAQuadraticIsAv()
    {
        // f = ½ xᵀAx with symmetric A: H = A.
        var a = R(3, 4, 4);
        var sym = Ops.Add(a, Ops.Transpose(a, 0, 1));
        var v = R(4, 4);
        var hv = Functional.Hvp(x => F.Scale(F.Sum(F.Mul(x, F.Squeeze(F.MatMul(F.Const(sym), F.Unsqueeze(x, 1)), 1))), 0.5f), R(5, 4), v);
        var expected = Ops.Matmul(sym, v.Reshape(4, 1)).Reshape(4);
        for (int i = 0; i < 4; i++) Assert.Equal(expected.Data[i], hv.Data[i], 4);
    }

    [Fact]
    public void JvpAndVjpAreAdjointThroughTheReferenceCnn()
    {
        // ⟨J v, u⟩ = ⟨v, Jᵀu⟩ for the whole network (conv, relu, pool, linear), and J v equals the rows of J obtained by VJPs.
        var model = new ReferenceCnn(new Rng(1));
        model.Eval();
        var x = R(6, 1, 1, 28, 28);
        var v = R(7, 1, 1, 28, 28);
        var u = R(8, 1, 10);
        var (y, jv) = Functional.Jvp(model.Forward, x, v);
        var (_, vjp) = Functional.Vjp(model.Forward, x, u);
        double lhs = Dot(jv, u), rhs = Dot(v, vjp);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * (Math.Abs(lhs) + 1e-3), $"<Jv,u> = {lhs}, <v,J^T u> = {rhs}");
        // Row i of J is the VJP with the unit vector eᵢ: (Jv)ᵢ = ⟨v, Jᵀeᵢ⟩ exactly, kinks or not.
        for (int i = 0; i < 10; i++)
        {
            var e = new Tensor(1, 10);
            e.Data[i] = 1;
            double row = Dot(v, Functional.Vjp(model.Forward, x, e).Vjp);
            Assert.True(Math.Abs(row - jv.Data[i]) <= 1e-4 * (Math.Abs(row) + 1e-2), $"logit {i}: jvp {jv.Data[i]}, from vjp rows {row}");
        }
        Assert.Equal(10, y.Numel);
    }

    [Fact]
    public void ManyDirectionJvpMatchesOneAtATime()
    {
        var model = new ResNet20(new Rng(2), inChannels: 1);
        model.Eval();
        var x = R(9, 1, 1, 8, 8);
        var dirs = Enumerable.Range(0, 3).Select(i => R(20 + i, 1, 1, 8, 8)).ToArray();
        var (_, many) = Functional.Jvp(model.Forward, x, dirs);
        for (int k = 0; k < dirs.Length; k++)
        {
            var (_, one) = Functional.Jvp(model.Forward, x, dirs[k]);
            for (int i = 0; i < one.Numel; i++) Assert.Equal(one.Data[i], many[k].Data[i], 4);
        }
    }

    [Fact]
    public void GradOfAFunction()
    {
        var grad = Functional.Grad(x => F.Sum(F.Mul(x, x)));
        var x0 = R(10, 5);
        var g = grad(x0);
        for (int i = 0; i < 5; i++) Assert.Equal(2 * x0.Data[i], g.Data[i], 5);
    }
}
