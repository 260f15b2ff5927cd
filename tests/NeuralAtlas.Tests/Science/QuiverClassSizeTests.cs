using System.Numerics;
using NeuralAtlas.Science.Quivers;

namespace NeuralAtlas.Tests.Science;

/// <summary>
/// Mutation class sizes from enumeration against the closed formulas and tables that SageMath's
/// QuiverMutationType.class_size() uses (Torkildsen; Buan–Torkildsen; Bastian–Prellberg–Rubey–Stump; hard-coded
/// enumerations for E and Ẽ). The formulas are written out here from the mathematics, independently of
/// QuiverType.PublishedClassSize.
/// </summary>
public class QuiverClassSizeTests
{
    private static int Enumerated(QuiverFamily f, int rank, int? p = null) =>
        MutationClass.EnumerateKeys(QuiverType.Create(f, rank, p).Representative()).Count;

    private static BigInteger C(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        BigInteger r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    private static int Phi(int m) => Enumerable.Range(1, m).Count(k => BigInteger.GreatestCommonDivisor(k, m) == 1);

    /// <summary>Torkildsen (2008): the mutation class of A_n.</summary>
    internal static BigInteger TorkildsenA(int n)
    {
        BigInteger s = C(2 * (n + 1), n + 1) / (n + 2);
        if (n % 2 == 1) s += C(n + 1, (n + 1) / 2);
        if (n % 3 == 0) s += 2 * C(2 * n / 3, n / 3);
        Assert.Equal(0, (int)(s % (n + 3)));
        return s / (n + 3);
    }

    /// <summary>Buan–Torkildsen (2009): D_4 = 6, D_n = Σ_{k|n} φ(n/k) C(2k,k) / (2n).</summary>
    internal static BigInteger BuanTorkildsenD(int n)
    {
        if (n == 4) return 6;
        BigInteger s = 0;
        for (int k = 1; k <= n; k++) if (n % k == 0) s += Phi(n / k) * C(2 * k, k);
        Assert.Equal(0, (int)(s % (2 * n)));
        return s / (2 * n);
    }

    /// <summary>Bastian–Prellberg–Rubey–Stump (2011): Ã_(i,j), i arrows one way and j the other, n = i + j.</summary>
    internal static BigInteger BprsAffineA(int i, int j)
    {
        int n = i + j;
        var common = Enumerable.Range(1, Math.Min(i, j)).Where(k => i % k == 0 && j % k == 0).ToList();
        if (i == j)
        {
            BigInteger s = 0;
            foreach (int k in common) s += Phi(k) * BigInteger.Pow(C(2 * i / k, i / k), 2);
            Assert.Equal(0, (int)(s % n));
            BigInteger t = C(2 * i, i) + s / n;
            Assert.Equal(0, (int)(t % 4));
            return t / 4;
        }
        BigInteger u = 0;
        foreach (int k in common) u += Phi(k) * C(2 * i / k, i / k) * C(2 * j / k, j / k);
        Assert.Equal(0, (int)(u % (2 * n)));
        return u / (2 * n);
    }

    /// <summary>SageMath's D̃ values with m = vertices − 3: 9 for 5 vertices, else 2·C(2m,m) (+ C(m,m/2) for even m).</summary>
    internal static BigInteger SageAffineD(int vertices)
    {
        int m = vertices - 3;
        if (m == 2) return 9;
        return m % 2 == 1 ? 2 * C(2 * m, m) : 2 * C(2 * m, m) + C(m, m / 2);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    [InlineData(6)] [InlineData(7)] [InlineData(8)] [InlineData(9)]
    public void TypeAMatchesTorkildsenFormula(int n) => Assert.Equal(TorkildsenA(n), Enumerated(QuiverFamily.A, n));

    [Fact]
    public void TorkildsenFormulaGivesThePublishedSequence() =>
        Assert.Equal(new BigInteger[] { 1, 1, 4, 6, 19, 49, 150, 442, 1424 }, Enumerable.Range(1, 9).Select(TorkildsenA).ToArray());

    [Theory]
    [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void TypeDMatchesBuanTorkildsenFormula(int n) => Assert.Equal(BuanTorkildsenD(n), Enumerated(QuiverFamily.D, n));

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(9)] [InlineData(10)]
    public void TypeDMatchesBuanTorkildsenFormulaLarge(int n) => Assert.Equal(BuanTorkildsenD(n), Enumerated(QuiverFamily.D, n));

    [Theory]
    [InlineData(6, 67)] [InlineData(7, 416)]
    public void TypeEMatchesSage(int n, int expected) => Assert.Equal(expected, Enumerated(QuiverFamily.E, n));

    [Fact]
    [Trait("Category", "Slow")]
    public void TypeE8MatchesSage() => Assert.Equal(1574, Enumerated(QuiverFamily.E, 8));

    [Theory]
    [InlineData(7, 132)] [InlineData(8, 1080)]
    public void AffineEMatchesSage(int rank, int expected) => Assert.Equal(expected, Enumerated(QuiverFamily.AffineE, rank));

    [Fact]
    [Trait("Category", "Slow")]
    public void AffineE8MatchesSage() => Assert.Equal(7560, Enumerated(QuiverFamily.AffineE, 9));

    public static TheoryData<int, int> AffineACases()
    {
        var d = new TheoryData<int, int>();
        for (int n = 2; n <= 9; n++)
            for (int p = (n + 1) / 2; p < n; p++) d.Add(p, n - p);
        return d;
    }

    [Theory]
    [MemberData(nameof(AffineACases))]
    public void AffineAMatchesBastianPrellbergRubeyStump(int p, int q)
    {
        // Our Ã_(p,q) representative has p arrows one way round the cycle and q the other, as in the formula.
        var rep = QuiverType.Create(QuiverFamily.AffineA, p + q, p).Representative();
        int forward = Enumerable.Range(0, p + q).Count(e => rep[e, (e + 1) % (p + q)] > 0);
        Assert.Equal(p, forward);
        Assert.Equal(BprsAffineA(p, q), Enumerated(QuiverFamily.AffineA, p + q, p));
        Assert.Equal((long)BprsAffineA(p, q), QuiverType.Create(QuiverFamily.AffineA, p + q, p).PublishedClassSize());
    }

    [Theory]
    [InlineData(6)] [InlineData(7)] [InlineData(8)] [InlineData(9)]
    public void AffineDMatchesSageFromSixVertices(int vertices) => Assert.Equal(SageAffineD(vertices), Enumerated(QuiverFamily.AffineD, vertices));

    /// <summary>
    /// D̃4 (5 vertices): enumeration gives 10 where SageMath's class_size() has 9. An independent check that uses
    /// neither CanonicalForm nor MutationClass: breadth-first search whose isomorphism test is the minimum of the
    /// relabelled matrix over all n! permutations.
    /// </summary>
    [Theory]
    [InlineData(QuiverFamily.AffineD, 5, 10)]
    [InlineData(QuiverFamily.AffineD, 6, 40)]
    [InlineData(QuiverFamily.A, 5, 19)]
    [InlineData(QuiverFamily.D, 5, 26)]
    [InlineData(QuiverFamily.E, 6, 67)]
    public void BruteForceEnumerationAgrees(QuiverFamily f, int rank, int expected)
    {
        var start = QuiverType.Create(f, rank).Representative();
        var brute = BruteForceClass(start);
        Assert.Equal(expected, brute.Count);
        Assert.Equal(expected, MutationClass.EnumerateKeys(start).Count);
    }

    /// <summary>
    /// Why D̃4 has 10, not SageMath's hard-coded 9: the five acyclic orientations of the star K_(1,4), told apart by
    /// the centre's in-degree 0…4, are mutation-equivalent (sink/source mutations) and pairwise non-isomorphic, and the
    /// other five members each have 5 or more edges (so a cycle) and are not isomorphic to a star. Identifying each
    /// quiver with its opposite gives 8 (only the stars with in-degree k and 4 − k pair up), not 9 either.
    /// </summary>
    [Fact]
    public void AffineD4HasTenQuiversFiveOfThemStars()
    {
        var start = QuiverType.Create(QuiverFamily.AffineD, 5).Representative();
        var cls = BruteForceClass(start);
        var keys = cls.Select(b => BruteKey(b, 5)).ToHashSet();
        Assert.Equal(10, keys.Count);
        for (int inDegree = 0; inDegree <= 4; inDegree++)
        {
            var star = Quiver.FromArrows(5, Enumerable.Range(1, 4).Select(leaf => leaf <= inDegree ? (leaf, 0) : (0, leaf)));
            Assert.Contains(BruteKey(star.ToArray(), 5), keys);
        }
        // Trees (4 edges on 5 vertices) are exactly the five stars; the other five have at least 5 edges.
        Assert.Equal(5, cls.Count(b => b.Count(x => x != 0) == 8));
        Assert.Equal(5, cls.Count(b => b.Count(x => x != 0) > 8));
        var upToOpposite = cls.Select(b => { string k = BruteKey(b, 5), o = BruteKey(b.Select(x => -x).ToArray(), 5); return string.CompareOrdinal(k, o) < 0 ? k : o; }).ToHashSet();
        Assert.Equal(8, upToOpposite.Count);
        Assert.Equal(10, MutationClass.EnumerateKeys(start).Count);
    }

    /// <summary>Mutation written out again from the Fomin–Zelevinsky rule, on plain int matrices.</summary>
    internal static int[] Mutate(int[] b, int n, int k)
    {
        var r = new int[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int v = b[i * n + j];
                if (i == k || j == k) r[i * n + j] = -v;
                else
                {
                    int bik = b[i * n + k], bkj = b[k * n + j];
                    if (bik > 0 && bkj > 0) v += bik * bkj;
                    else if (bik < 0 && bkj < 0) v -= bik * bkj;
                    r[i * n + j] = v;
                }
            }
        return r;
    }

    internal static string BruteKey(int[] b, int n)
    {
        string? best = null;
        foreach (var perm in Permutations(n))
        {
            var chars = new char[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) chars[perm[i] * n + perm[j]] = (char)(b[i * n + j] + 100);
            var s = new string(chars);
            if (best is null || string.CompareOrdinal(s, best) < 0) best = s;
        }
        return best!;
    }

    internal static List<int[]> BruteForceClass(Quiver start)
    {
        int n = start.N;
        var seen = new HashSet<string>();
        var list = new List<int[]>();
        var b0 = start.ToArray();
        seen.Add(BruteKey(b0, n));
        list.Add(b0);
        for (int h = 0; h < list.Count; h++)
            for (int k = 0; k < n; k++)
            {
                var m = Mutate(list[h], n, k);
                Assert.True(m.All(x => Math.Abs(x) <= 2), "multiplicity above 2 in a mutation-finite class");
                if (seen.Add(BruteKey(m, n))) list.Add(m);
            }
        return list;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        return Rec(0);
        IEnumerable<int[]> Rec(int i)
        {
            if (i == n) { yield return (int[])a.Clone(); yield break; }
            for (int j = i; j < n; j++)
            {
                (a[i], a[j]) = (a[j], a[i]);
                foreach (var p in Rec(i + 1)) yield return p;
                (a[i], a[j]) = (a[j], a[i]);
            }
        }
    }
}
