using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// A measure that treats units as channels with spatial positions: inputs are n × (c·P) in channel-major order
/// (flattened NCHW, P = h·w positions per channel). <see cref="SimilarityMeasure.Compute"/> is the case P = 1.
/// </summary>
public interface IChannelAwareMeasure
{
    double Compute(DMatrix x, int positionsX, DMatrix y, int positionsY);
}

/// <summary>Helpers for channel-structured activations.</summary>
internal static class Channels
{
    public static int Count(DMatrix x, int positions, string argument)
    {
        if (positions < 1 || x.Cols % positions != 0)
            throw new AtlasArgumentException(argument, $"{x.Cols} features are not a whole number of channels of {positions} positions");
        return x.Cols / positions;
    }

    /// <summary>n×(c·P) channel-major → (n·P)×c: every (input, position) a sample, channels as columns.</summary>
    public static DMatrix PositionsAsSamples(DMatrix x, int positions)
    {
        if (positions == 1) return x;
        int n = x.Rows, c = x.Cols / positions;
        var m = new DMatrix(n * positions, c);
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < positions; p++)
                    m.Data[((long)s * positions + p) * c + ch] = x.Data[(long)s * x.Cols + ch * positions + p];
        return m;
    }

    /// <summary>Each column scaled to unit norm; all-zero columns (dead units) stay zero.</summary>
    public static DMatrix NormalizeColumns(DMatrix m)
    {
        var norms = new double[m.Cols];
        for (int i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            for (int j = 0; j < row.Length; j++) norms[j] += row[j] * row[j];
        }
        var r = m.Clone();
        for (int j = 0; j < norms.Length; j++) norms[j] = norms[j] > 0 ? 1 / Math.Sqrt(norms[j]) : 0;
        for (int i = 0; i < r.Rows; i++)
        {
            var row = r.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] *= norms[j];
        }
        return r;
    }

    public static void RequireSamePositions(string measure, int px, int py)
    {
        if (px != py)
            throw new AtlasArgumentException("positions", $"{measure} compares channels position by position: X has {px} positions per channel, Y has {py} (pool or resize to the same spatial size, or use the spatial-as-samples layout)");
    }
}
