using NeuralAtlas.Tensors;

namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// Draws Haldane pairs, labels each with its first Chern number and keeps it only when the Chern–Weil integral and
/// the lattice number agree on one integer at every check grid (the published generator keeps a sample when its
/// curvature integral agrees at three resolutions; here two independent methods must agree as well).
/// <para>Work is done in batches: candidates are drawn in order from the seeded stream, screened in parallel with
/// the cheap lattice number, the ones that would fill a class are verified in parallel, and acceptance runs in
/// candidate order, so the data set depends only on the seed and options, never on the thread count.</para>
/// </summary>
public static class HaldaneGenerator
{
    /// <summary>A verified sample: the pair, its label, which fixed form it came from (−1 for random) and its parameters.</summary>
    public sealed record Sample(HaldanePair Pair, int Chern, int Form, double[] Parameters);

    /// <summary>Draws one candidate pair (unverified) from the stream.</summary>
    public static (HaldanePair Pair, int Form, double[] Parameters) Draw(Rng rng, HaldaneOptions o)
    {
        switch (o.Variant)
        {
            case HaldaneVariant.Simple:
            {
                var t = DrawT(rng, HaldaneForms.Simple.Parameters, o.ParameterBound);
                return (HaldaneForms.Simple.Build(t), 0, t);
            }
            case HaldaneVariant.Intermediate:
            {
                int form = rng.NextInt(HaldaneForms.Intermediate.Count);
                var f = HaldaneForms.Intermediate[form];
                var t = DrawT(rng, f.Parameters, o.ParameterBound);
                return (f.Build(t), form, t);
            }
            default:
                return (DrawRandom(rng, o), -1, []);
        }
    }

    private static double[] DrawT(Rng rng, int n, double bound)
    {
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = rng.Uniform(-bound, bound);
        return t;
    }

    private static HaldanePair DrawRandom(Rng rng, HaldaneOptions o)
    {
        int side = HaldanePair.Side, K = HaldanePair.MaxFrequency, B = o.FrequencyBound, w = 2 * B + 1;
        var fr = new double[side * side];
        var fi = new double[side * side];
        var g = new double[side * side];
        int nf = rng.NextInt(o.FTermsMin, o.FTermsMax + 1);
        foreach (int slot in DistinctSlots(rng, w * w, nf))
        {
            int idx = (slot / w - B + K) * side + slot % w - B + K;
            if (o.ComplexF)
            {
                int re, im;
                do { re = rng.NextInt(-o.CoefficientBound, o.CoefficientBound + 1); im = rng.NextInt(-o.CoefficientBound, o.CoefficientBound + 1); }
                while (re == 0 && im == 0);
                fr[idx] = re; fi[idx] = im;
            }
            else fr[idx] = NonZero(rng, o.CoefficientBound);
        }
        int ng = rng.NextInt(o.GTermsMin, o.GTermsMax + 1);
        foreach (int slot in DistinctSlots(rng, w * w, ng))
            g[(slot / w - B + K) * side + slot % w - B + K] = NonZero(rng, o.CoefficientBound);
        return new HaldanePair(fr, fi, g);
    }

    private static int NonZero(Rng rng, int bound) => rng.NextInt(1, bound + 1) * (rng.NextInt(2) == 0 ? 1 : -1);

    private static int[] DistinctSlots(Rng rng, int slots, int k)
    {
        var all = new int[slots];
        for (int i = 0; i < slots; i++) all[i] = i;
        for (int i = 0; i < k; i++)
        {
            int j = i + rng.NextInt(slots - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }

    /// <summary>The lattice number on the screening grid, or null if it cannot be computed there.</summary>
    public static int? Screen(HaldanePair pair, int grid)
    {
        var f = HaldaneField.Sample(pair, grid);
        return ChernNumber.TryLattice(f, 1, out double v) ? (int)Math.Round(v) : null;
    }

    /// <summary>
    /// The verified Chern number: both methods at every grid round to one integer, the lattice sums are integers
    /// and the Chern–Weil integrals lie within <paramref name="tolerance"/> of it; otherwise null.
    /// </summary>
    public static int? Verify(HaldanePair pair, IReadOnlyList<int> grids, double tolerance)
    {
        int top = grids.Max();
        var fine = HaldaneField.Sample(pair, top);
        int? label = null;
        foreach (int g in grids)
        {
            HaldaneField f = top % g == 0 ? fine : HaldaneField.Sample(pair, g);
            int stride = top % g == 0 ? top / g : 1;
            if (!ChernNumber.TryLattice(f, stride, out double lat) || !ChernNumber.TryChernWeil(f, stride, out double cw)) return null;
            int l = (int)Math.Round(lat);
            if (Math.Abs(lat - l) > 1e-6 || Math.Abs(cw - l) > tolerance) return null;
            if (label is int prev && prev != l) return null;
            label = l;
        }
        return label;
    }

    /// <summary><see cref="Verify"/> for many pairs, in parallel (<see cref="Parallelism.MaxThreads"/>).</summary>
    public static int?[] VerifyAll(IReadOnlyList<HaldanePair> pairs, IReadOnlyList<int> grids, double tolerance = 0.2)
    {
        foreach (int g in grids) ChernNumber.CheckGrid(g, "grids");
        var got = new int?[pairs.Count];
        Parallelism.For(0, pairs.Count, i => got[i] = Verify(pairs[i], grids, tolerance));
        return got;
    }

    /// <summary>Generates <paramref name="count"/> verified samples (balanced over the classes if asked).</summary>
    public static HaldaneDataset Generate(int count, HaldaneOptions options, ulong seed, Action<int, long>? progress = null)
    {
        options.Validate(count);
        var rng = new Rng(seed);
        int[] classes = options.Classes;
        var target = new Dictionary<int, int>();
        for (int i = 0; i < classes.Length; i++)
            target[classes[i]] = options.Balanced ? count / classes.Length + (i < count % classes.Length ? 1 : 0) : count;
        var have = classes.ToDictionary(c => c, _ => 0);
        var kept = new List<Sample>(count);
        long maxCandidates = options.MaxCandidates > 0 ? options.MaxCandidates : 200L * count + 10_000;
        long candidates = 0;
        int[] grids = options.CheckGrids;
        while (kept.Count < count)
        {
            if (candidates >= maxCandidates)
            {
                string missing = string.Join(", ", classes.Where(c => have[c] < target[c]).Select(c => $"{c}: {have[c]}/{target[c]}"));
                throw new AtlasArgumentException("count", $"found only {kept.Count} of {count} verified samples after {candidates} candidates (classes still short: {missing}); " +
                    "these classes may be rare or unreachable for this variant — change --classes, --balance or --max-candidates");
            }
            int batch = (int)Math.Min(maxCandidates - candidates, Math.Clamp(2 * (count - kept.Count), 64, 4096));
            var drawn = new (HaldanePair Pair, int Form, double[] T)[batch];
            for (int i = 0; i < batch; i++) drawn[i] = Draw(rng, options);
            candidates += batch;

            var screen = new int?[batch];
            Parallelism.For(0, batch, i => screen[i] = Screen(drawn[i].Pair, options.ScreenGrid));

            // Tentatively reserve room in candidate order, then verify only those.
            var pending = classes.ToDictionary(c => c, _ => 0);
            int pendingTotal = 0;
            var chosen = new List<int>();
            for (int i = 0; i < batch; i++)
            {
                if (screen[i] is not int c || !target.ContainsKey(c)) continue;
                int need = options.Balanced ? target[c] - have[c] : count - kept.Count;
                int reserved = options.Balanced ? pending[c] : pendingTotal;
                // Some screened candidates fail verification, so reserve a little more than is needed.
                if (need <= 0 || reserved >= need + need / 8 + 2) continue;
                pending[c]++;
                pendingTotal++;
                chosen.Add(i);
            }
            var verified = new int?[chosen.Count];
            Parallelism.For(0, chosen.Count, k => verified[k] = Verify(drawn[chosen[k]].Pair, grids, options.Tolerance));
            for (int k = 0; k < chosen.Count && kept.Count < count; k++)
            {
                if (verified[k] is not int c || !target.ContainsKey(c)) continue;
                if (options.Balanced ? have[c] >= target[c] : kept.Count >= count) continue;
                have[c]++;
                var d = drawn[chosen[k]];
                kept.Add(new Sample(d.Pair, c, d.Form, d.T));
            }
            progress?.Invoke(kept.Count, candidates);
        }
        return HaldaneDataset.FromSamples(kept, options.Grid, options.Variant, candidates);
    }
}
