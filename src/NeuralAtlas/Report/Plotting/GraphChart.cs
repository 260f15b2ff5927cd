using NeuralAtlas.Tensors;

namespace NeuralAtlas.Report.Plotting;

/// <summary>
/// A node-link graph (Mapper graphs, quivers) laid out by a seeded force-directed (Fruchterman–Reingold) layout;
/// node size follows a weight (e.g. cluster size), colour a category (e.g. majority class).
/// </summary>
public sealed class GraphChart : Figure
{
    private readonly int _n;
    private readonly List<(int A, int B)> _edges = new();
    public double[]? NodeSizes { get; set; }
    public int[]? NodeCategories { get; set; }
    public string[]? NodeTitles { get; set; }
    public int Seed { get; set; } = 0;
    public int Iterations { get; set; } = 300;

    public GraphChart(int nodeCount, IEnumerable<(int A, int B)> edges)
    {
        _n = nodeCount;
        foreach (var e in edges)
        {
            if ((uint)e.A >= (uint)nodeCount || (uint)e.B >= (uint)nodeCount)
                throw new AtlasArgumentException("edges", $"edge ({e.A}, {e.B}) names a node outside 0..{nodeCount - 1}");
            _edges.Add(e);
        }
        Width = 480;
        Height = 420;
        Left = Right = Bottom = 16;
        Top = 30;
    }

    /// <summary>Node positions in [0, 1]², deterministic for a seed.</summary>
    public (double X, double Y)[] Layout()
    {
        var rng = new Rng(Seed);
        var p = new (double X, double Y)[_n];
        for (int i = 0; i < _n; i++) p[i] = (rng.NextDouble(), rng.NextDouble());
        if (_n <= 1) return _n == 1 ? new[] { (0.5, 0.5) } : p;
        double k = Math.Sqrt(1.0 / _n), t = 0.1;
        var disp = new (double X, double Y)[_n];
        for (int it = 0; it < Iterations; it++)
        {
            Array.Clear(disp);
            for (int i = 0; i < _n; i++)
                for (int j = i + 1; j < _n; j++)
                {
                    double dx = p[i].X - p[j].X, dy = p[i].Y - p[j].Y, d2 = Math.Max(dx * dx + dy * dy, 1e-9);
                    double f = k * k / d2;
                    disp[i].X += dx * f; disp[i].Y += dy * f;
                    disp[j].X -= dx * f; disp[j].Y -= dy * f;
                }
            foreach (var (a, b) in _edges)
            {
                double dx = p[a].X - p[b].X, dy = p[a].Y - p[b].Y, d = Math.Sqrt(dx * dx + dy * dy) + 1e-9;
                double f = d / k;
                disp[a].X -= dx * f; disp[a].Y -= dy * f;
                disp[b].X += dx * f; disp[b].Y += dy * f;
            }
            for (int i = 0; i < _n; i++)
            {
                // Weak gravity towards the centre keeps disconnected components from drifting to the corners.
                disp[i].X -= (p[i].X - 0.5) * 0.5 / k;
                disp[i].Y -= (p[i].Y - 0.5) * 0.5 / k;
                double len = Math.Sqrt(disp[i].X * disp[i].X + disp[i].Y * disp[i].Y) + 1e-12;
                double s = Math.Min(len, t) / len;
                p[i] = (p[i].X + disp[i].X * s, p[i].Y + disp[i].Y * s);
            }
            t *= 0.985;
        }
        double minX = p.Min(q => q.X), maxX = p.Max(q => q.X), minY = p.Min(q => q.Y), maxY = p.Max(q => q.Y);
        double sx = Math.Max(maxX - minX, 1e-9), sy = Math.Max(maxY - minY, 1e-9);
        return p.Select(q => ((q.X - minX) / sx, (q.Y - minY) / sy)).ToArray();
    }

    protected override void Draw(SvgWriter svg)
    {
        var pos = Layout();
        double margin = 14;
        (double, double) At(int i) => (Left + margin + pos[i].X * (PlotW - 2 * margin), Top + margin + pos[i].Y * (PlotH - 2 * margin));
        double maxSize = NodeSizes is { Length: > 0 } ? Math.Max(NodeSizes.Max(), 1e-12) : 1;
        svg.Raw("<g class=\"data\">");
        foreach (var (a, b) in _edges)
        {
            var (x1, y1) = At(a);
            var (x2, y2) = At(b);
            svg.Line(x1, y1, x2, y2, "#999", 1.2);
        }
        for (int i = 0; i < _n; i++)
        {
            var (x, y) = At(i);
            double r = NodeSizes is null ? 5 : 3 + 9 * Math.Sqrt(Math.Max(NodeSizes[i], 0) / maxSize);
            svg.Circle(x, y, r, NodeCategories is null ? Palette.Category(0) : Palette.Category(NodeCategories[i]), "#ffffff", NodeTitles?[i]);
        }
        svg.Raw("</g>");
        svg.Raw("<g class=\"axis\">");
        svg.Rect(Left, Top, PlotW, PlotH, "none", "#dddddd");
        svg.Raw("</g>");
    }
}
