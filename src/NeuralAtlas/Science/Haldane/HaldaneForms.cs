namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// The fixed functional forms of the "simple" and "intermediate" Haldane data sets of Tipton et al. (the public
/// generator shadtome/haldane-bundles): F is fixed, G is a sum of fixed terms and terms whose coefficients
/// t ∈ [−3, 3] vary. Terms are written as frequency (kx, ky) and coefficient, transcribed from the published forms
/// (their 9×9 arrays index frequency + 4; their overall 1/2π scale does not change the bundle and is dropped).
/// </summary>
public static class HaldaneForms
{
    /// <summary>One form: F's terms (kx, ky, coefficient), G's fixed terms, and G's varying terms (kx, ky, isSine).</summary>
    public sealed record Form(
        (int Kx, int Ky, double C)[] F,
        (int Kx, int Ky, bool Sine, double C)[] FixedG,
        (int Kx, int Ky, bool Sine)[] VaryingG)
    {
        public int Parameters => VaryingG.Length;

        /// <summary>The pair with the varying coefficients set to <paramref name="t"/>.</summary>
        public HaldanePair Build(ReadOnlySpan<double> t)
        {
            if (t.Length != VaryingG.Length)
                throw new AtlasArgumentException("t", $"this form has {VaryingG.Length} varying coefficients, got {t.Length}");
            var b = new HaldanePair.Builder();
            foreach (var (kx, ky, c) in F) b.F(kx, ky, c);
            foreach (var (kx, ky, sine, c) in FixedG) { if (sine) b.Sin(kx, ky, c); else b.Cos(kx, ky, c); }
            for (int i = 0; i < t.Length; i++)
            {
                var (kx, ky, sine) = VaryingG[i];
                if (sine) b.Sin(kx, ky, t[i]); else b.Cos(kx, ky, t[i]);
            }
            return b.Build();
        }
    }

    /// <summary>The single form of the "simple" set: G = t₁ sin(−2x − y) + t₂ sin(x − y) + t₃ sin x.</summary>
    public static Form Simple { get; } = new(
        [(-2, 2, -3), (-1, -2, -3), (0, -1, -4)],
        [],
        [(-2, -1, true), (1, -1, true), (1, 0, true)]);

    /// <summary>The ten forms of the "intermediate" set (forms 0 and 5 coincide in the published generator).</summary>
    public static IReadOnlyList<Form> Intermediate { get; } =
    [
        new([(-4, 2, -4), (0, 3, 8), (0, 4, 4), (2, -2, -2)], [],
            [(2, -2, true), (2, 2, true), (3, 0, true)]),
        new([(-3, -1, 5), (-3, 2, -5), (-3, 3, -2), (-1, 1, -1), (4, -1, 5)],
            [(-2, 1, true, 8), (-1, 4, true, -8)],
            [(0, 2, false), (3, -2, true), (4, 3, false)]),
        new([(0, -4, 5), (0, -1, 8), (0, 1, 8), (2, -2, -6), (4, -3, -8), (4, -2, -6)],
            [(1, 1, true, 5), (1, 4, true, 6), (2, 3, true, -6)],
            [(-3, -1, true), (0, -2, false), (1, 3, false)]),
        new([(-1, 4, 6), (2, 1, -4)], [],
            [(-4, 1, false), (1, -3, false), (-4, 4, true)]),
        new([(-4, 0, 4), (-4, 4, -6), (-2, -4, -6), (-2, 4, -1), (-1, 0, -2)],
            [(2, 1, true, -5), (2, 3, true, 8), (3, 4, false, 6)],
            [(-3, -1, true), (-2, 1, true), (-1, 1, false)]),
        new([(-4, 2, -4), (0, 3, 8), (0, 4, 4), (2, -2, -2)], [],
            [(2, -2, true), (2, 2, true), (3, 0, true)]),
        new([(-4, 0, 1), (-1, 3, -6), (2, -1, -6), (2, 0, -1), (4, -4, 6)], [],
            [(3, 0, false), (4, 2, true)]),
        new([(-3, -2, -4), (-2, -3, 4), (-2, 4, -1), (1, -2, -7), (2, 1, 3), (3, -1, 4)],
            [(0, 4, true, 7), (1, 4, false, -7)],
            [(-3, 3, true), (0, -3, false), (4, -4, true)]),
        new([(-4, 1, 1), (-2, 4, -4), (2, -1, 7), (3, -1, 7), (4, 0, 2)],
            [(-1, -1, false, -4), (0, -4, true, -4)],
            [(1, -1, false), (3, -2, false), (4, -3, true)]),
        new([(-3, -4, -6), (-2, 0, -6), (2, 2, -4), (3, 3, -3)],
            [(3, 1, false, -7)],
            [(-4, -4, true), (-3, -3, true), (2, 0, true)]),
    ];
}
