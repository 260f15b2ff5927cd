using System.Globalization;
using System.Text;
using System.Text.Json;
using NeuralAtlas.IO;

namespace NeuralAtlas.Topology;

/// <summary>
/// Reading and writing persistence diagrams: JSON (infinite deaths as null), npz (one k×2 array per dimension,
/// dgm0, dgm1, …, +inf deaths), Ripser's text output, and plain "birth death" lines / npy k×2 arrays.
/// </summary>
public static class DiagramIO
{
    public static string ToJson(PersistenceResult r, bool indented = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteNumber("points", r.PointCount);
            w.WriteNumber("threshold", r.Threshold);
            w.WriteNumber("modulus", r.Modulus);
            w.WriteStartArray("diagrams");
            foreach (var d in r.Diagrams)
            {
                w.WriteStartObject();
                w.WriteNumber("dim", d.Dimension);
                w.WritePropertyName("intervals");
                WriteIntervals(w, d);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (r.Cocycles.Count > 0)
            {
                w.WriteStartArray("cocycles");
                foreach (var c in r.Cocycles)
                {
                    w.WriteStartObject();
                    w.WriteNumber("dim", c.Dimension);
                    w.WriteNumber("birth", c.Interval.Birth);
                    if (c.Interval.IsEssential) w.WriteNull("death"); else w.WriteNumber("death", c.Interval.Death);
                    w.WriteStartArray("simplices");
                    foreach (var (v, coef) in c.Simplices)
                    {
                        w.WriteStartArray();
                        foreach (int x in v) w.WriteNumberValue(x);
                        w.WriteNumberValue(coef);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>[[birth, death-or-null], …]</summary>
    public static void WriteIntervals(Utf8JsonWriter w, PersistenceDiagram d)
    {
        w.WriteStartArray();
        foreach (var iv in d.Intervals)
        {
            w.WriteStartArray();
            w.WriteNumberValue(iv.Birth);
            if (iv.IsEssential) w.WriteNullValue(); else w.WriteNumberValue(iv.Death);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    public static void WriteNpz(string path, PersistenceResult r)
    {
        var entries = new List<KeyValuePair<string, NdArray>>();
        foreach (var d in r.Diagrams)
        {
            var a = new double[2 * d.Count];
            for (int i = 0; i < d.Count; i++) { a[2 * i] = d.Intervals[i].Birth; a[2 * i + 1] = d.Intervals[i].Death; }
            entries.Add(new($"dgm{d.Dimension}", NdArray.FromDoubles(a, d.Count, 2)));
        }
        Npz.Write(path, entries);
    }

    /// <summary>Writes JSON or npz by extension, atomically.</summary>
    public static void Save(string path, PersistenceResult r)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) WriteNpz(path, r);
        else AtomicFile.WriteAllText(path, ToJson(r, indented: true) + "\n");
    }

    /// <summary>
    /// Reads the diagram of dimension <paramref name="dim"/> from: our JSON (object with "diagrams", or a bare
    /// [[b, d], …] array), an npz with dgm{dim}, an npy k×2 array, Ripser's text output, or lines "birth death"
    /// (death "inf" or missing for essential classes).
    /// </summary>
    public static PersistenceDiagram Read(string path, int dim = 1)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var z = Npz.Read(path);
            if (!z.TryGetValue($"dgm{dim}", out var arr)) throw new AtlasFormatException(path, 0, $"an array named dgm{dim}, found {string.Join(", ", z.Keys)}");
            return FromArray(arr, path, dim);
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return FromArray(Npy.Read(path), path, dim);
        string text = File.ReadAllText(path);
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('[')) return FromJson(text, path, dim);
        if (text.Contains("persistence intervals in dim", StringComparison.Ordinal)) return FromRipserText(text, path, dim);
        return FromLines(text, path, dim);
    }

    private static PersistenceDiagram FromArray(NdArray a, string path, int dim)
    {
        if (a.Rank != 2 || a.Shape[1] != 2)
        {
            if (!(a.Rank == 1 && a.Shape[0] == 0) && !(a.Rank == 2 && a.Shape[0] == 0))
                throw new AtlasFormatException(path, 0, $"a k×2 array of (birth, death), found shape {ShapeMismatchException.Format(a.Shape)}");
        }
        var v = a.ToDoubles();
        var list = new List<PersistenceInterval>();
        for (int i = 0; i + 1 < v.Length; i += 2) list.Add(Interval(v[i], v[i + 1], path, i / 2));
        return new PersistenceDiagram(dim, list);
    }

    private static PersistenceInterval Interval(double b, double d, string path, long at, string unit = "row")
    {
        if (!double.IsFinite(b)) throw new AtlasFormatException(path, at, $"a finite birth, found {b}", unit);
        if (double.IsNaN(d) || d < b) throw new AtlasFormatException(path, at, $"a death ≥ birth {b} (or inf), found {d}", unit);
        return new PersistenceInterval(b, d);
    }

    private static PersistenceDiagram FromJson(string text, string path, int dim)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new AtlasFormatException(path, e.BytePositionInLine ?? 0, $"valid JSON ({e.Message})", "byte in line " + (e.LineNumber + 1) + ", position"); }
        using (doc)
        {
            var root = doc.RootElement;
            JsonElement arr = root;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (!root.TryGetProperty("diagrams", out var ds)) throw new AtlasFormatException(path, 0, "a \"diagrams\" array or a bare [[birth, death], …] array");
                bool found = false;
                foreach (var d in ds.EnumerateArray())
                    if (d.TryGetProperty("dim", out var k) && k.GetInt32() == dim) { arr = d.GetProperty("intervals"); found = true; break; }
                if (!found) throw new AtlasFormatException(path, 0, $"a diagram with \"dim\": {dim}");
            }
            var list = new List<PersistenceInterval>();
            int i = 0;
            foreach (var p in arr.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 2) throw new AtlasFormatException(path, i, "a [birth, death] pair", "interval");
                double b = p[0].GetDouble();
                double d = p[1].ValueKind == JsonValueKind.Null ? double.PositiveInfinity : p[1].ValueKind == JsonValueKind.String ? ParseNumber(p[1].GetString()!, path, i) : p[1].GetDouble();
                list.Add(Interval(b, d, path, i, "interval"));
                i++;
            }
            return new PersistenceDiagram(dim, list);
        }
    }

    private static double ParseNumber(string s, string path, long at)
    {
        string t = s.Trim().ToLowerInvariant();
        if (t is "inf" or "+inf" or "infinity" or "") return double.PositiveInfinity;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) throw new AtlasFormatException(path, at, $"a number, found '{s}'", "line");
        return v;
    }

    private static PersistenceDiagram FromRipserText(string text, string path, int dim)
    {
        var list = new List<PersistenceInterval>();
        int current = -1, lineNo = 0;
        bool seen = false;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.StartsWith("persistence intervals in dim ", StringComparison.Ordinal))
            {
                current = int.Parse(line["persistence intervals in dim ".Length..].TrimEnd(':'), CultureInfo.InvariantCulture);
                seen |= current == dim;
                continue;
            }
            if (current != dim || !line.StartsWith('[')) continue;
            int comma = line.IndexOf(','), close = line.IndexOf(')');
            if (comma < 0 || close < 0) throw new AtlasFormatException(path, lineNo, "an interval ' [birth,death)' or ' [birth, )'", "line");
            double b = ParseNumber(line[1..comma], path, lineNo);
            double d = ParseNumber(line[(comma + 1)..close], path, lineNo);
            list.Add(Interval(b, d, path, lineNo, "line"));
        }
        if (!seen) throw new AtlasFormatException(path, lineNo, $"a 'persistence intervals in dim {dim}:' section", "line");
        return new PersistenceDiagram(dim, list);
    }

    private static PersistenceDiagram FromLines(string text, string path, int dim)
    {
        var list = new List<PersistenceInterval>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var t = raw.Split(new[] { ' ', '\t', ',', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0 || t[0].StartsWith('#')) continue;
            if (t.Length > 2) throw new AtlasFormatException(path, lineNo, $"'birth death' (two values), found {t.Length}", "line");
            double b = ParseNumber(t[0], path, lineNo);
            double d = t.Length == 2 ? ParseNumber(t[1], path, lineNo) : double.PositiveInfinity;
            list.Add(Interval(b, d, path, lineNo, "line"));
        }
        return new PersistenceDiagram(dim, list);
    }
}
