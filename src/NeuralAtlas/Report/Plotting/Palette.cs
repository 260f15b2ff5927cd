namespace NeuralAtlas.Report.Plotting;

/// <summary>Colours that stay readable for colour-blind readers: Okabe–Ito for categories, viridis for values.</summary>
public static class Palette
{
    private static readonly string[] Categorical =
        { "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999", "#8C564B" };

    public static string Category(int i) => Categorical[((i % Categorical.Length) + Categorical.Length) % Categorical.Length];

    // Viridis sampled at 9 stops; linear interpolation between them is visually indistinguishable from the full map.
    private static readonly (double R, double G, double B)[] ViridisStops =
    {
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    };

    /// <summary>Viridis colour for t in [0, 1] (clamped; NaN is drawn grey).</summary>
    public static string Viridis(double t)
    {
        if (double.IsNaN(t)) return "#bbbbbb";
        t = Math.Clamp(t, 0, 1) * (ViridisStops.Length - 1);
        int i = Math.Min((int)t, ViridisStops.Length - 2);
        double f = t - i;
        var a = ViridisStops[i];
        var b = ViridisStops[i + 1];
        return Hex(a.R + f * (b.R - a.R), a.G + f * (b.G - a.G), a.B + f * (b.B - a.B));
    }

    private static string Hex(double r, double g, double b) => $"#{(int)Math.Round(r):x2}{(int)Math.Round(g):x2}{(int)Math.Round(b):x2}";
}
