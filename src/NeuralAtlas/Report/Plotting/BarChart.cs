namespace NeuralAtlas.Report.Plotting;

/// <summary>Grouped bars: one group per category, one bar per series (accuracy per corruption and severity, per-class accuracy).</summary>
public sealed class BarChart : Figure
{
    private readonly string[] _categories;
    private readonly List<(string Label, double[] Values)> _series = new();
    public string XLabel { get; set; } = "";
    public string YLabel { get; set; } = "";
    public (double Min, double Max)? YRange { get; set; }

    public BarChart(IEnumerable<string> categories) { _categories = categories.ToArray(); }

    public BarChart Series(string label, IReadOnlyList<double> values)
    {
        if (values.Count != _categories.Length)
            throw new ShapeMismatchException("bar chart", new[] { values.Count }, new[] { _categories.Length }, "one value per category");
        _series.Add((label, values.ToArray()));
        return this;
    }

    protected override void Draw(SvgWriter svg)
    {
        var xa = new Axis(-0.5, _categories.Length - 0.5, XLabel, nice: false);
        var ya = YRange is { } yr ? new Axis(yr.Min, yr.Max, YLabel, nice: false) : Axis.Fit(_series.SelectMany(s => s.Values), YLabel, includeZero: true);
        DrawAxes(svg, xa, ya, true, _categories.Select((c, i) => ((double)i, c)).ToList());
        double group = PlotW / Math.Max(_categories.Length, 1) * 0.8, bw = group / Math.Max(_series.Count, 1);
        double zero = Py(ya, Math.Clamp(0, ya.Min, ya.Max));
        svg.Raw("<g class=\"data\">");
        for (int s = 0; s < _series.Count; s++)
            for (int i = 0; i < _categories.Length; i++)
            {
                double v = _series[s].Values[i];
                if (!double.IsFinite(v)) continue;
                double x0 = Px(xa, i) - group / 2 + s * bw, y = Py(ya, Math.Clamp(v, ya.Min, ya.Max));
                svg.Rect(x0, Math.Min(y, zero), bw * 0.92, Math.Abs(zero - y), Palette.Category(s), null, $"{_categories[i]} {_series[s].Label}: {Axis.Format(v)}");
            }
        svg.Raw("</g>");
        if (_series.Count > 1) DrawLegend(svg, _series.Select((s, i) => (s.Label, Palette.Category(i))).ToList());
    }
}
