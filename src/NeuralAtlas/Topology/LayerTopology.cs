using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Topology;

public sealed record LayerTopologyOptions
{
    /// <summary>At most this many images per layer (a seeded subsample, the same images for every layer).</summary>
    public int MaxPoints { get; init; } = 400;
    /// <summary>Homology up to this dimension (1: H0 and H1).</summary>
    public int MaxDimension { get; init; } = 1;
    /// <summary>Directions of the sliced Wasserstein distance.</summary>
    public int Directions { get; init; } = 50;
    /// <summary>Divide each layer's cloud by its mean pairwise distance, so layers of different scale compare by shape.</summary>
    public bool Normalize { get; init; }
    public ulong Seed { get; init; } = 0;
    public int Threads { get; init; } = 1;
}

public sealed record LayerDiagrams(string Name, int[] Shape, int Points, int Dimension, double Scale, IReadOnlyList<PersistenceDiagram> Diagrams);

public sealed record LayerTopologyResult(IReadOnlyList<LayerDiagrams> Layers, IReadOnlyList<double[,]> SlicedWasserstein, int[] Sample);

/// <summary>
/// The topology of a network's layers (following "TDA for CNN interpretability", arXiv 2212.00222): per layer, a
/// point cloud with one point per image — for an n×c×h×w activation, the c-vector at the spatial position of
/// largest norm; otherwise the flattened activation — its H0/H1 (Vietoris–Rips, enclosing-radius threshold), and
/// the sliced Wasserstein distance between layers, per homology dimension.
/// </summary>
public static class LayerTopology
{
    /// <summary>The per-image point cloud of one activation array (first axis = images), row-major n × dim.</summary>
    public static (double[] Points, int N, int Dim) PointCloud(NdArray activations)
    {
        if (activations.Rank < 2) throw new ShapeMismatchException("layer-topology", $"activations need an image axis and features, got shape {ShapeMismatchException.Format(activations.Shape)}");
        int n = activations.Shape[0];
        var v = activations.ToDoubles();
        if (activations.Rank == 4)
        {
            int c = activations.Shape[1], hw = activations.Shape[2] * activations.Shape[3];
            var pts = new double[(long)n * c];
            for (int i = 0; i < n; i++)
            {
                long baseI = (long)i * c * hw;
                int best = 0;
                double bestNorm = -1;
                for (int s = 0; s < hw; s++)
                {
                    double norm = 0;
                    for (int k = 0; k < c; k++) { double x = v[baseI + (long)k * hw + s]; norm += x * x; }
                    if (norm > bestNorm) { bestNorm = norm; best = s; }
                }
                for (int k = 0; k < c; k++) pts[(long)i * c + k] = v[baseI + (long)k * hw + best];
            }
            return (pts, n, c);
        }
        int dim = (int)(activations.Count / Math.Max(1, n));
        return (v, n, dim);
    }

    public static LayerTopologyResult Compute(IReadOnlyList<(string Name, NdArray Activations)> layers, LayerTopologyOptions? options = null)
    {
        options ??= new LayerTopologyOptions();
        if (layers.Count == 0) throw new AtlasArgumentException("activations", "no layers to analyse");
        if (options.MaxPoints < 2) throw new AtlasArgumentException("max-points", $"must be at least 2, got {options.MaxPoints}");
        int n = layers[0].Activations.Shape.Length > 0 ? layers[0].Activations.Shape[0] : 0;
        foreach (var (name, a) in layers)
            if (a.Rank < 1 || a.Shape[0] != n)
                throw new ShapeMismatchException("layer-topology", $"layer '{name}' has {(a.Rank < 1 ? 0 : a.Shape[0])} images, the first layer has {n}");
        var sample = Enumerable.Range(0, n).ToArray();
        if (n > options.MaxPoints)
        {
            var rng = new Rng(options.Seed);
            sample = rng.Permutation(n)[..options.MaxPoints];
            Array.Sort(sample);
        }
        var result = new List<LayerDiagrams>();
        foreach (var (name, a) in layers)
        {
            var (pts, _, dim) = PointCloud(a);
            var sub = new double[(long)sample.Length * dim];
            for (int s = 0; s < sample.Length; s++) Array.Copy(pts, (long)sample[s] * dim, sub, (long)s * dim, dim);
            var dm = DistanceMatrix.FromPoints(sub, sample.Length, dim);
            double scale = 1;
            if (options.Normalize)
            {
                double sum = 0;
                foreach (float x in dm.Lower) sum += x;
                scale = dm.Lower.Length > 0 ? sum / dm.Lower.Length : 1;
                if (scale > 0)
                {
                    for (long k = 0; k < sub.LongLength; k++) sub[k] /= scale;
                    dm = DistanceMatrix.FromPoints(sub, sample.Length, dim);
                }
                else scale = 1;
            }
            var r = VietorisRips.Compute(dm, new RipsOptions { MaxDimension = options.MaxDimension, Threads = options.Threads });
            result.Add(new LayerDiagrams(name, a.Shape, sample.Length, dim, scale, r.Diagrams));
        }
        var sw = new List<double[,]>();
        for (int k = 0; k <= options.MaxDimension; k++)
            sw.Add(Vectorisation.SlicedWassersteinMatrix(result.Select(l => l.Diagrams[k]).ToList(), options.Directions));
        return new LayerTopologyResult(result, sw, sample);
    }

    public static string ToJson(LayerTopologyResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("layers");
            foreach (var l in r.Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteStartArray("shape"); foreach (int s in l.Shape) w.WriteNumberValue(s); w.WriteEndArray();
                w.WriteNumber("points", l.Points);
                w.WriteNumber("dimension", l.Dimension);
                w.WriteNumber("scale", l.Scale);
                w.WriteStartArray("diagrams");
                foreach (var d in l.Diagrams)
                {
                    w.WriteStartObject();
                    w.WriteNumber("dim", d.Dimension);
                    w.WritePropertyName("intervals");
                    DiagramIO.WriteIntervals(w, d);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("sliced_wasserstein");
            for (int k = 0; k < r.SlicedWasserstein.Count; k++)
            {
                var m = r.SlicedWasserstein[k];
                w.WriteStartObject();
                w.WriteNumber("dim", k);
                w.WriteStartArray("matrix");
                for (int i = 0; i < m.GetLength(0); i++)
                {
                    w.WriteStartArray();
                    for (int j = 0; j < m.GetLength(1); j++) w.WriteNumberValue(m[i, j]);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
