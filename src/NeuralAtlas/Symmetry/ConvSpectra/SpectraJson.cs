using System.Text.Json;
using NeuralAtlas.IO;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>Writes a <see cref="ModelSpectrum"/> as JSON (atomically); every number is finite by construction.</summary>
public static class SpectraJson
{
    public static void Write(string path, ModelSpectrum spectrum) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
            Write(w, spectrum);
        });

    public static void Write(Utf8JsonWriter w, ModelSpectrum spectrum)
    {
        w.WriteStartObject();
        w.WriteString("eigenvalues", "lambda = sigma^2 of the weight reshaped to C_out x (C_in*kh*kw)");
        Nullable(w, "average_alpha", spectrum.AverageAlpha);
        Nullable(w, "average_alpha_weighted", spectrum.AverageAlphaWeighted);
        w.WriteStartArray("layers");
        foreach (var l in spectrum.Layers)
        {
            w.WriteStartObject();
            w.WriteString("name", l.Name);
            w.WriteString("kind", l.Kind);
            Array(w, "shape", l.Shape.Select(x => (double)x));
            w.WriteNumber("rows", l.Rows);
            w.WriteNumber("cols", l.Cols);
            Array(w, "singular_values", l.SingularValues);
            w.WriteNumber("lambda_max", l.LambdaMax);
            if (l.PowerLaw is { } p)
            {
                w.WriteStartObject("power_law");
                w.WriteNumber("alpha", p.Alpha);
                w.WriteNumber("xmin", p.XMin);
                w.WriteNumber("ks_distance", p.KsDistance);
                w.WriteNumber("tail_count", p.TailCount);
                w.WriteNumber("alpha_stderr", p.StandardError);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("power_law");
                w.WriteString("power_law_note", l.PowerLawNote ?? "");
            }
            Nullable(w, "alpha_weighted", l.AlphaWeighted);
            var mp = l.MarchenkoPastur;
            w.WriteStartObject("marchenko_pastur");
            w.WriteNumber("variance", mp.Variance);
            w.WriteNumber("q", mp.Q);
            w.WriteNumber("lambda_minus", mp.LambdaMinus);
            w.WriteNumber("lambda_plus", mp.LambdaPlus);
            w.WriteNumber("outlier_threshold", mp.Threshold);
            w.WriteNumber("outliers", mp.Outliers);
            w.WriteNumber("bulk_fraction", mp.BulkFraction);
            w.WriteString("scale", "lambda / max(rows, cols)");
            w.WriteEndObject();
            w.WriteStartObject("esd");
            Array(w, "edges", l.Density.Edges);
            Array(w, "density", l.Density.Density);
            w.WriteEndObject();
            if (l.Operator is { } op)
            {
                w.WriteStartObject("operator");
                w.WriteNumber("input_size", op.InputSize);
                w.WriteNumber("stride", op.Stride);
                w.WriteNumber("count", op.Count);
                w.WriteNumber("spectral_norm", op.SpectralNorm);
                w.WriteNumber("smallest", op.Smallest);
                w.WriteNumber("stable_rank", op.StableRank);
                Array(w, "top", op.Top);
                if (op.All is not null) Array(w, "all", op.All);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } x && double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    private static void Array(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
