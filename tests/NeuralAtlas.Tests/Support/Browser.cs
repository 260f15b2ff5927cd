using Microsoft.Playwright;

namespace NeuralAtlas.Tests.Support;

/// <summary>
/// Headless Debian Chromium driven by Playwright (never Playwright's own browser download). Tests that need it
/// skip with a message when /usr/bin/chromium is missing (CI installs it, see .ci/run).
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static bool Available => File.Exists(ChromiumPath);

    public static async Task<(IPlaywright Pw, IBrowser Browser)> LaunchAsync()
    {
        var pw = await Playwright.CreateAsync();
        var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = new[]
            {
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            },
        });
        return (pw, browser);
    }
}
