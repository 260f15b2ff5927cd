using System.Buffers.Binary;
using System.Globalization;
using NeuralAtlas.IO;

namespace NeuralAtlas.Topology;

/// <summary>
/// A filtration input read from one of Ripser's formats: either a dense matrix, a sparse matrix, or a point cloud
/// (kept as points so that a threshold can avoid the n² matrix). Readers validate everything and name the line or
/// byte offset of the first problem.
/// </summary>
public sealed class RipserInput
{
    public RipserFormat Format { get; private init; }
    public DistanceMatrix? Dense { get; private init; }
    public SparseDistanceMatrix? Sparse { get; private init; }
    /// <summary>Point cloud as read (float32, as Ripser reads it), row-major <see cref="PointCount"/> × <see cref="Dimension"/>.</summary>
    public float[]? Points { get; private init; }
    /// <summary>Point cloud in double (from .npy), row-major.</summary>
    public double[]? PointsDouble { get; private init; }
    public int PointCount { get; private init; }
    public int Dimension { get; private init; }
    /// <summary>Lines of a sparse file with i ≠ j (Ripser's "entries" count).</summary>
    public long SparseEntries { get; private init; }

    public static RipserInput Read(string path, RipserFormat format)
    {
        return format switch
        {
            RipserFormat.LowerDistance => Triangle(path, upper: false),
            RipserFormat.UpperDistance => Triangle(path, upper: true),
            RipserFormat.Distance => FullMatrix(path),
            RipserFormat.PointCloud => PointCloud(path),
            RipserFormat.Dipha => Dipha(path),
            RipserFormat.Sparse => SparseTriples(path),
            RipserFormat.Binary => Binary(path),
            _ => NpyFile(path, format),
        };
    }

    private static IEnumerable<(int Line, string[] Tokens)> Lines(string path)
    {
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var tokens = line.Split(new[] { ' ', '\t', ',', ';', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0) yield return (lineNo, tokens);
        }
    }

    private static float ParseFloat(string token, string path, int line)
    {
        string t = token.ToLowerInvariant();
        if (t is "inf" or "+inf" or "infinity") return float.PositiveInfinity;
        if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
            throw new AtlasFormatException(path, line, $"a number, found '{token}'", "line");
        if (float.IsNaN(v)) throw new AtlasFormatException(path, line, "a number, found NaN", "line");
        return v;
    }

    private static float ParseDistance(string token, string path, int line)
    {
        float v = ParseFloat(token, path, line);
        if (v < 0) throw new AtlasFormatException(path, line, $"a non-negative distance, found {token}", "line");
        return v == 0 ? 0f : v;
    }

    private static RipserInput Triangle(string path, bool upper)
    {
        var values = new List<float>();
        foreach (var (line, tokens) in Lines(path))
            foreach (var t in tokens) values.Add(ParseDistance(t, path, line));
        int n = DistanceMatrix.TriangleSide(values.Count, path);
        float[] lower;
        if (!upper) lower = values.ToArray();
        else
        {
            // Upper row i holds (i, i+1..n−1); entry (i, j) goes to lower position j(j−1)/2 + i.
            lower = new float[values.Count];
            int k = 0;
            for (int i = 0; i < n - 1; i++)
                for (int j = i + 1; j < n; j++) lower[(long)j * (j - 1) / 2 + i] = values[k++];
        }
        return new RipserInput { Format = upper ? RipserFormat.UpperDistance : RipserFormat.LowerDistance, Dense = new DistanceMatrix(n, lower), PointCount = n };
    }

    private static RipserInput FullMatrix(string path)
    {
        var rows = new List<(int Line, float[] Values)>();
        foreach (var (line, tokens) in Lines(path))
        {
            var r = new float[tokens.Length];
            for (int j = 0; j < r.Length; j++) r[j] = ParseDistance(tokens[j], path, line);
            rows.Add((line, r));
        }
        int n = rows.Count;
        if (n == 0) throw new AtlasFormatException(path, 1, "a distance matrix (the file is empty)", "line");
        for (int i = 0; i < n; i++)
            if (rows[i].Values.Length != n)
                throw new AtlasFormatException(path, rows[i].Line, $"{n} values (a square {n}×{n} matrix: the file has {n} rows), found {rows[i].Values.Length}", "line");
        var lower = new float[(long)n * (n - 1) / 2];
        for (int i = 0; i < n; i++)
        {
            if (rows[i].Values[i] != 0) throw new AtlasFormatException(path, rows[i].Line, $"0 on the diagonal at column {i + 1}, found {rows[i].Values[i]}", "line");
            for (int j = 0; j < i; j++)
            {
                float a = rows[i].Values[j], b = rows[j].Values[i];
                if (!(a == b || Math.Abs(a - b) <= 1e-6f * Math.Max(a, b)))
                    throw new AtlasFormatException(path, rows[i].Line, $"a symmetric matrix: entry ({i + 1}, {j + 1}) = {a} but ({j + 1}, {i + 1}) = {b}", "line");
                lower[(long)i * (i - 1) / 2 + j] = a;
            }
        }
        return new RipserInput { Format = RipserFormat.Distance, Dense = new DistanceMatrix(n, lower), PointCount = n };
    }

    private static RipserInput PointCloud(string path)
    {
        var pts = new List<float>();
        int d = -1, n = 0, firstLine = 0;
        foreach (var (line, tokens) in Lines(path))
        {
            if (d < 0) { d = tokens.Length; firstLine = line; }
            else if (tokens.Length != d)
                throw new AtlasFormatException(path, line, $"{d} coordinates like line {firstLine}, found {tokens.Length}", "line");
            foreach (var t in tokens)
            {
                float v = ParseFloat(t, path, line);
                if (!float.IsFinite(v)) throw new AtlasFormatException(path, line, $"finite coordinates, found {t}", "line");
                pts.Add(v);
            }
            n++;
        }
        if (n == 0) throw new AtlasFormatException(path, 1, "at least one point (the file is empty)", "line");
        return new RipserInput { Format = RipserFormat.PointCloud, Points = pts.ToArray(), PointCount = n, Dimension = d };
    }

    private static RipserInput SparseTriples(string path)
    {
        var triples = new List<(int, int, float)>();
        long entries = 0;
        foreach (var (line, tokens) in Lines(path))
        {
            if (tokens.Length != 3) throw new AtlasFormatException(path, line, $"three values 'i j distance', found {tokens.Length}", "line");
            if (!int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ||
                !int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out int j))
                throw new AtlasFormatException(path, line, $"two non-negative point indices, found '{tokens[0]}' '{tokens[1]}'", "line");
            float d = ParseDistance(tokens[2], path, line);
            if (i != j) { triples.Add((i, j, d)); entries++; }
        }
        if (triples.Count == 0) throw new AtlasFormatException(path, 1, "at least one entry 'i j distance' with i ≠ j (the file is empty)", "line");
        var s = SparseDistanceMatrix.FromTriples(triples, 0, path);
        return new RipserInput { Format = RipserFormat.Sparse, Sparse = s, PointCount = s.Count, SparseEntries = entries };
    }

    private static RipserInput Dipha(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 24) throw new AtlasFormatException(path, bytes.Length, "a 24-byte DIPHA header (magic, file type, n)");
        long magic = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (magic != 8067171840) throw new AtlasFormatException(path, 0, $"the DIPHA magic number 8067171840, found {magic}");
        long type = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (type != 7) throw new AtlasFormatException(path, 8, $"DIPHA file type 7 (distance matrix), found {type}");
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        if (n <= 0 || n > 1 << 20) throw new AtlasFormatException(path, 16, $"a point count between 1 and 2^20, found {n}");
        long need = 24 + n * n * 8;
        if (bytes.Length != need) throw new AtlasFormatException(path, Math.Min(bytes.Length, need), $"{n}×{n} doubles ({need} bytes in all), the file has {bytes.Length} bytes");
        var values = new double[n * n];
        for (long k = 0; k < values.Length; k++) values[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(24 + 8 * k)));
        return new RipserInput { Format = RipserFormat.Dipha, Dense = DistanceMatrix.FromDense(values, (int)n, (int)n, path), PointCount = (int)n };
    }

    private static RipserInput Binary(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0) throw new AtlasFormatException(path, bytes.Length - bytes.Length % 4, "whole float32 values (the file length is not a multiple of 4)");
        var values = new float[bytes.Length / 4];
        for (int k = 0; k < values.Length; k++) values[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * k));
        var m = DistanceMatrix.FromLowerTriangle(values, path);
        return new RipserInput { Format = RipserFormat.Binary, Dense = m, PointCount = m.Count };
    }

    private static RipserInput NpyFile(string path, RipserFormat format)
    {
        var a = Npy.Read(path);
        if (a.Rank != 2) throw new AtlasFormatException(path, 0, $"a 2-D array (a distance matrix or n×d points), found shape {ShapeMismatchException.Format(a.Shape)}");
        var v = a.ToDoubles();
        int r = a.Shape[0], c = a.Shape[1];
        bool distance = format == RipserFormat.NpyDistance || (format == RipserFormat.Npy && r == c && LooksLikeDistances(v, r));
        if (distance)
        {
            var m = DistanceMatrix.FromDense(v, r, c, path);
            return new RipserInput { Format = RipserFormat.NpyDistance, Dense = m, PointCount = r };
        }
        DistanceMatrix.CheckPoints(v, r, c, path);
        return new RipserInput { Format = RipserFormat.NpyPoints, PointsDouble = v, PointCount = r, Dimension = c };
    }

    private static bool LooksLikeDistances(double[] v, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (v[i * n + i] != 0) return false;
            for (int j = 0; j < i; j++) if (v[i * n + j] != v[j * n + i] || !(v[i * n + j] >= 0)) return false;
        }
        return true;
    }
}
