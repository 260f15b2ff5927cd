using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// The class × singular-direction incidence across a data set (DeepDataProfiler's hypergraphs): each input is a
/// hyperedge over the singular directions influential for it; per class, Incidence[c][j] counts the inputs of class c
/// for which direction j is influential, and the class hyperedge keeps the directions influential for at least
/// <see cref="Support"/> of the class.
/// </summary>
public sealed record SingularHypergraph(
    long[] Classes,
    int[] ClassSizes,
    int Directions,
    int[][] Incidence,
    int[][] ClassHyperedges,
    int[][] InputHyperedges,
    long[] InputLabels,
    double Share,
    double Support)
{
    /// <param name="activations">N inputs × C_out channels × P positions (row-major).</param>
    public static SingularHypergraph Build(DMatrix leftSingularVectors, double[] activations, int count, int channels, long[] labels, double share = 0.8, double support = 0.5)
    {
        if (labels.Length != count) throw new ShapeMismatchException("hypergraph", $"{count} activations but {labels.Length} labels");
        if (support <= 0 || support > 1) throw new AtlasArgumentException("support", $"must be in (0, 1], got {support}");
        if (count == 0 || activations.Length % count != 0)
            throw new ShapeMismatchException("hypergraph", $"{activations.Length} activation values do not split into {count} inputs");
        int per = activations.Length / count;
        var classes = labels.Distinct().OrderBy(x => x).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        int r = leftSingularVectors.Cols;
        var incidence = classes.Select(_ => new int[r]).ToArray();
        var sizes = new int[classes.Length];
        var edges = new int[count][];
        for (int n = 0; n < count; n++)
        {
            var inf = InfluentialDirections.Select(leftSingularVectors, activations.AsSpan(n * per, per), channels, share);
            edges[n] = inf.Directions.OrderBy(j => j).ToArray();
            int ci = index[labels[n]];
            sizes[ci]++;
            foreach (int j in inf.Directions) incidence[ci][j]++;
        }
        var classEdges = classes.Select((_, ci) => Enumerable.Range(0, r).Where(j => incidence[ci][j] >= support * sizes[ci]).ToArray()).ToArray();
        return new SingularHypergraph(classes, sizes, r, incidence, classEdges, edges, (long[])labels.Clone(), share, support);
    }

    public void WriteJson(string path, string layer) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = false });
            w.WriteStartObject();
            w.WriteString("layer", layer);
            w.WriteNumber("directions", Directions);
            w.WriteNumber("share", Share);
            w.WriteNumber("support", Support);
            w.WriteStartArray("classes");
            for (int c = 0; c < Classes.Length; c++)
            {
                w.WriteStartObject();
                w.WriteNumber("label", Classes[c]);
                w.WriteNumber("size", ClassSizes[c]);
                w.WriteStartArray("incidence");
                foreach (int x in Incidence[c]) w.WriteNumberValue(x);
                w.WriteEndArray();
                w.WriteStartArray("hyperedge");
                foreach (int x in ClassHyperedges[c]) w.WriteNumberValue(x);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("inputs");
            for (int n = 0; n < InputHyperedges.Length; n++)
            {
                w.WriteStartObject();
                w.WriteNumber("label", InputLabels[n]);
                w.WriteStartArray("directions");
                foreach (int x in InputHyperedges[n]) w.WriteNumberValue(x);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
