using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using NeuralAtlas.Report;
using NeuralAtlas.Report.Plotting;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Report;

public class ReportDocumentTests
{
    internal static AtlasReport Sample()
    {
        var r = new AtlasReport { Title = "Test <report> & co" };
        r.Setup["model"] = "cnn";
        var s = r.Add(new ReportSection("dimension", "Intrinsic dimension", "intrinsic-dimension.md") { Reading = "Dimension per layer." });
        var xs = new double[] { 0, 1, 2, 3 };
        var ys = new[] { 7.25, 5.5, 3.125, 2.0 / 3 };
        s.Figure("TwoNN per layer", Plot.Line(xs, ys, "twonn"));
        s.Table("Estimates", new[] { "layer", "twonn", "points" }, xs.Select((x, i) => (IReadOnlyList<object>)new object[] { $"layer{i}", ys[i], 100 + i }));
        s.Values["twonn"] = new JsonArray(ys.Select(y => (JsonNode)JsonValue.Create(y)!).ToArray());
        var f = r.Add(new ReportSection("topology", "Topology", "persistent-homology.md"));
        f.Fail("activations for layer 'fc9' not found");
        return r;
    }

    internal static XDocument ParseHtml(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    [Fact]
    public void HtmlIsWellFormedAndSelfContained()
    {
        string html = Sample().ToHtml();
        var doc = ParseHtml(html); // throws on an unclosed or mismatched tag
        Assert.Equal("html", doc.Root!.Name.LocalName);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        Assert.Contains("Test &lt;report&gt; &amp; co", html);
    }

    [Fact]
    public void EveryTableNumberEqualsTheJson()
    {
        var r = Sample();
        var doc = ParseHtml(r.ToHtml());
        var json = r.ToJson();
        var rows = json["sections"]!["dimension"]!["tables"]![0]!["rows"]!.AsArray();
        var cells = doc.Descendants().Where(e => e.Name.LocalName == "td" && e.Attribute("class")?.Value == "num").ToList();
        Assert.Equal(8, cells.Count);
        int k = 0;
        foreach (var row in rows)
            foreach (var v in row!.AsArray().Skip(1))
            {
                double jsonValue = double.Parse(v!.ToJsonString(), CultureInfo.InvariantCulture);
                double htmlValue = double.Parse(cells[k].Attribute("data-value")!.Value, CultureInfo.InvariantCulture);
                Assert.Equal(jsonValue, htmlValue); // exact, not approximately
                Assert.Equal(AtlasReport.Display(jsonValue), cells[k].Value);
                k++;
            }
        Assert.Equal(2.0 / 3, double.Parse(cells[6].Attribute("data-value")!.Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FailedSectionsShowTheirReasonAndTheRestCompletes()
    {
        var r = Sample();
        string html = r.ToHtml();
        Assert.Contains("This section failed", html);
        Assert.Contains("activations for layer &#39;fc9&#39; not found".Replace("&#39;", "'"), html);
        Assert.Equal("failed", r.ToJson()["sections"]!["topology"]!["status"]!.GetValue<string>());
        Assert.Equal("ok", r.ToJson()["sections"]!["dimension"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void SaveWritesHtmlAndJsonAtomically()
    {
        using var dir = new TempDir();
        Sample().Save(dir.File("r.html"));
        Assert.True(File.Exists(dir.File("r.html")));
        var json = JsonNode.Parse(File.ReadAllText(dir.File("r.json")))!;
        Assert.Equal("cnn", json["setup"]!["model"]!.GetValue<string>());
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length); // no temporary files left
    }
}
