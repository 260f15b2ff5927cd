namespace NeuralAtlas.Topology;

/// <summary>Input formats of Ripser's command line, plus numpy's .npy.</summary>
public enum RipserFormat
{
    /// <summary>The strict lower triangle, row by row, any separators (Ripser's default for text).</summary>
    LowerDistance,
    /// <summary>The strict upper triangle, row by row.</summary>
    UpperDistance,
    /// <summary>A full square matrix, one row per line (checked for symmetry and a zero diagonal).</summary>
    Distance,
    /// <summary>One point per line, coordinates separated by commas or spaces; Euclidean distances.</summary>
    PointCloud,
    /// <summary>DIPHA's binary distance matrix (magic 8067171840, type 7, n, n² doubles).</summary>
    Dipha,
    /// <summary>Lines "i j d": a sparse distance matrix; pairs not listed are not connected.</summary>
    Sparse,
    /// <summary>The strict lower triangle as little-endian float32.</summary>
    Binary,
    /// <summary>numpy .npy: a square symmetric zero-diagonal matrix is a distance matrix, anything else n×d points.</summary>
    Npy,
    /// <summary>numpy .npy holding a square distance matrix.</summary>
    NpyDistance,
    /// <summary>numpy .npy holding an n×d point cloud.</summary>
    NpyPoints,
}

public static class RipserFormats
{
    public static readonly string Names = "lower-distance, upper-distance, distance, point-cloud, dipha, sparse, binary, npy, npy-distance, npy-points";

    /// <summary>Ripser's rules: a prefix names the text formats ("lower", "upper", "dist", "point").</summary>
    public static RipserFormat Parse(string name)
    {
        string s = name.ToLowerInvariant();
        if (s == "npy") return RipserFormat.Npy;
        if (s == "npy-distance") return RipserFormat.NpyDistance;
        if (s == "npy-points") return RipserFormat.NpyPoints;
        if (s.StartsWith("lower", StringComparison.Ordinal)) return RipserFormat.LowerDistance;
        if (s.StartsWith("upper", StringComparison.Ordinal)) return RipserFormat.UpperDistance;
        if (s.StartsWith("dist", StringComparison.Ordinal)) return RipserFormat.Distance;
        if (s.StartsWith("point", StringComparison.Ordinal)) return RipserFormat.PointCloud;
        if (s == "dipha") return RipserFormat.Dipha;
        if (s == "sparse") return RipserFormat.Sparse;
        if (s == "binary") return RipserFormat.Binary;
        throw new AtlasArgumentException("--format", $"expected one of {Names}, got '{name}'");
    }

    /// <summary>The default for a file: .npy by extension, else Ripser's default (distance).</summary>
    public static RipserFormat Guess(string path) =>
        path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? RipserFormat.Npy :
        path.EndsWith(".dipha", StringComparison.OrdinalIgnoreCase) ? RipserFormat.Dipha :
        path.EndsWith(".lower_distance_matrix", StringComparison.OrdinalIgnoreCase) ? RipserFormat.LowerDistance :
        RipserFormat.Distance;
}
