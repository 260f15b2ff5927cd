using NeuralAtlas.IO;

namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// A labelled Haldane bundle data set and its npz form. Arrays (n samples, grid N):
/// <list type="bullet">
/// <item><c>sections</c> float32 n×3×N×N: the unnormalised section (R, Re F, Im F) at x_i = 2πi/N (axis 2),
/// y_j = 2πj/N (axis 3); R = G + √(G² + |F|²) is real.</item>
/// <item><c>f_coeffs_real</c>, <c>f_coeffs_imag</c> float64 n×9×9: F's complex coefficients, split in two arrays
/// because npy has no complex type in our reader; entry [s, kx + 4, ky + 4].</item>
/// <item><c>g_coeffs</c> float64 n×9×9: G's Hartley (cos + sin) coefficients, same indexing.</item>
/// <item><c>chern</c> int64 n: the verified first Chern number; <c>form</c> int64 n: the fixed form index
/// (simple/intermediate variants) or −1.</item>
/// </list>
/// </summary>
public sealed class HaldaneDataset
{
    public int Grid { get; }
    public HaldanePair[] Pairs { get; }
    public int[] Chern { get; }
    public int[] Form { get; }
    /// <summary>n×3×N×N, see the class summary.</summary>
    public float[] Sections { get; }
    /// <summary>Candidates drawn to produce the set (0 when loaded from a file).</summary>
    public long Candidates { get; }
    public HaldaneVariant Variant { get; }

    public int Count => Pairs.Length;

    public HaldaneDataset(int grid, HaldanePair[] pairs, int[] chern, int[] form, float[] sections, long candidates = 0, HaldaneVariant variant = HaldaneVariant.Random)
    {
        if (chern.Length != pairs.Length || form.Length != pairs.Length || sections.LongLength != (long)pairs.Length * 3 * grid * grid)
            throw new ShapeMismatchException("HaldaneDataset", $"{pairs.Length} pairs need {pairs.Length} labels, forms and {pairs.Length}×3×{grid}×{grid} section values");
        Grid = grid; Pairs = pairs; Chern = chern; Form = form; Sections = sections; Candidates = candidates; Variant = variant;
    }

    internal static HaldaneDataset FromSamples(List<HaldaneGenerator.Sample> samples, int grid, HaldaneVariant variant, long candidates)
    {
        int n = samples.Count, plane = grid * grid;
        var sections = new float[(long)n * 3 * plane];
        Tensors.Parallelism.For(0, n, s =>
        {
            var f = HaldaneField.Sample(samples[s].Pair, grid);
            long o = (long)s * 3 * plane;
            f.Section(sections.AsSpan((int)o, plane), sections.AsSpan((int)(o + plane), plane), sections.AsSpan((int)(o + 2 * plane), plane));
        });
        return new HaldaneDataset(grid, samples.Select(s => s.Pair).ToArray(), samples.Select(s => s.Chern).ToArray(),
            samples.Select(s => s.Form).ToArray(), sections, candidates, variant);
    }

    /// <summary>Counts per Chern number, ascending.</summary>
    public SortedDictionary<int, int> ClassCounts()
    {
        var d = new SortedDictionary<int, int>();
        foreach (int c in Chern) d[c] = d.GetValueOrDefault(c) + 1;
        return d;
    }

    public void Save(string path)
    {
        int n = Count, s2 = HaldanePair.Side * HaldanePair.Side;
        var fr = new double[n * s2]; var fi = new double[n * s2]; var g = new double[n * s2];
        for (int i = 0; i < n; i++)
        {
            Pairs[i].FReal.CopyTo(fr, i * s2);
            Pairs[i].FImag.CopyTo(fi, i * s2);
            Pairs[i].G.CopyTo(g, i * s2);
        }
        int S = HaldanePair.Side;
        Npz.Write(path, new KeyValuePair<string, NdArray>[]
        {
            new("sections", NdArray.From(Sections, n, 3, Grid, Grid)),
            new("f_coeffs_real", NdArray.From(fr, n, S, S)),
            new("f_coeffs_imag", NdArray.From(fi, n, S, S)),
            new("g_coeffs", NdArray.From(g, n, S, S)),
            new("chern", NdArray.From(Chern.Select(c => (long)c).ToArray(), n)),
            new("form", NdArray.From(Form.Select(c => (long)c).ToArray(), n)),
        });
    }

    /// <summary>Reads a data set written by <see cref="Save"/> (or by numpy with the same keys and shapes).</summary>
    public static HaldaneDataset Load(string path)
    {
        var a = Npz.Read(path);
        NdArray Get(string key)
        {
            if (!a.TryGetValue(key, out var v)) throw new AtlasFormatException(path, 0, $"an array '{key}' in the Haldane data set (found: {string.Join(", ", a.Keys)})");
            return v;
        }
        int S = HaldanePair.Side;
        var fr = Get("f_coeffs_real"); var fi = Get("f_coeffs_imag"); var g = Get("g_coeffs"); var ch = Get("chern");
        if (fr.Rank != 3 || fr.Shape[1] != S || fr.Shape[2] != S)
            throw new AtlasFormatException($"{path}[f_coeffs_real.npy]", 0, $"shape (n, {S}, {S}) (Fourier indices −4…4), got {ShapeMismatchException.Format(fr.Shape)}");
        int n = fr.Shape[0];
        foreach (var (key, arr) in new[] { ("f_coeffs_imag", fi), ("g_coeffs", g) })
            if (!arr.Shape.SequenceEqual(fr.Shape))
                throw new AtlasFormatException($"{path}[{key}.npy]", 0, $"shape {ShapeMismatchException.Format(fr.Shape)} like f_coeffs_real, got {ShapeMismatchException.Format(arr.Shape)}");
        if (ch.Rank != 1 || ch.Shape[0] != n)
            throw new AtlasFormatException($"{path}[chern.npy]", 0, $"shape ({n},), got {ShapeMismatchException.Format(ch.Shape)}");
        double[] frd = fr.ToDoubles(), fid = fi.ToDoubles(), gd = g.ToDoubles();
        long[] chl = ch.ToInt64s();
        var pairs = new HaldanePair[n];
        int s2 = S * S;
        for (int i = 0; i < n; i++)
        {
            try { pairs[i] = new HaldanePair(frd[(i * s2)..((i + 1) * s2)], fid[(i * s2)..((i + 1) * s2)], gd[(i * s2)..((i + 1) * s2)]); }
            catch (AtlasArgumentException e) { throw new AtlasFormatException(path, 0, $"finite coefficients for sample {i} ({e.Message})"); }
        }
        int[] form = a.TryGetValue("form", out var fo) && fo.Rank == 1 && fo.Shape[0] == n ? fo.ToInt64s().Select(x => (int)x).ToArray() : new int[n];
        int grid = 0;
        float[] sections = [];
        if (a.TryGetValue("sections", out var sec))
        {
            if (sec.Rank != 4 || sec.Shape[0] != n || sec.Shape[1] != 3 || sec.Shape[2] != sec.Shape[3])
                throw new AtlasFormatException($"{path}[sections.npy]", 0, $"shape ({n}, 3, N, N), got {ShapeMismatchException.Format(sec.Shape)}");
            grid = sec.Shape[2];
            sections = sec.ToTensor().Data;
        }
        return new HaldaneDataset(grid, pairs, chl.Select(x => (int)x).ToArray(), form, sections);
    }
}
