using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralAtlas.IO;
using NeuralAtlas.Report.Plotting;

namespace NeuralAtlas.Report;

/// <summary>
/// The self-contained report: one HTML file (inline CSS and SVG, no scripts, fonts or network) and a JSON file with
/// every number drawn. Numbers in HTML tables carry their exact value in <c>data-value</c>, identical to the JSON.
/// </summary>
public sealed class AtlasReport
{
    public string Title { get; set; } = "NeuralAtlas report";
    public JsonObject Setup { get; } = new();
    public List<ReportSection> Sections { get; } = new();

    public ReportSection Add(ReportSection s)
    {
        Sections.Add(s);
        return s;
    }

    /// <summary>The exact text both the JSON and the HTML's data-value use for a number.</summary>
    public static string Exact(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";

    /// <summary>Four significant digits for reading.</summary>
    public static string Display(double v) => double.IsFinite(v) ? (Math.Abs(v) >= 1e5 || (v != 0 && Math.Abs(v) < 1e-3) ? v.ToString("0.###e0", CultureInfo.InvariantCulture) : v.ToString("G4", CultureInfo.InvariantCulture)) : v > 0 ? "∞" : v < 0 ? "−∞" : "NaN";

    public JsonObject ToJson()
    {
        var root = new JsonObject
        {
            ["title"] = Title,
            ["setup"] = Setup.DeepClone(),
        };
        var sections = new JsonObject();
        foreach (var s in Sections)
        {
            var o = new JsonObject
            {
                ["title"] = s.Title,
                ["status"] = s.Status.ToString().ToLowerInvariant(),
                ["seconds"] = Math.Round(s.Seconds, 3),
                ["values"] = s.Values.DeepClone(),
            };
            if (s.Reason is not null) o["reason"] = s.Reason;
            var tables = new JsonArray();
            foreach (var t in s.Tables)
            {
                var rows = new JsonArray();
                foreach (var r in t.Rows)
                {
                    var row = new JsonArray();
                    foreach (var cell in r) row.Add(cell is double d ? JsonValue.Create(double.IsFinite(d) ? d : (double?)null) : cell is int i ? JsonValue.Create(i) : JsonValue.Create(cell.ToString()));
                    rows.Add(row);
                }
                tables.Add(new JsonObject { ["caption"] = t.Caption, ["columns"] = new JsonArray(t.Columns.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()), ["rows"] = rows });
            }
            o["tables"] = tables;
            sections[s.Id] = o;
        }
        root["sections"] = sections;
        return root;
    }

    public string ToHtml()
    {
        var h = new StringBuilder();
        string E(string s) => SvgWriter.Escape(s);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        h.Append($"<title>{E(Title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n");
        h.Append($"<header><h1>{E(Title)}</h1>\n<p class=\"setup\">");
        foreach (var (k, v) in Setup) h.Append($"<span><b>{E(k)}</b> {E(v?.ToString() ?? "")}</span> ");
        h.Append("</p>\n<nav><ol>");
        foreach (var s in Sections) h.Append($"<li><a href=\"#{E(s.Id)}\">{E(s.Title)}</a>{(s.Status == SectionStatus.Ok ? "" : $" <span class=\"badge {s.Status.ToString().ToLowerInvariant()}\">{s.Status.ToString().ToLowerInvariant()}</span>")}</li>");
        h.Append("</ol></nav></header>\n<main>\n");
        foreach (var s in Sections)
        {
            h.Append($"<section id=\"{E(s.Id)}\" class=\"{s.Status.ToString().ToLowerInvariant()}\">\n<h2>{E(s.Title)}</h2>\n");
            if (s.Status != SectionStatus.Ok)
                h.Append($"<p class=\"reason\"><b>{(s.Status == SectionStatus.Failed ? "This section failed" : "Skipped")}:</b> {E(s.Reason ?? "")}</p>\n");
            if (s.Reading.Length > 0) h.Append($"<p class=\"reading\">{E(s.Reading)}</p>\n");
            if (s.Figures.Count > 0)
            {
                h.Append("<div class=\"figures\">\n");
                foreach (var f in s.Figures) h.Append($"<figure>{f.Svg}<figcaption>{E(f.Caption)}</figcaption></figure>\n");
                h.Append("</div>\n");
            }
            foreach (var t in s.Tables)
            {
                h.Append($"<table><caption>{E(t.Caption)}</caption>\n<thead><tr>");
                foreach (var c in t.Columns) h.Append($"<th>{E(c)}</th>");
                h.Append("</tr></thead>\n<tbody>\n");
                foreach (var r in t.Rows)
                {
                    h.Append("<tr>");
                    foreach (var cell in r)
                        h.Append(cell switch
                        {
                            double d => $"<td class=\"num\" data-value=\"{Exact(d)}\">{Display(d)}</td>",
                            int i => $"<td class=\"num\" data-value=\"{i}\">{i}</td>",
                            _ => $"<td>{E(cell.ToString() ?? "")}</td>",
                        });
                    h.Append("</tr>\n");
                }
                h.Append("</tbody></table>\n");
            }
            h.Append($"<p class=\"doc\">Method and reference: <a href=\"{E(DocsBase + s.DocPage)}\">docs/{E(s.DocPage)}</a> · {s.Seconds:F1} s</p>\n</section>\n");
        }
        h.Append("</main>\n<footer>Made by NeuralAtlas. Every number drawn is in the JSON file beside this page.</footer>\n</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>Relative link from the report to the repository's docs folder (the report is usually written at the root).</summary>
    public string DocsBase { get; set; } = "docs/";

    /// <summary>Writes the HTML and, beside it, the JSON (same name, .json), each atomically.</summary>
    public void Save(string htmlPath)
    {
        AtomicFile.WriteAllText(htmlPath, ToHtml());
        AtomicFile.WriteAllText(Path.ChangeExtension(htmlPath, ".json"), ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { background: #1f2d3d; color: #fff; padding: 18px 32px; }
        header h1 { margin: 0 0 6px 0; font-size: 24px; }
        header a { color: #cfe3ff; }
        .setup span { margin-right: 14px; font-size: 13px; }
        nav ol { columns: 3; font-size: 13px; margin: 8px 0 0 0; }
        main { padding: 8px 32px 32px 32px; max-width: 1280px; }
        section { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; margin: 18px 0; padding: 6px 20px 12px 20px; }
        section.failed { border-color: #d55e00; }
        section.skipped { opacity: 0.8; }
        h2 { font-size: 19px; border-bottom: 1px solid #eee; padding-bottom: 6px; }
        .reading { max-width: 900px; line-height: 1.45; }
        .reason { color: #a33; }
        .badge { font-size: 11px; padding: 1px 5px; border-radius: 3px; background: #ddd; }
        .badge.failed { background: #d55e00; color: #fff; }
        .figures { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; }
        figcaption { font-size: 12px; color: #555; max-width: 560px; }
        table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .doc { font-size: 12px; color: #666; }
        footer { font-size: 12px; color: #777; padding: 12px 32px; }
        """;
}
