using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// Explanations of a <see cref="QuiverGnn"/>'s decision on a quiver, by occlusion and by gradient:
/// for each arrow, the drop in the probability of the explained class when the arrow (all its multiplicity) is deleted;
/// for each vertex, the drop when the vertex and its arrows are deleted; and the gradient saliency of each arrow's
/// edge features (gradient × input of the explained class's log-probability, which to first order is the change of
/// the log-probability when the feature is switched off). Arrows are tagged with the local pattern they sit in, so
/// that <see cref="Aggregate"/> can say which patterns (oriented triangles, the D-type fork of two leaves, double
/// arrows, longer cycles, paths) drive each class.
/// </summary>
public static class GnnExplanation
{
    /// <summary>Local pattern of an arrow, first match in this order.</summary>
    public enum ArrowPattern { Double, OrientedTriangle, OtherCycle, Fork, Leaf, Path }

    public sealed record ArrowEffect(int From, int To, int Multiplicity, ArrowPattern Pattern, double ProbabilityDrop, int PredictionAfter, double Saliency);

    public sealed record VertexEffect(int Vertex, int Degree, double ProbabilityDrop, int PredictionAfter);

    public sealed record Explanation(Quiver Quiver, int Predicted, int Explained, double Probability, IReadOnlyList<ArrowEffect> Arrows, IReadOnlyList<VertexEffect> Vertices);

    /// <summary>Explains the network's decision on q for class <paramref name="explained"/> (default: the predicted class).</summary>
    public static Explanation Explain(QuiverGnn net, Quiver q, int? explained = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(q);
        var arrows = new List<(int From, int To, int Mult)>();
        for (int i = 0; i < q.N; i++)
            for (int j = 0; j < q.N; j++)
                if (q[i, j] > 0) arrows.Add((i, j, q[i, j]));

        // One batch: the quiver, then each arrow deleted, then each vertex deleted (a single vertex cannot be removed).
        var batch = new List<Quiver> { q };
        foreach (var (a, b, _) in arrows)
        {
            var m = q.ToArray();
            m[a * q.N + b] = 0; m[b * q.N + a] = 0;
            batch.Add(Quiver.FromMatrix(q.N, m));
        }
        if (q.N > 1)
            for (int v = 0; v < q.N; v++) batch.Add(q.Induced(Enumerable.Range(0, q.N).Where(u => u != v).ToArray()));

        float[] probs;
        int classes;
        using (GradMode.NoGrad())
        {
            var logits = net.Logits(QuiverGnn.GraphBatch.From(batch));
            classes = logits.Shape[1];
            probs = F.Softmax(logits, 1).Value.Data.ToArray();
        }
        int predicted = ArgMax(probs, 0, classes);
        int c = explained ?? predicted;
        if (c < 0 || c >= classes) throw new AtlasArgumentException("explained", $"class {c} is not in 0…{classes - 1}");
        double p0 = probs[c];

        var saliency = Saliency(net, q, c);
        var patterns = Patterns(q, arrows);
        var arrowEffects = new List<ArrowEffect>();
        for (int e = 0; e < arrows.Count; e++)
            arrowEffects.Add(new ArrowEffect(arrows[e].From, arrows[e].To, arrows[e].Mult, patterns[e],
                p0 - probs[(1 + e) * classes + c], ArgMax(probs, 1 + e, classes), saliency[e]));
        var vertexEffects = new List<VertexEffect>();
        if (q.N > 1)
            for (int v = 0; v < q.N; v++)
            {
                int row = 1 + arrows.Count + v;
                int deg = Enumerable.Range(0, q.N).Count(u => q[v, u] != 0);
                vertexEffects.Add(new VertexEffect(v, deg, p0 - probs[row * classes + c], ArgMax(probs, row, classes)));
            }
        return new Explanation(q, predicted, c, p0, arrowEffects, vertexEffects);
    }

    /// <summary>Gradient × input of log p_c with respect to each arrow's edge features (one value per arrow, in the order of <see cref="QuiverGnn.GraphBatch"/>).</summary>
    public static double[] Saliency(QuiverGnn net, Quiver q, int c)
    {
        var gb = QuiverGnn.GraphBatch.From([q]);
        if (gb.Src.Length == 0) return [];
        var e = new Var(new Tensor([gb.Src.Length, 2], (float[])gb.EdgeFeatures.Clone()), requiresGrad: true);
        var logp = F.LogSoftmax(net.Logits(gb, e), 1);
        var mask = new float[logp.Numel];
        mask[c] = 1;
        F.Sum(F.Mul(logp, new Var(new Tensor(logp.Shape, mask)))).Backward();
        var g = e.Grad!.Data;
        var s = new double[gb.Src.Length];
        for (int a = 0; a < s.Length; a++) s[a] = g[2 * a] * gb.EdgeFeatures[2 * a] + g[2 * a + 1] * gb.EdgeFeatures[2 * a + 1];
        return s;
    }

    /// <summary>Tags each arrow with its local pattern (see <see cref="ArrowPattern"/>).</summary>
    public static ArrowPattern[] Patterns(Quiver q, IReadOnlyList<(int From, int To, int Mult)> arrows)
    {
        int n = q.N;
        int Degree(int v) { int d = 0; for (int u = 0; u < n; u++) if (q[v, u] != 0) d++; return d; }
        var result = new ArrowPattern[arrows.Count];
        for (int e = 0; e < arrows.Count; e++)
        {
            var (a, b, m) = arrows[e];
            if (m >= 2) { result[e] = ArrowPattern.Double; continue; }
            bool triangle = false;
            for (int k = 0; k < n && !triangle; k++) triangle = q[b, k] > 0 && q[k, a] > 0;
            if (triangle) { result[e] = ArrowPattern.OrientedTriangle; continue; }
            if (OnCycle(q, a, b)) { result[e] = ArrowPattern.OtherCycle; continue; }
            int leaf = Degree(b) == 1 ? b : Degree(a) == 1 ? a : -1;
            if (leaf >= 0)
            {
                int hub = leaf == a ? b : a;
                int leaves = Enumerable.Range(0, n).Count(u => q[hub, u] != 0 && Math.Abs(q[hub, u]) == 1 && Degree(u) == 1);
                result[e] = leaves >= 2 ? ArrowPattern.Fork : ArrowPattern.Leaf;
                continue;
            }
            result[e] = ArrowPattern.Path;
        }
        return result;
    }

    // The edge a–b lies on a cycle of the underlying graph iff b is still reachable from a without it.
    private static bool OnCycle(Quiver q, int a, int b)
    {
        var seen = new bool[q.N];
        var stack = new Stack<int>();
        stack.Push(a); seen[a] = true;
        while (stack.Count > 0)
        {
            int v = stack.Pop();
            for (int u = 0; u < q.N; u++)
            {
                if (seen[u] || q[v, u] == 0 || (v == a && u == b) || (v == b && u == a)) continue;
                if (u == b) return true;
                seen[u] = true; stack.Push(u);
            }
        }
        return false;
    }

    private static int ArgMax(float[] p, int row, int classes)
    {
        int arg = 0;
        for (int c = 1; c < classes; c++) if (p[row * classes + c] > p[row * classes + arg]) arg = c;
        return arg;
    }

    /// <summary>
    /// Per (true family, arrow pattern): how many arrows, mean probability drop on deletion, mean saliency, fraction of
    /// deletions that flip a correct prediction away from the family, how often it is the quiver's most important
    /// arrow, and — for A and D, where a decision procedure exists (Buan–Vatne, Vatne) — the fraction of deletions
    /// after which the quiver truly leaves the family (null for the other families).
    /// </summary>
    public sealed record PatternStats(QuiverFamily Family, ArrowPattern Pattern, int Arrows, double MeanDrop, double MeanSaliency, double FlipRate, int TopArrow, double? TrueLeaveRate);

    public sealed record Summary(IReadOnlyList<PatternStats> Patterns, IReadOnlyDictionary<QuiverFamily, int> Quivers, IReadOnlyDictionary<QuiverFamily, double> MeanVertexDropByDegreeOne);

    /// <summary>Explains every quiver of the data set for its true family and aggregates the arrow effects per family and pattern.</summary>
    public static Summary Aggregate(QuiverGnn net, QuiverDataset data)
    {
        var acc = new Dictionary<(QuiverFamily, ArrowPattern), (int N, double Drop, double Sal, int Flip, int Top)>();
        var leaves = new Dictionary<(QuiverFamily, ArrowPattern), int>();
        var quivers = new SortedDictionary<QuiverFamily, int>();
        var leafDrop = new Dictionary<QuiverFamily, (double Sum, int N)>();
        foreach (var item in data.Items)
        {
            var f = item.Type.Family;
            var ex = Explain(net, item.Quiver, (int)f);
            quivers[f] = quivers.GetValueOrDefault(f) + 1;
            ArrowEffect? top = null;
            foreach (var a in ex.Arrows)
            {
                var (n, d, s, fl, t) = acc.GetValueOrDefault((f, a.Pattern));
                acc[(f, a.Pattern)] = (n + 1, d + a.ProbabilityDrop, s + a.Saliency, fl + (ex.Predicted == (int)f && a.PredictionAfter != (int)f ? 1 : 0), t);
                if (top is null || a.ProbabilityDrop > top.ProbabilityDrop) top = a;
                if (f is QuiverFamily.A or QuiverFamily.D)
                {
                    var m = item.Quiver.ToArray();
                    int n0 = item.Quiver.N;
                    m[a.From * n0 + a.To] = 0; m[a.To * n0 + a.From] = 0;
                    var del = Quiver.FromMatrix(n0, m);
                    bool stays = f == QuiverFamily.A ? TypeRecognition.IsTypeA(del) : TypeRecognition.IsTypeD(del);
                    leaves[(f, a.Pattern)] = leaves.GetValueOrDefault((f, a.Pattern)) + (stays ? 0 : 1);
                }
            }
            if (top is not null)
            {
                var (n, d, s, fl, t) = acc[(f, top.Pattern)];
                acc[(f, top.Pattern)] = (n, d, s, fl, t + 1);
            }
            foreach (var v in ex.Vertices.Where(v => v.Degree == 1))
            {
                var (sum, cnt) = leafDrop.GetValueOrDefault(f);
                leafDrop[f] = (sum + v.ProbabilityDrop, cnt + 1);
            }
        }
        var stats = acc.OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2)
            .Select(kv => new PatternStats(kv.Key.Item1, kv.Key.Item2, kv.Value.N, kv.Value.Drop / kv.Value.N, kv.Value.Sal / kv.Value.N, (double)kv.Value.Flip / kv.Value.N, kv.Value.Top,
                kv.Key.Item1 is QuiverFamily.A or QuiverFamily.D ? (double)leaves.GetValueOrDefault(kv.Key) / kv.Value.N : null))
            .ToList();
        return new Summary(stats, quivers, leafDrop.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.N));
    }
}
