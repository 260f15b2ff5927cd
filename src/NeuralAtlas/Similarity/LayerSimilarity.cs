using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuralAtlas.Similarity;

/// <summary>A layer × layer matrix of one measure; cells the measure cannot score hold null and an error.</summary>
public sealed class LayerSimilarityMatrix
{
    public required string Measure { get; init; }
    public required MeasureTraits Traits { get; init; }
    public required string[] RowLayers { get; init; }
    public required string[] ColumnLayers { get; init; }
    /// <summary>Values[i, j] = measure(row layer i, column layer j); NaN marks a cell listed in <see cref="Errors"/>.</summary>
    public required double[,] Values { get; init; }
    public required IReadOnlyList<(int Row, int Column, string Message)> Errors { get; init; }

    public JsonObject ToJson()
    {
        var values = new JsonArray();
        for (int i = 0; i < RowLayers.Length; i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < ColumnLayers.Length; j++) row.Add(double.IsFinite(Values[i, j]) ? JsonValue.Create(Values[i, j]) : null);
            values.Add(row);
        }
        return new JsonObject
        {
            ["measure"] = Measure,
            ["traits"] = TraitsJson(Traits),
            ["rows"] = new JsonArray(RowLayers.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["columns"] = new JsonArray(ColumnLayers.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["values"] = values,
            ["errors"] = new JsonArray(Errors.Select(e => (JsonNode)new JsonObject { ["row"] = RowLayers[e.Row], ["column"] = ColumnLayers[e.Column], ["message"] = e.Message }).ToArray()),
        };
    }

    public static JsonObject TraitsJson(MeasureTraits t) => new()
    {
        ["metric"] = t.IsMetric,
        ["symmetric"] = t.IsSymmetric,
        ["larger_is_more_similar"] = t.LargerIsMoreSimilar,
        ["invariances"] = new JsonArray(Enum.GetValues<Invariances>().Where(v => v != Invariances.None && t.IsInvariantTo(v))
            .Select(v => (JsonNode)JsonValue.Create(JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()))!).ToArray()),
        ["min_samples"] = t.MinSamples,
    };
}

/// <summary>Every pair of layers of two models (or a model and itself), one measure.</summary>
public static class LayerSimilarity
{
    /// <summary>
    /// The matrix measure(a_i, b_j). When <paramref name="sameModel"/> and the measure is symmetric only the upper
    /// triangle is computed and mirrored. A cell whose inputs the measure rejects (a dead ReLU layer, too few
    /// samples) is recorded in Errors instead of stopping the whole matrix; shape mismatches (different inputs) stop it.
    /// </summary>
    public static LayerSimilarityMatrix Compute(SimilarityMeasure measure, IReadOnlyList<LayerActivations> a, IReadOnlyList<LayerActivations> b,
        bool sameModel = false, Action<int, int>? progress = null, string? label = null)
    {
        if (a.Count == 0 || b.Count == 0) throw new AtlasArgumentException("layers", "no layers to compare");
        int n = a[0].Matrix.Rows;
        foreach (var l in a.Concat(b))
            if (l.Matrix.Rows != n)
                throw new ShapeMismatchException("layer similarity", $"layer '{l.Name}' has {l.Matrix.Rows} samples, '{a[0].Name}' has {n}: both files must hold activations of the same inputs");
        var values = new double[a.Count, b.Count];
        var errors = new List<(int, int, string)>();
        bool mirror = sameModel && measure.Traits.IsSymmetric && a.Count == b.Count;
        int done = 0, total = mirror ? a.Count * (a.Count + 1) / 2 : a.Count * b.Count;
        for (int i = 0; i < a.Count; i++)
            for (int j = mirror ? i : 0; j < b.Count; j++)
            {
                try
                {
                    values[i, j] = LayerActivations.Compare(measure, a[i], b[j]);
                }
                catch (AtlasArgumentException e)
                {
                    values[i, j] = double.NaN;
                    errors.Add((i, j, e.Message));
                    if (mirror && i != j) errors.Add((j, i, e.Message));
                }
                if (mirror) values[j, i] = values[i, j];
                progress?.Invoke(++done, total);
            }
        return new LayerSimilarityMatrix
        {
            Measure = label ?? measure.Name,
            Traits = measure.Traits,
            RowLayers = a.Select(l => l.Name).ToArray(),
            ColumnLayers = b.Select(l => l.Name).ToArray(),
            Values = values,
            Errors = errors,
        };
    }
}
