using System.Text.Json;

namespace NeuralAtlas.Geometry;

/// <summary>
/// JSON for intrinsic-dimension results, one entry per layer (a single array is one layer), so the report draws
/// dimension against depth with its interval band. Undefined numbers (no bootstrap) are written as null.
/// </summary>
public static class IdJson
{
    public static byte[] Serialize(string input, IdEstimator estimator, IdOptions options, IReadOnlyList<LayerDimension> layers)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("input", input);
            w.WriteString("estimator", estimator.Name());
            if (estimator != IdEstimator.Gride) w.WriteNumber("k", estimator == IdEstimator.TwoNN ? 2 : options.K);
            if (estimator == IdEstimator.TwoNN) w.WriteNumber("discard_fraction", options.DiscardFraction);
            if (estimator == IdEstimator.Gride) { w.WriteNumber("n1", options.GrideN1); w.WriteNumber("n2", options.GrideN2); }
            if (estimator == IdEstimator.Lpca) w.WriteString("criterion", options.PcaCriterion.Name());
            w.WriteNumber("bootstrap", options.Bootstrap);
            w.WriteNumber("confidence", options.Confidence);
            w.WriteNumber("seed", options.Seed);
            w.WriteString("duplicates", options.Duplicates == DuplicatePolicy.Remove ? "remove" : "error");
            w.WriteStartArray("layers");
            foreach (var l in layers)
            {
                var e = l.Estimate;
                w.WriteStartObject();
                w.WriteString("layer", l.Layer);
                w.WriteStartArray("shape");
                foreach (int s in l.Shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteNumber("points", e.Points);
                w.WriteNumber("duplicates_removed", e.DuplicatesRemoved);
                Number(w, "value", e.Value);
                Number(w, "lower", e.Lower);
                Number(w, "upper", e.Upper);
                if (e.Scales is { } scales)
                {
                    w.WriteStartArray("scales");
                    foreach (var s in scales)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("n1", s.N1);
                        w.WriteNumber("n2", s.N2);
                        Number(w, "distance", s.Distance);
                        Number(w, "value", s.Dimension);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
