namespace NeuralAtlas.Report.Plotting;

/// <summary>A matrix as coloured cells with a viridis colour bar (layer × layer similarity, distance matrices).</summary>
public sealed class Heatmap : Figure
{
    private readonly double[,] _values;
    public string[] RowLabels { get; set; }
    public string[] ColLabels { get; set; }
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public string ValueLabel { get; set; } = "";
    /// <summary>Fixed colour range (e.g. 0..1 for CKA); by default the data's finite range.</summary>
    public (double Min, double Max)? Range { get; set; }
    public bool Annotate { get; set; } = true;

    public Heatmap(double[,] values, string[]? rowLabels = null, string[]? colLabels = null)
    {
        _values = values;
        RowLabels = rowLabels ?? Enumerable.Range(0, values.GetLength(0)).Select(i => i.ToString()).ToArray();
        ColLabels = colLabels ?? Enumerable.Range(0, values.GetLength(1)).Select(i => i.ToString()).ToArray();
        if (RowLabels.Length != values.GetLength(0) || ColLabels.Length != values.GetLength(1))
            throw new ShapeMismatchException("heatmap", new[] { values.GetLength(0), values.GetLength(1) }, new[] { RowLabels.Length, ColLabels.Length }, "one label per row and column");
        Width = 520;
        Height = 440;
        Left = 96;
        Right = 80;
        Bottom = 90;
    }

    protected override void Draw(SvgWriter svg)
    {
        int r = _values.GetLength(0), c = _values.GetLength(1);
        var finite = _values.Cast<double>().Where(double.IsFinite).ToList();
        double lo = Range?.Min ?? (finite.Count > 0 ? finite.Min() : 0), hi = Range?.Max ?? (finite.Count > 0 ? finite.Max() : 1);
        if (hi <= lo) hi = lo + 1;
        var xa = new Axis(-0.5, c - 0.5, XLabel, nice: false);
        var ya = new Axis(-0.5, r - 0.5, YLabel, nice: false); // row i sits at r − 1 − i, so row 0 is at the top
        double cw = PlotW / Math.Max(c, 1), ch = PlotH / Math.Max(r, 1);
        svg.Raw("<g class=\"data\">");
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
            {
                double v = _values[i, j];
                svg.Rect(Left + j * cw, Top + i * ch, cw + 0.5, ch + 0.5, Palette.Viridis((v - lo) / (hi - lo)), null, $"{RowLabels[i]} × {ColLabels[j]}: {Axis.Format(v)}");
                if (Annotate && r * c <= 144 && cw > 26 && ch > 14)
                    svg.Text(Left + (j + 0.5) * cw, Top + (i + 0.5) * ch + 3.5, double.IsFinite(v) ? v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "–", 9, "middle", null, (v - lo) / (hi - lo) > 0.6 ? "#222" : "#fff");
            }
        svg.Raw("</g>");
        DrawAxes(svg, xa, ya, grid: false,
            ColLabels.Select((l, j) => ((double)j, l)).ToList(),
            RowLabels.Select((l, i) => ((double)(r - 1 - i), l)).ToList());
        // Colour bar.
        double bx = Left + PlotW + 18, bw = 14;
        const int steps = 40;
        svg.Raw("<g class=\"colorbar\">");
        for (int s = 0; s < steps; s++)
            svg.Rect(bx, Top + PlotH * (1 - (s + 1.0) / steps), bw, PlotH / steps + 0.5, Palette.Viridis((s + 0.5) / steps));
        svg.Rect(bx, Top, bw, PlotH, "none", "#444");
        var ba = new Axis(lo, hi, ValueLabel, nice: false);
        foreach (double t in new Axis(lo, hi, "").Ticks().Where(t => t >= lo - 1e-12 && t <= hi + 1e-12))
        {
            double py = Top + (1 - ba.Fraction(t)) * PlotH;
            svg.Line(bx + bw, py, bx + bw + 3, py, "#444");
            svg.Text(bx + bw + 5, py + 3.5, Axis.Format(t), 9);
        }
        if (ValueLabel.Length > 0) svg.Text(bx, Top - 6, ValueLabel, 10);
        svg.Raw("</g>");
    }
}
