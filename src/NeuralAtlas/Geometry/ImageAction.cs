using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// A group element acting on batches of images or feature maps (N×C×H×W): C4 rotations, flips, cyclic
/// translations, channel permutations, or any user function. Actions must preserve the shape; those that cannot
/// (a 90° rotation of a non-square map) say so.
/// </summary>
public sealed class ImageAction
{
    public string Name { get; }
    private readonly Func<Tensor, Tensor> _apply;
    private readonly bool _spatialOnly;

    public ImageAction(string name, Func<Tensor, Tensor> apply, bool spatialOnly = true)
    {
        Name = name;
        _apply = apply;
        _spatialOnly = spatialOnly;
    }

    /// <summary>True when the action also makes sense on a hidden feature map (it does not act on the channel axis).</summary>
    public bool ActsOnFeatureMaps => _spatialOnly;

    public Tensor Apply(Tensor batch)
    {
        if (batch.Rank != 4) throw new ShapeMismatchException(Name, $"expected a batch N×C×H×W, got {ShapeMismatchException.Format(batch.Shape)}");
        var r = _apply(batch);
        if (!r.SameShape(batch))
            throw new ShapeMismatchException(Name, batch.Shape, r.Shape, "the group action does not preserve the input shape");
        return r;
    }

    /// <summary>Rotation by k·90° counter-clockwise in the H×W plane (square maps only).</summary>
    public static ImageAction Rotate90(int k) => new($"rot{90 * (((k % 4) + 4) % 4)}", t =>
    {
        if (t.Shape[2] != t.Shape[3]) throw new ShapeMismatchException($"rot{90 * k}", $"a 90° rotation needs square maps, got {t.Shape[2]}×{t.Shape[3]}");
        var r = t;
        for (int i = 0; i < ((k % 4) + 4) % 4; i++) r = Ops.Flip(Ops.Transpose(r, 2, 3), 2);
        return r;
    });

    public static ImageAction FlipHorizontal() => new("flip-h", t => Ops.Flip(t, 3));
    public static ImageAction FlipVertical() => new("flip-v", t => Ops.Flip(t, 2));

    /// <summary>Cyclic translation by dx columns and dy rows.</summary>
    public static ImageAction Shift(int dx, int dy) => new($"shift:{dx},{dy}", t => Ops.Roll(t, new[] { dy, dx }, new[] { 2, 3 }));

    /// <summary>Permutes the channels (input only: hidden channels are not the input's).</summary>
    public static ImageAction PermuteChannels(int[] perm) => new($"channels:{string.Join("", perm)}", t =>
    {
        if (perm.Length != t.Shape[1] || perm.OrderBy(p => p).Where((p, i) => p != i).Any())
            throw new AtlasArgumentException("--actions", $"a channel permutation of {t.Shape[1]} channels needs each of 0..{t.Shape[1] - 1} once, got {string.Join(",", perm)}");
        return Ops.IndexSelect(t, 1, perm);
    }, spatialOnly: false);

    /// <summary>Parses rot90, rot180, rot270, flip-h, flip-v, shift:DX,DY, channels:PERM (e.g. channels:210).</summary>
    public static ImageAction Parse(string s)
    {
        s = s.Trim();
        if (s is "rot90" or "rot180" or "rot270") return Rotate90(int.Parse(s[3..]) / 90);
        if (s == "flip-h") return FlipHorizontal();
        if (s == "flip-v") return FlipVertical();
        if (s.StartsWith("shift:", StringComparison.Ordinal))
        {
            var p = s[6..].Split(',');
            if (p.Length == 2 && int.TryParse(p[0], out int dx) && int.TryParse(p[1], out int dy)) return Shift(dx, dy);
        }
        if (s.StartsWith("channels:", StringComparison.Ordinal) && s.Length > 9 && s[9..].All(char.IsDigit))
            return PermuteChannels(s[9..].Select(ch => ch - '0').ToArray());
        throw new AtlasArgumentException("--actions", $"unknown action '{s}'; expected rot90, rot180, rot270, flip-h, flip-v, shift:DX,DY or channels:PERM");
    }
}
