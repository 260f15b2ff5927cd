namespace NeuralAtlas.Science.Quivers;

/// <summary>The mutation-finite families built here: Dynkin A, D, E and affine Ã, D̃, Ẽ.</summary>
public enum QuiverFamily { A, D, E, AffineA, AffineD, AffineE }

/// <summary>
/// A mutation type with its rank (= number of vertices; for affine types that is n + 1, so Ẽ6 has rank 7) and a
/// standard representative. Ã_{p,q} is the cycle with p arrows one way and q the other (rank p + q, 1 ≤ q ≤ p).
/// </summary>
public sealed record QuiverType(QuiverFamily Family, int Rank, int P = 0)
{
    /// <summary>Parses "A", "D", "E", "A~", "D~", "E~" (also "Ã", "D̃", "Ẽ", "affine-A", ...).</summary>
    public static QuiverFamily ParseFamily(string s) => s.Trim() switch
    {
        "A" or "a" => QuiverFamily.A,
        "D" or "d" => QuiverFamily.D,
        "E" or "e" => QuiverFamily.E,
        "A~" or "a~" or "Ã" or "affine-A" => QuiverFamily.AffineA,
        "D~" or "d~" or "D̃" or "affine-D" => QuiverFamily.AffineD,
        "E~" or "e~" or "Ẽ" or "affine-E" => QuiverFamily.AffineE,
        _ => throw new AtlasArgumentException("type", $"'{s}' is not one of A, D, E, A~, D~, E~"),
    };

    public static string FamilyName(QuiverFamily f) => f switch
    {
        QuiverFamily.A => "A", QuiverFamily.D => "D", QuiverFamily.E => "E",
        QuiverFamily.AffineA => "A~", QuiverFamily.AffineD => "D~", _ => "E~",
    };

    /// <summary>Checks that the type exists (e.g. E9 is not of finite type; Ẽ needs rank 7–9).</summary>
    public static QuiverType Create(QuiverFamily family, int rank, int? p = null)
    {
        if (rank > Quiver.MaxVertices) throw new AtlasArgumentException("rank", $"at most {Quiver.MaxVertices} vertices, got {rank}");
        switch (family)
        {
            case QuiverFamily.A:
                if (rank < 1) throw new AtlasArgumentException("rank", $"A_n needs n ≥ 1, got {rank}");
                break;
            case QuiverFamily.D:
                if (rank < 4) throw new AtlasArgumentException("rank", $"D_n needs n ≥ 4 (D_3 is A_3), got {rank}");
                break;
            case QuiverFamily.E:
                if (rank < 6 || rank > 8)
                    throw new AtlasArgumentException("rank", $"E_{rank} is not a Dynkin type: E_n exists for n = 6, 7, 8 (E_9 is affine Ẽ8, and beyond that the mutation class is infinite)");
                break;
            case QuiverFamily.AffineA:
                if (rank < 2) throw new AtlasArgumentException("rank", $"Ã_(p,q) needs p + q ≥ 2 vertices, got {rank}");
                int pp = p ?? (rank + 1) / 2;
                if (pp < (rank + 1) / 2 || pp >= rank)
                    throw new AtlasArgumentException("p", $"Ã_(p,q) with p + q = {rank} needs {(rank + 1) / 2} ≤ p ≤ {rank - 1} (q = rank − p ≥ 1, and Ã_(p,q) = Ã_(q,p)), got {pp}");
                return new QuiverType(family, rank, pp);
            case QuiverFamily.AffineD:
                if (rank < 5) throw new AtlasArgumentException("rank", $"D̃_n has n + 1 ≥ 5 vertices, got rank {rank}");
                break;
            case QuiverFamily.AffineE:
                if (rank < 7 || rank > 9)
                    throw new AtlasArgumentException("rank", $"Ẽ needs rank 7–9 (Ẽ6, Ẽ7, Ẽ8 have 7, 8, 9 vertices), got {rank}");
                break;
        }
        if (p is not null) throw new AtlasArgumentException("p", "only Ã_(p,q) takes p");
        return new QuiverType(family, rank);
    }

    public override string ToString() => Family switch
    {
        QuiverFamily.AffineA => $"A~({P},{Rank - P})",
        QuiverFamily.AffineD => $"D~{Rank - 1}",
        QuiverFamily.AffineE => $"E~{Rank - 1}",
        _ => $"{FamilyName(Family)}{Rank}",
    };

    /// <summary>A standard representative: an orientation of the Dynkin / extended Dynkin diagram.</summary>
    public Quiver Representative()
    {
        int n = Rank;
        var arrows = new List<(int, int)>();
        void Path(int from, int to) { for (int i = from; i < to; i++) arrows.Add((i, i + 1)); }
        switch (Family)
        {
            case QuiverFamily.A:
                Path(0, n - 1);
                break;
            case QuiverFamily.D:
                Path(0, n - 2);          // 0 → … → n−2
                arrows.Add((n - 3, n - 1)); // the second short arm at n−3
                break;
            case QuiverFamily.E:
                Path(0, n - 2);          // chain of n−1 vertices
                arrows.Add((2, n - 1));     // arms of lengths 2, n−4 and 1 at vertex 2
                break;
            case QuiverFamily.AffineA:
                for (int e = 0; e < n; e++) arrows.Add(e < P ? (e, (e + 1) % n) : ((e + 1) % n, e));
                break;
            case QuiverFamily.AffineD:
                // D̃_m, m = n − 1 ≥ 4: chain 0…m−2, extra leaves m−1 at 1 and m at m−3.
                int m = n - 1;
                Path(0, m - 2);
                arrows.Add((1, m - 1));
                arrows.Add((m - 3, m));
                break;
            case QuiverFamily.AffineE:
                // Star with arms (2,2,2), (1,3,3), (1,2,5) around vertex 0.
                int[] arms = n switch { 7 => [2, 2, 2], 8 => [1, 3, 3], _ => [1, 2, 5] };
                int next = 1;
                foreach (int len in arms)
                {
                    int prev = 0;
                    for (int i = 0; i < len; i++) { arrows.Add((prev, next)); prev = next++; }
                }
                break;
        }
        return Quiver.FromArrows(n, arrows);
    }

    /// <summary>Published sizes of mutation classes up to isomorphism, where a closed formula or table is known.</summary>
    public long? PublishedClassSize() => Family switch
    {
        // Torkildsen (2008): the number of quivers in the mutation class of A_n.
        QuiverFamily.A when Rank <= 8 => new long[] { 1, 1, 4, 6, 19, 49, 150, 442 }[Rank - 1],
        // Buan–Torkildsen (2009): d(4) = 6, d(n) = Σ_{d | n} φ(n/d) C(2d, d) / (2n) for n ≥ 5.
        QuiverFamily.D => Rank == 4 ? 6 : BuanTorkildsenD(Rank),
        // Sizes of the mutation classes of E6, E7, E8 as tabulated by Keller's quiver mutation applet and SageMath: 67, 416, 1574.
        QuiverFamily.E => Rank switch { 6 => 67, 7 => 416, _ => 1574 },
        // Tabulated by SageMath's class_size() from enumeration.
        QuiverFamily.AffineE => Rank switch { 7 => 132, 8 => 1080, _ => 7560 },
        // Bastian–Prellberg–Rubey–Stump (2011), proved. D̃ is left out: SageMath's D̃ formula is unproved and its
        // 5-vertex value (9) disagrees with enumeration (10, see docs/quivers.md).
        QuiverFamily.AffineA => BastianPrellbergRubeyStump(P, Rank - P),
        _ => null,
    };

    private static long BastianPrellbergRubeyStump(int i, int j)
    {
        int n = i + j;
        System.Numerics.BigInteger s = 0;
        for (int k = 1; k <= Math.Min(i, j); k++)
            if (i % k == 0 && j % k == 0)
                s += i == j ? Phi(k) * System.Numerics.BigInteger.Pow(Binomial(2 * i / k, i / k), 2)
                            : Phi(k) * Binomial(2 * i / k, i / k) * Binomial(2 * j / k, j / k);
        return i == j ? (long)((Binomial(2 * i, i) + s / n) / 4) : (long)(s / (2 * n));
    }

    private static long BuanTorkildsenD(int n)
    {
        System.Numerics.BigInteger sum = 0;
        for (int d = 1; d <= n; d++)
            if (n % d == 0) sum += Phi(n / d) * Binomial(2 * d, d);
        return (long)(sum / (2 * n));
    }

    private static long Phi(int m)
    {
        long r = 0;
        for (int k = 1; k <= m; k++) if (Gcd(k, m) == 1) r++;
        return r;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static System.Numerics.BigInteger Binomial(int n, int k)
    {
        System.Numerics.BigInteger r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}
