using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Attacks;

/// <summary>
/// The subspace V of the input space X (one example, C×H×W flattened) an attack may move in: a coordinate subspace
/// given by a mask (patches, pixel subsets, bands of a multispectral input) or the span of an orthonormal basis
/// (low-frequency DCT, random directions).
/// </summary>
public abstract class Subspace
{
    /// <summary>Dimension of X.</summary>
    public int AmbientDim { get; }
    /// <summary>Dimension of V.</summary>
    public abstract int Dim { get; }
    public abstract string Description { get; }

    protected Subspace(int ambientDim) { AmbientDim = ambientDim; }

    /// <summary>Orthogonal projection onto V, in place.</summary>
    public abstract void Project(Span<float> v);

    /// <summary>True when V is spanned by coordinate axes, so coordinate-wise operations (sign, clipping) keep vectors in V.</summary>
    public abstract bool IsCoordinate { get; }

    /// <summary>Distance from v to V (ℓ2), to check membership.</summary>
    public double Distance(ReadOnlySpan<float> v)
    {
        var p = v.ToArray();
        Project(p);
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += (double)(v[i] - p[i]) * (v[i] - p[i]);
        return Math.Sqrt(s);
    }

    /// <summary>
    /// Parses full | patch:K | random-pixels:FRACTION | channels:LIST | dct:K | random:K for inputs of shape C×H×W.
    /// Stochastic choices (patch position, pixel subset, random basis) come from the seed.
    /// </summary>
    public static Subspace Parse(string spec, int c, int h, int w, int seed)
    {
        string s = spec.Trim().ToLowerInvariant();
        int colon = s.IndexOf(':');
        string kind = colon < 0 ? s : s[..colon], arg = colon < 0 ? "" : s[(colon + 1)..];
        var rng = new Rng(seed);
        int d = c * h * w;
        int Int(string what, int max)
        {
            if (!int.TryParse(arg, out int k) || k < 1 || k > max)
                throw new AtlasArgumentException("subspace", $"{kind}:K needs {what} K in 1..{max}, got '{arg}'");
            return k;
        }
        switch (kind)
        {
            case "full":
                return new MaskSubspace(Enumerable.Repeat(true, d).ToArray(), "full input space");
            case "patch":
                {
                    int k = Int("a patch side", Math.Min(h, w));
                    int y0 = rng.NextInt(h - k + 1), x0 = rng.NextInt(w - k + 1);
                    var mask = new bool[d];
                    for (int ch = 0; ch < c; ch++)
                        for (int y = y0; y < y0 + k; y++)
                            for (int x = x0; x < x0 + k; x++) mask[(ch * h + y) * w + x] = true;
                    return new MaskSubspace(mask, $"{k}×{k} patch at ({y0}, {x0})");
                }
            case "random-pixels":
                {
                    if (!double.TryParse(arg, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double f) || !(f > 0 && f <= 1))
                        throw new AtlasArgumentException("subspace", $"random-pixels:FRACTION needs a fraction in (0, 1], got '{arg}'");
                    int count = Math.Max(1, (int)Math.Round(f * h * w));
                    var perm = rng.Permutation(h * w);
                    var mask = new bool[d];
                    for (int i = 0; i < count; i++)
                        for (int ch = 0; ch < c; ch++) mask[ch * h * w + perm[i]] = true;
                    return new MaskSubspace(mask, $"{count} random pixels of {h * w}");
                }
            case "channels":
                {
                    var list = arg.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(t => int.TryParse(t, out int v) && v >= 0 && v < c ? v : throw new AtlasArgumentException("subspace", $"channel '{t}' is not in 0..{c - 1}")).Distinct().ToArray();
                    if (list.Length == 0) throw new AtlasArgumentException("subspace", "channels:LIST needs at least one channel");
                    var mask = new bool[d];
                    foreach (int ch in list)
                        for (int i = 0; i < h * w; i++) mask[ch * h * w + i] = true;
                    return new MaskSubspace(mask, $"channels {string.Join(",", list)}");
                }
            case "dct":
                {
                    int k = Int("a frequency cut-off", Math.Min(h, w));
                    return BasisSubspace.LowFrequencyDct(c, h, w, k);
                }
            case "random":
                {
                    int k = Int("a dimension", d);
                    return BasisSubspace.Random(d, k, rng);
                }
            default:
                throw new AtlasArgumentException("subspace", $"'{spec}' is not one of full, patch:K, random-pixels:FRACTION, channels:LIST, dct:K, random:K");
        }
    }
}
