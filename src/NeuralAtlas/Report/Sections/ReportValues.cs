using System.Text.Json.Nodes;

namespace NeuralAtlas.Report.Sections;

/// <summary>Small helpers to put arrays and matrices into a section's JSON values (non-finite values become null).</summary>
internal static class ReportValues
{
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    public static JsonArray Array(IEnumerable<double> v) => new(v.Select(Number).ToArray());

    public static JsonArray Strings(IEnumerable<string> v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());

    public static JsonArray Matrix(double[,] m)
    {
        var rows = new JsonArray();
        for (int i = 0; i < m.GetLength(0); i++)
            rows.Add(Array(Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j])));
        return rows;
    }
}
