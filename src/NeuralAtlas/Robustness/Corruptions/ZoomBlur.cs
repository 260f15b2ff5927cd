using NeuralAtlas.Tensors;

namespace NeuralAtlas.Robustness.Corruptions;

/// <summary>Zooming during exposure: the mean of the image and its centre zooms by factors 1, 1+s, ... (up to 1.11–1.31).</summary>
public sealed class ZoomBlur : Corruption
{
    private static readonly (double Max, double Step)[] Params = { (1.11, 0.01), (1.16, 0.01), (1.21, 0.02), (1.26, 0.02), (1.31, 0.03) };
    public override string Name => "zoom_blur";
    public override string Family => "blur";

    public static double[] Factors(int severity)
    {
        var (max, step) = Params[severity - 1];
        var f = new List<double>();
        for (int i = 0; 1 + i * step < max - 1e-9; i++) f.Add(1 + i * step);
        return f.ToArray();
    }

    protected override double[][] Corrupt(double[][] planes, int h, int w, int severity, Rng rng)
    {
        var factors = Factors(severity);
        return planes.Select(p =>
        {
            var acc = (double[])p.Clone();
            foreach (double z in factors)
            {
                var zoomed = ImagePlanes.CenterZoom(p, h, w, z);
                for (int i = 0; i < acc.Length; i++) acc[i] += zoomed[i];
            }
            for (int i = 0; i < acc.Length; i++) acc[i] /= factors.Length + 1;
            return acc;
        }).ToArray();
    }
}
