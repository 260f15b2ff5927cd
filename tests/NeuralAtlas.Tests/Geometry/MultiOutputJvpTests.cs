using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>
/// The several-output Jvp that neural frames use (one pass, one tangent per tapped layer) against closed forms: for
/// f(x) = (x, A x, relu(A x), x ⊙ x, the same Var twice, a constant), J·v is (v, A v, [A x &gt; 0] ⊙ A v, 2 x ⊙ v, …, 0).
/// </summary>
public class MultiOutputJvpTests
{
    [Fact]
    public void EachOutputGetsItsOwnTangent()
    {
        var rng = new Rng(3);
        Tensor Rand(params int[] s) { var t = new Tensor(s); for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal(); return t; }
        var a = Rand(5, 4);
        var x = Rand(4);
        var dirs = new[] { Rand(4), Rand(4), Rand(4) };
        Var[] Fn(Var xv)
        {
            var ax = F.MatMul(F.Const(a), F.Reshape(xv, 4, 1));
            var r = F.Relu(ax);
            return new[] { xv, ax, r, xv * xv, r, F.Const(Tensor.Full(new[] { 2 }, 1f)) };
        }
        var (outs, jvps) = Functional.Jvp(Fn, x, dirs);
        Assert.Equal(6, outs.Length);
        for (int k = 0; k < dirs.Length; k++)
        {
            var v = dirs[k].Data;
            Assert.Equal(v, jvps[k][0].Data);
            for (int i = 0; i < 5; i++)
            {
                double axi = 0, avi = 0;
                for (int j = 0; j < 4; j++) { axi += a.Data[i * 4 + j] * (double)x.Data[j]; avi += a.Data[i * 4 + j] * (double)v[j]; }
                Assert.Equal(avi, jvps[k][1].Data[i], 5);
                Assert.Equal(axi > 0 ? avi : 0, jvps[k][2].Data[i], 5);
                Assert.Equal(axi > 0 ? avi : 0, jvps[k][4].Data[i], 5);
            }
            for (int j = 0; j < 4; j++) Assert.Equal(2.0 * x.Data[j] * v[j], jvps[k][3].Data[j], 5);
            Assert.Equal(new float[2], jvps[k][5].Data);
        }
    }
}
