using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Symmetry.PartitionAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Symmetry;

public class PermutationEquivariantTests
{
    private static Tensor Random(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Numel; i++) t.Data[i] = (float)rng.Normal();
        return t;
    }

    [Theory]
    [InlineData(2, 2, 4)]
    [InlineData(1, 1, 5)]
    [InlineData(2, 0, 4)]
    [InlineData(1, 2, 3)]
    public void LayerEqualsTheSumOfEquivariantMapsPlusBias(int k, int l, int n)
    {
        var rng = new Rng(k * 10 + l);
        var layer = new PermutationEquivariant(k, l, n, 2, 3, rng);
        var bias = Random(rng, layer.Bias.Shape);
        layer.Bias.Value = bias;
        var x = Random(rng, new[] { 2, 2 }.Concat(Enumerable.Repeat(n, k)).ToArray());
        var y = layer.Forward(new Var(x)).Value;
        var basis = new EquivariantBasis(k, l, n);
        int inLen = PartitionAlgebraTests.Pow(n, k), outLen = PartitionAlgebraTests.Pow(n, l), dim = basis.Dimension;
        for (int b = 0; b < 2; b++)
            for (int o = 0; o < 3; o++)
            {
                var expected = new double[outLen];
                for (int i = 0; i < 2; i++)
                {
                    var c = Enumerable.Range(0, dim).Select(p => layer.Weight.Value.Data[o * 2 * dim + i * dim + p]
                        / Math.Pow(n, new DiagramProduct(basis.Partitions[p], n).InputOnlyBlocks)).ToArray();
                    var xi = x.Data.Skip((b * 2 + i) * inLen).Take(inLen).Select(v => (double)v).ToArray();
                    var yi = new EquivariantMap(basis, c).Apply(xi);
                    for (int j = 0; j < outLen; j++) expected[j] += yi[j];
                }
                if (l > 0)
                {
                    var bb = new EquivariantBasis(0, l, n);
                    var bc = Enumerable.Range(0, bb.Dimension).Select(r => (double)bias.Data[o * bb.Dimension + r]).ToArray();
                    var yb = new EquivariantMap(bb, bc).Apply(new[] { 1.0 });
                    for (int j = 0; j < outLen; j++) expected[j] += yb[j];
                }
                else expected[0] += bias.Data[o];
                for (int j = 0; j < outLen; j++)
                    Assert.True(Math.Abs(y.Data[(b * 3 + o) * outLen + j] - expected[j]) < 1e-4 * (1 + Math.Abs(expected[j])));
            }
    }

    [Fact]
    public void ExpansionGradientIsTheAdjoint()
    {
        var rng = new Rng(3);
        var exp = new EquivariantExpansion(new EquivariantBasis(2, 1, 4));
        var report = GradCheck.Check(v => exp.Forward(v[0]), new[] { Random(rng, 2, 3, 4, 4) }, secondOrder: true);
        Assert.True(report.Passed, report.ToString());
        var t = EquivariantExpansion.Transpose(new SetPartition(1, 2, new[] { 0, 0, 1 })); // {1,1'}{2'} → {1,1'}{2}
        Assert.Equal((2, 1), (t.Top, t.Bottom));
        Assert.Equal(new[] { 0, 1, 0 }, t.Blocks.ToArray());
    }

    [Fact]
    public void TwoIgnLearnsToCountTriangles()
    {
        // Random graphs G(7, 1/2); the 2-IGN sees the adjacency matrix and regresses the (standardised) triangle count.
        const int n = 7, train = 192, test = 96;
        var rng = new Rng(11);
        (Tensor A, Tensor Y) Make(int count)
        {
            var a = new Tensor(count, 1, n, n);
            var y = new Tensor(count, 1);
            for (int g = 0; g < count; g++)
            {
                for (int i = 0; i < n; i++)
                    for (int j = i + 1; j < n; j++)
                        if (rng.NextInt(2) == 1) a.Data[g * n * n + i * n + j] = a.Data[g * n * n + j * n + i] = 1;
                int t = 0;
                for (int i = 0; i < n; i++)
                    for (int j = i + 1; j < n; j++)
                        for (int q = j + 1; q < n; q++)
                            if (a.Data[g * n * n + i * n + j] * a.Data[g * n * n + j * n + q] * a.Data[g * n * n + i * n + q] > 0) t++;
                y.Data[g] = (t - 4.375f) / 2.5f; // C(7,3)/8 mean; rough scale
            }
            return (a, y);
        }
        var (xa, ya) = Make(train);
        var (xt, yt) = Make(test);
        var model = new Sequential(new PermutationEquivariant(2, 2, n, 1, 8, rng), new ReLU(),
            new PermutationEquivariant(2, 2, n, 8, 8, rng), new ReLU(),
            new PermutationEquivariant(2, 0, n, 8, 8, rng), new ReLU(), new Linear(8, 1, rng));
        var opt = new Adam(model.Parameters(), lr: 0.01);
        double Mse(Tensor x, Tensor y)
        {
            using var _ = GradMode.NoGrad();
            return F.MseLoss(model.Forward(new Var(x)), new Var(y)).Item();
        }
        double baseline = yt.Data.Select(v => (double)v).Select(v => v - yt.Data.Average(q => (double)q)).Average(v => v * v);
        double before = Mse(xt, yt);
        var trace = new List<double>();
        for (int step = 0; step < 150; step++)
        {
            model.ZeroGrad();
            var loss = F.MseLoss(model.Forward(new Var(xa)), new Var(ya));
            loss.Backward();
            opt.Step();
            if (step % 30 == 0) trace.Add(loss.Item());
        }
        double after = Mse(xt, yt);
        Assert.True(after < 0.3 * baseline, $"test MSE {after:F4} (before {before:F4}, predicting the mean {baseline:F4}); train loss {string.Join(", ", trace.Select(v => v.ToString("F3")))}");
        // The trained model is invariant to relabelling the vertices.
        var perm = rng.Permutation(n);
        var xp = new Tensor(xt.Shape);
        for (int g = 0; g < test; g++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) xp.Data[g * n * n + perm[i] * n + perm[j]] = xt.Data[g * n * n + i * n + j];
        using var __ = GradMode.NoGrad();
        var p0 = model.Forward(new Var(xt)).Value.Data;
        var p1 = model.Forward(new Var(xp)).Value.Data;
        Assert.True(p0.Zip(p1, (u, v) => Math.Abs(u - v)).Max() < 1e-4);
    }
}
