using System.Xml.Linq;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Report;

public class PlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Parse(Figure f) => XDocument.Parse(f.ToSvg());

    [Fact]
    public void LineChartIsValidSvgWithAxesAndOnePolylinePerSeries()
    {
        var f = Plot.Line(new double[] { 0, 1, 2, 3 }, new double[] { 1, 4, 9, 16 }, "squares");
        f.Line(new double[] { 0, 1, 2, 3 }, new double[] { 0, 1, 2, 3 }, "identity");
        f.Title = "a < b & c";
        var doc = Parse(f);
        Assert.Equal("atlas-figure", doc.Root!.Attribute("class")!.Value);
        Assert.Single(doc.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "axis");
        Assert.Equal(2, doc.Descendants(Svg + "polyline").Count());
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "a < b & c");
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "identity");
    }

    [Fact]
    public void NonFiniteValuesBreakTheLineInsteadOfDrawingNaN()
    {
        var f = Plot.Line(new double[] { 0, 1, 2, 3, 4 }, new[] { 1, 2, double.NaN, 3, 4 });
        string svg = f.ToSvg();
        Assert.DoesNotContain("NaN", svg);
        Assert.Equal(2, Parse(f).Descendants(Svg + "polyline").Count());
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-3.7, 12.2)]
    [InlineData(1e-4, 3e-4)]
    [InlineData(100, 100)]
    public void AxisTicksAreRoundAndCoverTheRange(double lo, double hi)
    {
        var a = new Axis(lo, hi, "x");
        var ticks = a.Ticks();
        Assert.InRange(ticks.Count, 2, 12);
        Assert.True(a.Min <= lo && a.Max >= hi);
        double step = ticks[1] - ticks[0];
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0, 10.0 });
    }

    [Fact]
    public void LogAxisTicksArePowersOfTen()
    {
        var a = new Axis(3, 4000, "x", log: true);
        Assert.Equal(new[] { 1.0, 10, 100, 1000, 10000 }, a.Ticks().Select(t => Math.Round(t, 6)));
        Assert.Equal(0.5, a.Fraction(100), 12);
    }

    [Fact]
    public void ViridisEndpointsMatchTheColourMap()
    {
        Assert.Equal("#440154", Palette.Viridis(0));
        Assert.Equal("#fde725", Palette.Viridis(1));
        Assert.Equal("#bbbbbb", Palette.Viridis(double.NaN));
    }

    [Fact]
    public void HeatmapDrawsOneCellPerEntryAndAColourBar()
    {
        var m = new double[,] { { 1, 0.5, 0.2 }, { 0.5, 1, 0.3 } };
        var doc = Parse(Plot.Heatmap(m, new[] { "a", "b" }, new[] { "x", "y", "z" }));
        var data = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "data");
        Assert.Equal(6, data.Elements(Svg + "rect").Count());
        Assert.Single(doc.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "colorbar");
        Assert.Throws<ShapeMismatchException>(() => Plot.Heatmap(m, new[] { "a" }, null));
    }

    [Fact]
    public void PersistenceDiagramPlacesEssentialClassesOnTheInfinityLine()
    {
        var f = Plot.Diagram().Add(0, new double[] { 0, 0 }, new[] { 1.0, double.PositiveInfinity }).Add(1, new[] { 0.5 }, new[] { 0.8 });
        var doc = Parse(f);
        Assert.Equal(3, doc.Descendants(Svg + "circle").Count());
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "∞");
    }

    [Fact]
    public void GraphLayoutIsDeterministicAndInsideTheUnitSquare()
    {
        var edges = new[] { (0, 1), (1, 2), (2, 0), (2, 3) };
        var a = Plot.Graph(4, edges).Layout();
        var b = Plot.Graph(4, edges).Layout();
        Assert.Equal(a, b);
        Assert.All(a, p => { Assert.InRange(p.X, 0, 1); Assert.InRange(p.Y, 0, 1); });
        Assert.Throws<AtlasArgumentException>(() => Plot.Graph(2, new[] { (0, 5) }));
    }

    [Fact]
    public void BarChartNeedsOneValuePerCategoryAndSavesAtomically()
    {
        Assert.Throws<ShapeMismatchException>(() => Plot.Bar(new[] { "a", "b" }, new double[] { 1 }));
        using var dir = new TempDir();
        var f = Plot.Bar(new[] { "a", "b" }, new double[] { 0.3, 0.9 }, "acc");
        f.Save(dir.File("bars.svg"));
        var doc = XDocument.Load(dir.File("bars.svg"));
        Assert.Equal(2, doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "data").Elements(Svg + "rect").Count());
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
