namespace NeuralAtlas.Report.Plotting;

/// <summary>Lines, points and shaded bands on shared x/y axes (training curves, per-layer curves with confidence bands, attack curves).</summary>
public sealed class XYChart : Figure
{
    private enum Kind { Line, Scatter, Band }

    private sealed record Series(Kind Kind, double[] X, double[] Y, double[]? Y2, string Label, string Color, string? Dash, double Size, string[]? Titles);

    private readonly List<Series> _series = new();
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public bool LogX { get; set; }
    public bool LogY { get; set; }
    public (double Min, double Max)? XRange { get; set; }
    public (double Min, double Max)? YRange { get; set; }
    /// <summary>Optional tick labels for integer x positions (e.g. layer names).</summary>
    public string[]? XTickLabels { get; set; }

    private string NextColor() => Palette.Category(_series.Count(s => s.Kind != Kind.Band));

    public XYChart Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string label = "", string? color = null, string? dash = null)
    {
        Check(x, y);
        _series.Add(new Series(Kind.Line, x.ToArray(), y.ToArray(), null, label, color ?? NextColor(), dash, 1.8, null));
        return this;
    }

    public XYChart Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, string label = "", string? color = null, double size = 3, string[]? titles = null)
    {
        Check(x, y);
        _series.Add(new Series(Kind.Scatter, x.ToArray(), y.ToArray(), null, label, color ?? NextColor(), null, size, titles));
        return this;
    }

    /// <summary>A shaded band between lower and upper (confidence intervals); takes the colour of the next line.</summary>
    public XYChart Band(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string? color = null)
    {
        Check(x, lower);
        Check(x, upper);
        _series.Add(new Series(Kind.Band, x.ToArray(), lower.ToArray(), upper.ToArray(), "", color ?? NextColor(), null, 0, null));
        return this;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ShapeMismatchException("plot", new[] { x.Count }, new[] { y.Count }, "x and y need the same length");
    }

    protected override void Draw(SvgWriter svg)
    {
        var xs = _series.SelectMany(s => s.X);
        var ys = _series.SelectMany(s => s.Y2 is null ? s.Y : s.Y.Concat(s.Y2));
        var xa = XRange is { } xr ? new Axis(xr.Min, xr.Max, XLabel, LogX, nice: false) : Axis.Fit(xs, XLabel, LogX);
        var ya = YRange is { } yr ? new Axis(yr.Min, yr.Max, YLabel, LogY, nice: false) : Axis.Fit(ys, YLabel, LogY);
        if (XTickLabels is null) DrawAxes(svg, xa, ya);
        else
        {
            if (XRange is null) xa = new Axis(-0.5, XTickLabels.Length - 0.5, XLabel, nice: false);
            DrawAxes(svg, xa, ya, xTicks: XTickLabels.Select((l, i) => ((double)i, l)).ToList());
        }
        svg.Raw($"<clipPath id=\"c{GetHashCode()}\"><rect x=\"{SvgWriter.F(Left)}\" y=\"{SvgWriter.F(Top)}\" width=\"{SvgWriter.F(PlotW)}\" height=\"{SvgWriter.F(PlotH)}\"/></clipPath>");
        svg.Raw($"<g class=\"data\" clip-path=\"url(#c{GetHashCode()})\">");
        foreach (var s in _series)
        {
            switch (s.Kind)
            {
                case Kind.Band:
                    var upper = Enumerable.Range(0, s.X.Length).Where(i => Finite(s.X[i], s.Y2![i])).Select(i => (Px(xa, s.X[i]), Py(ya, s.Y2![i])));
                    var lower = Enumerable.Range(0, s.X.Length).Reverse().Where(i => Finite(s.X[i], s.Y[i])).Select(i => (Px(xa, s.X[i]), Py(ya, s.Y[i])));
                    svg.Polygon(upper.Concat(lower), s.Color, 0.2);
                    break;
                case Kind.Line:
                    foreach (var run in FiniteRuns(s.X, s.Y))
                        svg.Polyline(run.Select(i => (Px(xa, s.X[i]), Py(ya, s.Y[i]))), s.Color, 1.8, s.Dash);
                    break;
                case Kind.Scatter:
                    for (int i = 0; i < s.X.Length; i++)
                        if (Finite(s.X[i], s.Y[i]))
                            svg.Circle(Px(xa, s.X[i]), Py(ya, s.Y[i]), s.Size, s.Color, null, s.Titles?[i]);
                    break;
            }
        }
        svg.Raw("</g>");
        DrawLegend(svg, _series.Where(s => s.Kind != Kind.Band).Select(s => (s.Label, s.Color)).ToList());
    }

    private static bool Finite(double a, double b) => double.IsFinite(a) && double.IsFinite(b);

    private static IEnumerable<List<int>> FiniteRuns(double[] x, double[] y)
    {
        var run = new List<int>();
        for (int i = 0; i < x.Length; i++)
        {
            if (Finite(x[i], y[i])) run.Add(i);
            else if (run.Count > 0) { yield return run; run = new List<int>(); }
        }
        if (run.Count > 0) yield return run;
    }
}
