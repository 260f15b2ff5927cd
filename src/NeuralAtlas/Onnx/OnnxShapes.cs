using NeuralAtlas.IO;

namespace NeuralAtlas.Onnx;

/// <summary>The shape rules of ONNX's layout operators, shared by the integer (constant) and the differentiable paths.</summary>
internal static class OnnxShapes
{
    /// <summary>Reshape's target: 0 copies the input dimension (unless allowzero), one −1 is inferred.</summary>
    public static int[] ReshapeTarget(int[] from, long[] shape, bool allowZero)
    {
        var s = new int[shape.Length];
        for (int i = 0; i < s.Length; i++) s[i] = shape[i] == 0 && !allowZero ? from[i] : checked((int)shape[i]);
        int infer = Array.IndexOf(s, -1);
        int numel = from.Aggregate(1, (a, b) => a * b);
        if (infer >= 0) s[infer] = numel / Math.Max(1, s.Where((v, i) => i != infer).Aggregate(1, (a, b) => a * b));
        return s;
    }

    public static int[] Unsqueeze(int[] from, long[] axes)
    {
        int rank = from.Length + axes.Length;
        var shape = new List<int>(from);
        foreach (int a in axes.Select(a => (int)(a < 0 ? a + rank : a)).Order()) shape.Insert(a, 1);
        return shape.ToArray();
    }

    public static int[] Squeeze(int[] from, long[]? axes)
    {
        var drop = axes?.Select(a => (int)(a < 0 ? a + from.Length : a)).ToHashSet()
            ?? Enumerable.Range(0, from.Length).Where(i => from[i] == 1).ToHashSet();
        return from.Where((d, i) => !drop.Contains(i)).ToArray();
    }

    /// <summary>Slice's starts/ends/axes/steps as an index list per sliced axis (ends clamp as ONNX specifies).</summary>
    public static List<(int Axis, int[] Index)> SliceIndices(int[] shape, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        int r = shape.Length;
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || (steps is not null && steps.Length != starts.Length))
            throw new AtlasArgumentException("slice", $"starts, ends, axes and steps of one length, got {starts.Length}, {ends.Length}, {axes.Length}, {steps?.Length}");
        var res = new List<(int, int[])>();
        for (int k = 0; k < starts.Length; k++)
        {
            int axis = (int)(axes[k] < 0 ? axes[k] + r : axes[k]);
            long n = shape[axis], st = steps?[k] ?? 1, s = starts[k], e = ends[k];
            if (st == 0) throw new AtlasArgumentException("steps", "a nonzero slice step");
            if (s < 0) s += n;
            if (e < 0) e += n;
            if (st > 0) { s = Math.Clamp(s, 0, n); e = Math.Clamp(e, 0, n); }
            else { s = Math.Clamp(s, 0, n - 1); e = Math.Clamp(e, -1, n - 1); }
            var idx = new List<int>();
            for (long i = s; st > 0 ? i < e : i > e; i += st) idx.Add((int)i);
            res.Add((axis, idx.ToArray()));
        }
        return res;
    }
}
