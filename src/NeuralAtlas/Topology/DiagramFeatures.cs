using System.Text.Json;
using NeuralAtlas.IO;

namespace NeuralAtlas.Topology;

/// <summary>What to compute in <see cref="DiagramFeatures.Compute"/> and on which grids (null: chosen from the diagrams).</summary>
public sealed record DiagramFeatureOptions
{
    public bool Betti { get; init; } = true;
    public bool Landscapes { get; init; } = true;
    public bool Image { get; init; } = true;
    /// <summary>Samples of the Betti curves and landscapes on [RangeLow, RangeHigh].</summary>
    public int Resolution { get; init; } = 100;
    /// <summary>Default: the smallest birth and the largest finite death over all the diagrams.</summary>
    public double? RangeLow { get; init; }
    public double? RangeHigh { get; init; }
    public int LandscapeCount { get; init; } = 3;
    /// <summary>Pixels of the persistence image, birth × persistence.</summary>
    public int ImageWidth { get; init; } = 20;
    public int ImageHeight { get; init; } = 20;
    /// <summary>Gaussian σ of the persistence image. Default: a twentieth of the largest persistence.</summary>
    public double? Bandwidth { get; init; }
    /// <summary>Directions of the sliced Wasserstein matrix (computed when there are two diagrams or more; 0 = off).</summary>
    public int Directions { get; init; } = 50;
}

/// <summary>
/// Fixed-length summaries of several diagrams on one shared grid, so that they can be compared, averaged or fed to a
/// learner: Betti curves, persistence landscapes and persistence images (<see cref="Vectorisation"/>), plus the
/// sliced Wasserstein distances between the diagrams. The grid is chosen from all the diagrams at once unless given.
/// </summary>
public sealed class DiagramFeatures
{
    public required IReadOnlyList<string> Names { get; init; }
    public required double[] Grid { get; init; }
    public int LandscapeCount { get; init; }
    public double[] ImageBirths { get; init; } = Array.Empty<double>();
    public double[] ImagePersistences { get; init; } = Array.Empty<double>();
    public double Bandwidth { get; init; }
    public required IReadOnlyList<int[]?> Betti { get; init; }
    public required IReadOnlyList<double[]?> Landscapes { get; init; }
    public required IReadOnlyList<double[]?> Images { get; init; }
    public double[,]? SlicedWasserstein { get; init; }

    public static DiagramFeatures Compute(IReadOnlyList<PersistenceDiagram> diagrams, IReadOnlyList<string> names, DiagramFeatureOptions? options = null)
    {
        options ??= new DiagramFeatureOptions();
        if (diagrams.Count == 0) throw new AtlasArgumentException("diagrams", "expected at least one diagram");
        if (names.Count != diagrams.Count) throw new AtlasArgumentException("names", $"expected {diagrams.Count} names, got {names.Count}");
        var finite = diagrams.SelectMany(d => d.Finite).ToArray();
        var births = diagrams.SelectMany(d => d.Intervals).Select(i => i.Birth).DefaultIfEmpty(0).ToArray();
        double lo = options.RangeLow ?? births.Min();
        double hi = options.RangeHigh ?? Math.Max(lo, finite.Select(i => i.Death).DefaultIfEmpty(births.Max()).Max());
        if (!(hi >= lo)) throw new AtlasArgumentException("range", $"expected low ≤ high, got [{lo}, {hi}]");
        var grid = Vectorisation.Grid(lo, hi, options.Resolution);

        double maxPersistence = finite.Select(i => i.Death - i.Birth).DefaultIfEmpty(0).Max();
        double bandwidth = options.Bandwidth ?? (maxPersistence > 0 ? maxPersistence / 20 : 1);
        double bLo = finite.Select(i => i.Birth).DefaultIfEmpty(lo).Min(), bHi = finite.Select(i => i.Birth).DefaultIfEmpty(hi).Max();
        if (options.ImageWidth < 1 || options.ImageHeight < 1)
            throw new AtlasArgumentException("image-size", $"expected at least 1×1 pixels, got {options.ImageWidth}×{options.ImageHeight}");

        return new DiagramFeatures
        {
            Names = names,
            Grid = grid,
            LandscapeCount = options.LandscapeCount,
            ImageBirths = options.Image ? Vectorisation.Grid(bLo, bHi, options.ImageWidth) : Array.Empty<double>(),
            ImagePersistences = options.Image ? Vectorisation.Grid(0, maxPersistence, options.ImageHeight) : Array.Empty<double>(),
            Bandwidth = bandwidth,
            Betti = diagrams.Select(d => options.Betti ? Vectorisation.BettiCurve(d, grid) : null).ToList(),
            Landscapes = diagrams.Select(d => options.Landscapes ? Vectorisation.Landscapes(d, options.LandscapeCount, grid) : null).ToList(),
            Images = diagrams.Select(d => options.Image
                ? Vectorisation.PersistenceImage(d, bandwidth, options.ImageWidth, options.ImageHeight, bLo, bHi, 0, maxPersistence)
                : null).ToList(),
            SlicedWasserstein = diagrams.Count >= 2 && options.Directions > 0 ? Vectorisation.SlicedWassersteinMatrix(diagrams, options.Directions) : null,
        };
    }

    /// <summary>Writes JSON (by default) or npz (grid, betti_i, landscapes_i as K×N, image_i as height×width, sliced_wasserstein), atomically.</summary>
    public void Save(string path)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var entries = new List<KeyValuePair<string, NdArray>> { new("grid", NdArray.FromDoubles(Grid, Grid.Length)) };
            for (int i = 0; i < Names.Count; i++)
            {
                if (Betti[i] is { } b) entries.Add(new($"betti_{i}", NdArray.FromInt64s(b.Select(x => (long)x).ToArray(), b.Length)));
                if (Landscapes[i] is { } l) entries.Add(new($"landscapes_{i}", NdArray.FromDoubles(l, LandscapeCount, Grid.Length)));
                if (Images[i] is { } im) entries.Add(new($"image_{i}", NdArray.FromDoubles(im, ImagePersistences.Length, ImageBirths.Length)));
            }
            if (SlicedWasserstein is { } sw)
                entries.Add(new("sliced_wasserstein", NdArray.FromDoubles(sw.Cast<double>().ToArray(), Names.Count, Names.Count)));
            Npz.Write(path, entries);
            return;
        }
        AtomicFile.WriteAllText(path, ToJson() + "\n");
    }

    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Numbers(w, "grid", Grid);
            w.WriteNumber("landscape_count", LandscapeCount);
            Numbers(w, "image_births", ImageBirths);
            Numbers(w, "image_persistences", ImagePersistences);
            w.WriteNumber("bandwidth", Bandwidth);
            w.WriteStartArray("diagrams");
            for (int i = 0; i < Names.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("name", Names[i]);
                if (Betti[i] is { } b) { w.WriteStartArray("betti"); foreach (int x in b) w.WriteNumberValue(x); w.WriteEndArray(); }
                if (Landscapes[i] is { } l)
                {
                    w.WriteStartArray("landscapes");
                    for (int k = 0; k < LandscapeCount; k++) Numbers(w, null, l.AsSpan(k * Grid.Length, Grid.Length));
                    w.WriteEndArray();
                }
                if (Images[i] is { } im)
                {
                    w.WriteStartArray("image");
                    for (int y = 0; y < ImagePersistences.Length; y++) Numbers(w, null, im.AsSpan(y * ImageBirths.Length, ImageBirths.Length));
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (SlicedWasserstein is { } sw)
            {
                w.WriteStartArray("sliced_wasserstein");
                for (int i = 0; i < Names.Count; i++)
                {
                    w.WriteStartArray();
                    for (int j = 0; j < Names.Count; j++) w.WriteNumberValue(sw[i, j]);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Numbers(Utf8JsonWriter w, string? name, ReadOnlySpan<double> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
