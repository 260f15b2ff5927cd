using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>
/// One common corruption (Hendrycks &amp; Dietterich; the Kodak-C/CLIC-C construction) at severities 1–5, on one
/// image C×H×W with values in [0, 1], any number of channels. Deterministic given the generator.
/// </summary>
public abstract class Corruption
{
    public abstract string Name { get; }
    /// <summary>noise, blur, weather or digital.</summary>
    public abstract string Family { get; }

    public Tensor Apply(Tensor image, int severity, Rng rng)
    {
        if (severity < 1 || severity > 5) throw new AtlasArgumentException("severity", $"must be 1..5, got {severity}");
        ImagePlanes.RequireImage(image);
        int h = image.Shape[1], w = image.Shape[2];
        var planes = ImagePlanes.ToPlanes(image);
        var result = Corrupt(planes, h, w, severity, rng);
        return ImagePlanes.FromPlanes(result, h, w);
    }

    /// <summary>Corrupts only the listed channels (bands); the others are copied unchanged.</summary>
    public Tensor Apply(Tensor image, int severity, Rng rng, IReadOnlyCollection<int>? channels)
    {
        var full = Apply(image, severity, rng);
        if (channels is null) return full;
        int c = image.Shape[0], n = image.Shape[1] * image.Shape[2];
        foreach (int ch in channels)
            if (ch < 0 || ch >= c) throw new AtlasArgumentException("channels", $"channel {ch} does not exist in an image with {c} channels");
        var res = image.Clone();
        foreach (int ch in channels) Array.Copy(full.Data, ch * n, res.Data, ch * n, n);
        return res;
    }

    protected abstract double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng);

    protected static T Pick<T>(T[] bySeverity, int severity) => bySeverity[severity - 1];

    /// <summary>Luminance for RGB (ITU-R 601 weights), the plain mean for other channel counts.</summary>
    protected static double[] Gray(double[][] planes)
    {
        int n = planes[0].Length;
        var g = new double[n];
        if (planes.Length == 3)
            for (int i = 0; i < n; i++) g[i] = 0.299 * planes[0][i] + 0.587 * planes[1][i] + 0.114 * planes[2][i];
        else
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                foreach (var p in planes) s += p[i];
                g[i] = s / planes.Length;
            }
        return g;
    }
}
