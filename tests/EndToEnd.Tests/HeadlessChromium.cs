using Microsoft.Playwright;

namespace StorageHa.EndToEnd.Tests;

/// <summary>Debian's Chromium driven by Playwright's bundled driver: no browser download, nothing leaves the machine.</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: the end-to-end test drives Debian's Chromium. Install it with: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh profile at the size of the README screenshots, light colour scheme, English.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        ColorScheme = ColorScheme.Light,
        Locale = "en-GB",
        TimezoneId = "UTC",
    });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
