using NeuralAtlas.Symmetry.PartitionAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Symmetry;

public class PartitionAlgebraTests
{
    // OEIS A000110.
    private static readonly long[] BellNumbers = { 1, 1, 2, 5, 15, 52, 203, 877, 4140, 21147, 115975 };

    [Fact]
    public void BellAndStirlingMatchKnownValues()
    {
        for (int m = 0; m < BellNumbers.Length; m++) Assert.Equal(BellNumbers[m], SetPartitions.Bell(m));
        Assert.Equal(15, SetPartitions.Stirling2(5, 2));
        Assert.Equal(90, SetPartitions.Stirling2(6, 3));
        Assert.Equal(1701, SetPartitions.Stirling2(8, 4));
        Assert.Equal(0, SetPartitions.Stirling2(3, 4));
        Assert.Equal(1, SetPartitions.Stirling2(0, 0));
    }

    [Fact]
    public void EnumerationIsCompleteAndDistinct()
    {
        for (int m = 1; m <= 8; m++)
        {
            var all = SetPartitions.RestrictedGrowthStrings(m, int.MaxValue).Select(a => string.Join(",", a)).ToList();
            Assert.Equal(BellNumbers[m], all.Count);
            Assert.Equal(all.Count, all.Distinct().Count());
            for (int t = 1; t <= m; t++)
            {
                int exactly = SetPartitions.Enumerate(m - 1, 1, t).Count(p => p.BlockCount == t);
                Assert.Equal(SetPartitions.Stirling2(m, t), exactly);
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 10, 2)]
    [InlineData(2, 1, 10, 5)]
    [InlineData(1, 2, 10, 5)]
    [InlineData(2, 2, 10, 15)]
    [InlineData(3, 3, 6, 203)]
    [InlineData(3, 3, 100, 203)]
    [InlineData(2, 2, 1, 1)]      // S(4,1)
    [InlineData(2, 2, 2, 8)]      // S(4,1)+S(4,2) = 1+7
    [InlineData(2, 2, 3, 14)]     // +S(4,3) = 6
    [InlineData(3, 3, 2, 32)]     // 1+31
    [InlineData(3, 3, 4, 187)]    // 1+31+90+65
    [InlineData(0, 2, 5, 2)]
    [InlineData(2, 0, 5, 2)]
    public void BasisDimension(int k, int l, int n, int expected)
    {
        var b = new EquivariantBasis(k, l, n);
        Assert.Equal(expected, b.Dimension);
        Assert.Equal(SetPartitions.CountAtMost(k + l, n), b.Dimension);
    }

    /// <summary>The dense matrix from the definitions, written independently of the library's block bookkeeping.</summary>
    internal static double[] DenseFromDefinition(EquivariantBasis b, double[] c, BasisKind kind)
    {
        int k = b.K, l = b.L, n = b.N, m = k + l;
        int rows = Pow(n, l), cols = Pow(n, k);
        var a = new double[rows * cols];
        var idx = new int[m];
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < cols; col++)
            {
                int rr = r, cc = col;
                for (int p = l - 1; p >= 0; p--) { idx[p] = rr % n; rr /= n; }
                for (int p = m - 1; p >= l; p--) { idx[p] = cc % n; cc /= n; }
                double s = 0;
                for (int i = 0; i < b.Dimension; i++)
                {
                    var blk = b.Partitions[i].Blocks;
                    bool ok = true;
                    for (int p = 0; p < m && ok; p++)
                        for (int q = 0; q < m && ok; q++)
                        {
                            bool sameBlock = blk[p] == blk[q], sameIndex = idx[p] == idx[q];
                            ok = kind == BasisKind.Diagram ? !sameBlock || sameIndex : sameBlock == sameIndex;
                        }
                    if (ok) s += c[i];
                }
                a[r * cols + col] = s;
            }
        return a;
    }

    internal static int Pow(int n, int e)
    {
        int r = 1;
        for (int i = 0; i < e; i++) r *= n;
        return r;
    }

    private static double[] Random(Rng rng, int len) => Enumerable.Range(0, len).Select(_ => rng.Normal()).ToArray();

    public static IEnumerable<object[]> SmallCases()
    {
        for (int m = 1; m <= 6; m++)
            for (int k = 0; k <= m; k++)
                foreach (int n in m <= 4 ? new[] { 1, 2, 3, 5 } : new[] { 1, 2, 3 })
                    yield return new object[] { k, m - k, n };
    }

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void FastProductEqualsDenseDefinition(int k, int l, int n)
    {
        var rng = new Rng(1000 * k + 100 * l + n);
        var basis = new EquivariantBasis(k, l, n);
        foreach (var kind in new[] { BasisKind.Diagram, BasisKind.Orbit })
        {
            var c = Random(rng, basis.Dimension);
            var x = Random(rng, Pow(n, k));
            var dense = DenseFromDefinition(basis, c, kind);
            var expected = DenseEquivariant.Multiply(dense, x, Pow(n, l));
            var fast = new EquivariantMap(basis, c, kind).Apply(x);
            Assert.Equal(expected.Length, fast.Length);
            for (int i = 0; i < fast.Length; i++) Assert.True(Math.Abs(fast[i] - expected[i]) < 1e-10, $"{kind} k={k} l={l} n={n} entry {i}: {fast[i]} vs {expected[i]}");
            // The library's dense builder (used by the benchmark) agrees with the definition too.
            var libDense = DenseEquivariant.Matrix(basis, c, kind);
            for (int i = 0; i < dense.Length; i++) Assert.True(Math.Abs(libDense[i] - dense[i]) < 1e-12);
        }
    }

    [Theory]
    [InlineData(2, 2, 7)]
    [InlineData(1, 3, 6)]
    [InlineData(3, 1, 6)]
    [InlineData(3, 3, 5)]
    [InlineData(0, 3, 4)]
    [InlineData(2, 0, 9)]
    public void EquivariantUnderRandomPermutations(int k, int l, int n)
    {
        var rng = new Rng(7 + k + 10 * l + 100 * n);
        var basis = new EquivariantBasis(k, l, n);
        var map = new EquivariantMap(basis, Random(rng, basis.Dimension), BasisKind.Orbit);
        for (int trial = 0; trial < 3; trial++)
        {
            int[] perm = rng.Permutation(n);
            var x = Random(rng, Pow(n, k));
            var lhs = map.Apply(Permute(x, perm, n, k));
            var rhs = Permute(map.Apply(x), perm, n, l);
            for (int i = 0; i < lhs.Length; i++) Assert.True(Math.Abs(lhs[i] - rhs[i]) < 1e-5 * (1 + Math.Abs(rhs[i])));
            // A nonzero map is not invariant to everything: a generic x moved by a non-identity permutation changes f(x).
        }
    }

    /// <summary>(g·x)[g(i1), …, g(ir)] = x[i1, …, ir].</summary>
    private static double[] Permute(double[] x, int[] g, int n, int r)
    {
        var y = new double[x.Length];
        var idx = new int[r];
        for (int e = 0; e < x.Length; e++)
        {
            int t = e;
            for (int p = r - 1; p >= 0; p--) { idx[p] = t % n; t /= n; }
            int dst = 0;
            for (int p = 0; p < r; p++) dst = dst * n + g[idx[p]];
            y[dst] = x[e];
        }
        return y;
    }

    [Theory]
    [InlineData(2, 2, 10)]
    [InlineData(3, 3, 10)]
    [InlineData(3, 3, 3)]
    [InlineData(2, 3, 2)]
    public void MobiusRoundTripIsExact(int k, int l, int n)
    {
        var basis = new EquivariantBasis(k, l, n);
        var mt = new MobiusTransform(basis);
        var rng = new Rng(5);
        var v = Enumerable.Range(0, basis.Dimension).Select(_ => (double)rng.NextInt(-50, 51)).ToArray();
        Assert.Equal(v, mt.OrbitToDiagram(mt.DiagramToOrbit(v)));
        Assert.Equal(v, mt.DiagramToOrbit(mt.OrbitToDiagram(v)));
        var r = Random(rng, basis.Dimension);
        var back = mt.DiagramToOrbit(mt.OrbitToDiagram(r));
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(back[i] - r[i]) < 1e-9 * (1 + Math.Abs(r[i])));
    }

    [Fact]
    public void MobiusCoefficientsMatchTheLattice()
    {
        // For 2 points: X_{1}{1'} = D_{1}{1'} − D_{1,1'}; μ(0̂, 1̂) on m points is (−1)^{m−1}(m−1)!.
        var basis = new EquivariantBasis(1, 1, 5);
        var mt = new MobiusTransform(basis);
        int finest = basis.IndexOf(new SetPartition(1, 1, new[] { 0, 1 }));
        int coarsest = basis.IndexOf(new SetPartition(1, 1, new[] { 0, 0 }));
        Assert.Equal(-1, mt.Mu(finest, coarsest));
        var b3 = new EquivariantBasis(2, 2, 4);
        var m3 = new MobiusTransform(b3);
        Assert.Equal(-6, m3.Mu(b3.IndexOf(new SetPartition(2, 2, new[] { 0, 1, 2, 3 })), b3.IndexOf(new SetPartition(2, 2, new[] { 0, 0, 0, 0 }))));
        Assert.Equal(1, m3.Mu(2, 2));
    }

    [Theory]
    [InlineData(2, 2, 2)]
    [InlineData(2, 2, 3)]
    [InlineData(1, 2, 4)]
    [InlineData(3, 2, 2)]
    public void DiagramBasisIsLinearlyIndependent(int k, int l, int n)
    {
        // Rank of the dense basis matrices (as vectors) equals the dimension, also when n < k + l.
        var basis = new EquivariantBasis(k, l, n);
        int len = Pow(n, k + l);
        var rows = new double[basis.Dimension][];
        for (int i = 0; i < basis.Dimension; i++)
        {
            var e = new double[basis.Dimension];
            e[i] = 1;
            rows[i] = DenseFromDefinition(basis, e, BasisKind.Diagram);
        }
        var m = NeuralAtlas.LinearAlgebra.DMatrix.FromRows(rows);
        var s = NeuralAtlas.LinearAlgebra.Decompositions.SingularValues(m);
        Assert.Equal(basis.Dimension, s.Count(x => x > 1e-8 * s[0]));
        Assert.True(len >= basis.Dimension);
    }

    [Fact]
    public void WrongCoefficientCountIsRefused()
    {
        var basis = new EquivariantBasis(2, 2, 5);
        var e = Assert.Throws<AtlasArgumentException>(() => new EquivariantMap(basis, new double[14]));
        Assert.Contains("expected 15", e.Message);
        Assert.Throws<AtlasArgumentException>(() => new EquivariantMap(basis, new double[] { double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        var map = new EquivariantMap(basis, new double[15]);
        Assert.Throws<AtlasArgumentException>(() => map.Apply(new double[24]));
    }

    [Fact]
    public void TensorsLargerThanMemoryAreRefusedWithTheirSize()
    {
        var basis = new EquivariantBasis(1, 5, 100_000);
        var e = Assert.Throws<AtlasArgumentException>(() => new EquivariantMap(basis, new double[basis.Dimension]));
        Assert.Contains("100000^5", e.Message);
        var e2 = Assert.Throws<AtlasArgumentException>(() => new EquivariantMap(new EquivariantBasis(2, 2, 50_000), new double[15]));
        Assert.Contains("50000^2 = 2,500,000,000", e2.Message);
        Assert.Throws<AtlasArgumentException>(() => new EquivariantBasis(7, 6, 3));
        Assert.Throws<AtlasArgumentException>(() => new EquivariantBasis(0, 0, 3));
        Assert.Throws<AtlasArgumentException>(() => new EquivariantBasis(1, 1, 0));
    }
}
