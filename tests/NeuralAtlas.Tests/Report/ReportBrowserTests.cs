using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Report;

/// <summary>The report in a real browser: no console errors, every figure rendered with visible axes, a screenshot.</summary>
public class ReportBrowserTests
{
    /// <summary>Opens an HTML file and checks every figure; returns the number of figures checked.</summary>
    internal static async Task<int> CheckInBrowser(string htmlPath, string screenshotPath)
    {
        var (pw, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            page.PageError += (_, e) => errors.Add(e);
            var requests = new List<string>();
            page.Request += (_, r) => { if (!r.Url.StartsWith("file:") && !r.Url.StartsWith("data:")) requests.Add(r.Url); };
            await page.GotoAsync("file://" + htmlPath);
            var figures = await page.QuerySelectorAllAsync("svg.atlas-figure");
            foreach (var f in figures)
            {
                var box = await f.BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box!.Width > 50 && box.Height > 50, $"figure rendered at {box.Width}×{box.Height}");
                var axis = await f.QuerySelectorAsync("g.axis");
                Assert.NotNull(axis);
                var axisBox = await axis!.BoundingBoxAsync();
                Assert.True(axisBox is { Width: > 10, Height: > 10 }, "axes are not visible");
                Assert.True(await f.EvaluateAsync<int>("e => e.querySelectorAll('*').length") > 5, "figure is empty");
            }
            await page.ScreenshotAsync(new() { Path = screenshotPath, FullPage = true });
            Assert.Empty(errors);
            Assert.Empty(requests);
            return figures.Count;
        }
        finally
        {
            await browser.CloseAsync();
            pw.Dispose();
        }
    }

    [Fact]
    public async Task SampleReportRendersInChromium()
    {
        if (!Browser.Available)
        {
            Assert.Fail($"{Browser.ChromiumPath} is missing: install Debian's chromium (the CI script does)");
        }
        using var dir = new TempDir();
        string html = dir.File("report.html");
        ReportDocumentTests.Sample().Save(html);
        int n = await CheckInBrowser(html, dir.File("report.png"));
        Assert.Equal(1, n);
        Assert.True(new FileInfo(dir.File("report.png")).Length > 5000);
    }
}
