using NeuralAtlas.IO;

namespace NeuralAtlas.Report.Plotting;

/// <summary>
/// A self-contained SVG figure: title, plot area with margins, and the drawing a subclass adds. Every figure
/// carries <c>class="atlas-figure"</c>, its axes <c>class="axis"</c>, so a browser test can check them.
/// </summary>
public abstract class Figure
{
    public string Title { get; set; } = "";
    public int Width { get; set; } = 560;
    public int Height { get; set; } = 360;
    public double Left { get; set; } = 64;
    public double Right { get; set; } = 20;
    public double Top { get; set; } = 34;
    public double Bottom { get; set; } = 50;

    protected double PlotW => Width - Left - Right;
    protected double PlotH => Height - Top - Bottom;

    protected abstract void Draw(SvgWriter svg);

    public string ToSvg()
    {
        var svg = new SvgWriter();
        svg.Raw($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"atlas-figure\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">");
        svg.Rect(0, 0, Width, Height, "#ffffff");
        if (Title.Length > 0) svg.Text(Width / 2.0, 20, Title, 14, "middle", "font-weight=\"bold\"");
        Draw(svg);
        svg.Raw("</svg>");
        return svg.ToString();
    }

    /// <summary>Writes the SVG atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>
    /// Draws frame, grid, ticks and labels for a pair of axes. Explicit ticks (value, label) replace the numeric
    /// ones, for categorical axes such as layer names.
    /// </summary>
    protected void DrawAxes(SvgWriter svg, Axis x, Axis y, bool grid = true,
        IReadOnlyList<(double Value, string Label)>? xTicks = null, IReadOnlyList<(double Value, string Label)>? yTicks = null)
    {
        svg.Raw("<g class=\"axis\">");
        bool rotate = xTicks is not null && xTicks.Count > 6;
        foreach (var (t, label) in xTicks ?? x.Ticks().Select(t => (t, Axis.Format(t))).ToList())
        {
            double px = Px(x, t);
            if (grid) svg.Line(px, Top, px, Top + PlotH, "#eeeeee");
            svg.Line(px, Top + PlotH, px, Top + PlotH + 4, "#444");
            if (rotate)
                svg.Text(px, Top + PlotH + 14, label, 9, "end", $"transform=\"rotate(-35 {SvgWriter.F(px)} {SvgWriter.F(Top + PlotH + 14)})\"");
            else
                svg.Text(px, Top + PlotH + 16, label, 10, "middle");
        }
        foreach (var (t, label) in yTicks ?? y.Ticks().Select(t => (t, Axis.Format(t))).ToList())
        {
            double py = Py(y, t);
            if (grid) svg.Line(Left, py, Left + PlotW, py, "#eeeeee");
            svg.Line(Left - 4, py, Left, py, "#444");
            svg.Text(Left - 7, py + 3.5, label, yTicks is null ? 10 : 9, "end");
        }
        svg.Rect(Left, Top, PlotW, PlotH, "none", "#444");
        svg.Text(Left + PlotW / 2, Height - 8, x.Label, 12, "middle");
        double yl = Top + PlotH / 2;
        svg.Text(14, yl, y.Label, 12, "middle", $"transform=\"rotate(-90 14 {SvgWriter.F(yl)})\"");
        svg.Raw("</g>");
    }

    protected double Px(Axis x, double v) => Left + x.Fraction(v) * PlotW;
    protected double Py(Axis y, double v) => Top + (1 - y.Fraction(v)) * PlotH;

    protected void DrawLegend(SvgWriter svg, IReadOnlyList<(string Label, string Color)> entries)
    {
        var named = entries.Where(e => e.Label.Length > 0).ToList();
        if (named.Count == 0) return;
        double w = 16 + named.Max(e => e.Label.Length) * 6.2, h = 6 + 15 * named.Count;
        double x0 = Left + PlotW - w - 6, y0 = Top + 6;
        svg.Raw("<g class=\"legend\">");
        svg.Rect(x0, y0, w, h, "#ffffff", "#cccccc");
        for (int i = 0; i < named.Count; i++)
        {
            double yy = y0 + 12 + 15 * i;
            svg.Rect(x0 + 5, yy - 8, 9, 9, named[i].Color);
            svg.Text(x0 + 18, yy, named[i].Label, 10);
        }
        svg.Raw("</g>");
    }
}
