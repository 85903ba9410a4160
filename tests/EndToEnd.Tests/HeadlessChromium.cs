using Microsoft.Playwright;
using StorageHa.Shared.Commands;
using StorageHa.TestSupport;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver: no browser download, nothing leaves the machine. Launched
/// in a network namespace, it is a browser on that network (the lab's client namespace): Playwright talks to it through
/// pipes, which `ip netns exec` keeps.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private readonly string? _launcher;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, string? launcher)
    {
        _playwright = playwright;
        Browser = browser;
        _launcher = launcher;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync(string? networkNamespace = null)
    {
        RequiredTool.Require(RequiredTool.Chromium);
        var launcher = networkNamespace is null ? null : WriteLauncher(networkNamespace);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = launcher ?? ChromiumPath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
            return new HeadlessChromium(playwright, browser, launcher);
        }
        catch
        {
            playwright.Dispose();
            if (launcher is not null) File.Delete(launcher);
            throw;
        }
    }

    /// <summary>A script that starts Chromium inside the namespace with the arguments Playwright gives it.</summary>
    private static string WriteLauncher(string networkNamespace)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists($"/run/netns/{networkNamespace}"))
            throw new ArgumentException($"No network namespace named {networkNamespace}", nameof(networkNamespace));
        var path = Path.Combine(Path.GetTempPath(), $"storageha-chromium-{networkNamespace}-{Environment.ProcessId}-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec {ShellCommand.Join(["ip", "netns", "exec", networkNamespace, ChromiumPath])} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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
        if (_launcher is not null) File.Delete(_launcher);
    }
}
