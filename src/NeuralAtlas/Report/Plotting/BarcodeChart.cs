namespace NeuralAtlas.Report.Plotting;

/// <summary>Barcode: one horizontal bar per interval, grouped by dimension, longest first; infinite bars end in an arrow.</summary>
public sealed class BarcodeChart : Figure
{
    private readonly List<(int Dim, double Birth, double Death)> _bars = new();
    public int MaxBarsPerDim { get; set; } = 40;

    public BarcodeChart Add(int dim, IReadOnlyList<double> births, IReadOnlyList<double> deaths)
    {
        if (births.Count != deaths.Count) throw new ShapeMismatchException("barcode", new[] { births.Count }, new[] { deaths.Count }, "one death per birth");
        var bars = births.Zip(deaths).OrderByDescending(p => p.Second - p.First).Take(MaxBarsPerDim);
        foreach (var (b, d) in bars) _bars.Add((dim, b, d));
        return this;
    }

    public BarcodeChart() { Width = 480; Height = 360; }

    protected override void Draw(SvgWriter svg)
    {
        var fin = _bars.SelectMany(b => new[] { b.Birth, b.Death }).Where(double.IsFinite).ToList();
        double hi = fin.Count == 0 ? 1 : fin.Max(), lo = fin.Count == 0 ? 0 : Math.Min(0, fin.Min());
        double end = hi + (hi - lo) * 0.06;
        var xa = new Axis(lo, end, "filtration value", nice: false);
        var ya = new Axis(0, Math.Max(_bars.Count, 1), "interval", nice: false);
        DrawAxes(svg, xa, ya, true, null, Array.Empty<(double, string)>());
        double h = PlotH / Math.Max(_bars.Count, 1);
        svg.Raw("<g class=\"data\">");
        for (int i = 0; i < _bars.Count; i++)
        {
            var (dim, b, d) = _bars[i];
            double x1 = Px(xa, b), x2 = Px(xa, double.IsPositiveInfinity(d) ? end : d), y = Top + (i + 0.5) * h;
            svg.Line(x1, y, x2, y, Palette.Category(dim), Math.Max(1, Math.Min(4, h * 0.7)));
            if (double.IsPositiveInfinity(d)) svg.Text(x2 - 2, y + 3.5, "→", 9, "end");
        }
        svg.Raw("</g>");
        DrawLegend(svg, _bars.Select(b => b.Dim).Distinct().OrderBy(x => x).Select(dm => ($"H{dm}", Palette.Category(dm))).ToList());
    }
}
