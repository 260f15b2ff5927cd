namespace NeuralAtlas.Report.Plotting;

/// <summary>
/// Persistence diagram: one point (birth, death) per interval, coloured by homology dimension, with the diagonal;
/// essential classes (infinite death) sit on a dashed line marked ∞ above the finite points.
/// </summary>
public sealed class PersistenceDiagramChart : Figure
{
    private readonly List<(int Dim, double[] Births, double[] Deaths)> _dims = new();

    public PersistenceDiagramChart Add(int dim, IReadOnlyList<double> births, IReadOnlyList<double> deaths)
    {
        if (births.Count != deaths.Count) throw new ShapeMismatchException("persistence diagram", new[] { births.Count }, new[] { deaths.Count }, "one death per birth");
        _dims.Add((dim, births.ToArray(), deaths.ToArray()));
        return this;
    }

    public PersistenceDiagramChart() { Width = 400; Height = 380; }

    protected override void Draw(SvgWriter svg)
    {
        var all = _dims.SelectMany(d => d.Births.Concat(d.Deaths)).Where(double.IsFinite).ToList();
        double hi = all.Count == 0 ? 1 : all.Max(), lo = all.Count == 0 ? 0 : Math.Min(0, all.Min());
        bool anyInf = _dims.Any(d => d.Deaths.Any(double.IsPositiveInfinity));
        double infY = hi + (hi - lo) * 0.08;
        var axis = new Axis(lo, anyInf ? infY * 1.02 : hi, "birth", nice: false);
        var yaxis = new Axis(lo, anyInf ? infY * 1.02 : hi, "death", nice: false);
        DrawAxes(svg, axis, yaxis);
        svg.Line(Px(axis, lo), Py(yaxis, lo), Px(axis, axis.Max), Py(yaxis, yaxis.Max), "#888", 1, "4,3");
        if (anyInf)
        {
            svg.Line(Left, Py(yaxis, infY), Left + PlotW, Py(yaxis, infY), "#888", 1, "2,2");
            svg.Text(Left + 4, Py(yaxis, infY) - 3, "∞", 11);
        }
        svg.Raw("<g class=\"data\">");
        foreach (var (dim, b, d) in _dims)
            for (int i = 0; i < b.Length; i++)
            {
                double death = double.IsPositiveInfinity(d[i]) ? infY : d[i];
                if (!double.IsFinite(b[i]) || !double.IsFinite(death)) continue;
                svg.Circle(Px(axis, b[i]), Py(yaxis, death), 3, Palette.Category(dim), "#ffffff",
                    $"H{dim}: [{Axis.Format(b[i])}, {(double.IsPositiveInfinity(d[i]) ? "∞" : Axis.Format(d[i]))})");
            }
        svg.Raw("</g>");
        DrawLegend(svg, _dims.Select(x => ($"H{x.Dim} ({x.Births.Length})", Palette.Category(x.Dim))).ToList());
    }
}
