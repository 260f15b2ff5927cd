using System.Globalization;
using System.Text;

namespace NeuralAtlas.Report.Plotting;

/// <summary>Builds SVG markup with invariant-culture numbers and escaped text, so figures are valid XML anywhere.</summary>
public sealed class SvgWriter
{
    private readonly StringBuilder _sb = new();

    public static string F(double v) => double.IsFinite(v) ? Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public SvgWriter Raw(string s) { _sb.Append(s); return this; }

    public SvgWriter Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null) =>
        Raw($"<line x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{stroke}\" stroke-width=\"{F(width)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>");

    public SvgWriter Rect(double x, double y, double w, double h, string fill, string? stroke = null, string? title = null)
    {
        Raw($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(0, w))}\" height=\"{F(Math.Max(0, h))}\" fill=\"{fill}\"{(stroke is null ? "" : $" stroke=\"{stroke}\"")}");
        return title is null ? Raw("/>") : Raw($"><title>{Escape(title)}</title></rect>");
    }

    public SvgWriter Circle(double cx, double cy, double r, string fill, string? stroke = null, string? title = null)
    {
        Raw($"<circle cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(r)}\" fill=\"{fill}\"{(stroke is null ? "" : $" stroke=\"{stroke}\"")}");
        return title is null ? Raw("/>") : Raw($"><title>{Escape(title)}</title></circle>");
    }

    public SvgWriter Polyline(IEnumerable<(double X, double Y)> pts, string stroke, double width = 1.5, string? dash = null) =>
        Raw($"<polyline fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{F(width)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")} points=\"{string.Join(' ', pts.Select(p => F(p.X) + "," + F(p.Y)))}\"/>");

    public SvgWriter Polygon(IEnumerable<(double X, double Y)> pts, string fill, double opacity) =>
        Raw($"<polygon fill=\"{fill}\" fill-opacity=\"{F(opacity)}\" stroke=\"none\" points=\"{string.Join(' ', pts.Select(p => F(p.X) + "," + F(p.Y)))}\"/>");

    public SvgWriter Text(double x, double y, string text, double size = 11, string anchor = "start", string? extra = null, string fill = "#222") =>
        Raw($"<text x=\"{F(x)}\" y=\"{F(y)}\" font-size=\"{F(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{(extra is null ? "" : " " + extra)}>{Escape(text)}</text>");

    public override string ToString() => _sb.ToString();
}
