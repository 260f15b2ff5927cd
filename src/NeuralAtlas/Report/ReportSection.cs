using System.Text.Json.Nodes;
using NeuralAtlas.Report.Plotting;

namespace NeuralAtlas.Report;

public enum SectionStatus { Ok, Failed, Skipped }

/// <summary>A table of a section: column names and rows whose cells are strings or numbers.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object>> Rows);

/// <summary>A figure of a section: an SVG drawn by the plotting module, with its caption.</summary>
public sealed record ReportFigure(string Caption, string Svg)
{
    public static ReportFigure From(string caption, Figure figure) => new(caption, figure.ToSvg());
}

/// <summary>
/// One section of the report: a plain-language reading of what it shows, a link to its docs/ page, figures, tables,
/// and every number drawn (<see cref="Values"/>, written to the JSON). A section that fails keeps its reason and the
/// rest of the report still completes.
/// </summary>
public sealed class ReportSection
{
    public string Id { get; }
    public string Title { get; }
    public string DocPage { get; }
    public string Reading { get; set; } = "";
    public SectionStatus Status { get; private set; } = SectionStatus.Ok;
    public string? Reason { get; private set; }
    public double Seconds { get; set; }
    public List<ReportFigure> Figures { get; } = new();
    public List<ReportTable> Tables { get; } = new();
    public JsonObject Values { get; } = new();

    public ReportSection(string id, string title, string docPage)
    {
        Id = id;
        Title = title;
        DocPage = docPage;
    }

    public void Fail(string reason)
    {
        Status = SectionStatus.Failed;
        Reason = reason;
    }

    public void Skip(string reason)
    {
        Status = SectionStatus.Skipped;
        Reason = reason;
    }

    public ReportSection Figure(string caption, Figure figure)
    {
        Figures.Add(ReportFigure.From(caption, figure));
        return this;
    }

    public ReportSection Table(string caption, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object>> rows)
    {
        Tables.Add(new ReportTable(caption, columns, rows.ToList()));
        return this;
    }
}
