using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StorageHa.TestSupport.Lab;
using static Microsoft.Playwright.Assertions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The drill as an admin sees it, in the browser on the clients' network: the Drills page says the cluster is ready, a
/// confirmed start shows the drill running stage by stage, then its report (the timeline, what the clients saw per service,
/// the cluster left as it was), first in the history, with its export.
/// </summary>
public sealed partial class SystemdServerTests
{
    private async Task WatchADrillInTheBrowserAsync(RunningConsole console, LabDescription lab, long cluster, string vip)
    {
        await using var chromium = await HeadlessChromium.LaunchAsync(lab.ClientNamespace);
        await using var context = await chromium.NewContextAsync(console.BaseAddress);
        var page = await context.NewPageAsync();
        var problems = ConsolePages.WatchForProblems(page);
        var shots = new Screenshots("drill");
        await ConsolePages.SignInAsync(page, "admin", AdminPassword);
        await page.GotoAsync($"/dashboard/{cluster}/drills");
        await ConsolePages.WaitForCircuitAsync(page);

        await page.Locator(".drill-target").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*VIP {Regex.Escape(vip)}\\s*$") }).ClickAsync();
        await Expect(page.Locator(".drill-ready")).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await shots.TakeAsync(page, "drill-ready");
        await page.Locator("button.start-drill").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Move VIP {vip} to another online node, move it back, then clear the move");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Running, its stages appearing as the monitor and the probes see them, then the report.
        var report = page.Locator(".drill-report");
        await Expect(report).ToHaveAttributeAsync("data-outcome", "Running");
        // A stage shown while the drill still runs: the page follows it live, not only once it ended.
        await Expect(page.Locator(".drill-report[data-outcome=Running] .drill-stages tr[data-kind=Asked]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var seenRunning = await page.Locator(".drill-stages tr").CountAsync();
        await shots.TakeAsync(page, "drill-running");
        await Expect(report).ToHaveAttributeAsync("data-outcome", "Completed", new() { Timeout = (float)DrillLimit.TotalMilliseconds });
        var stages = await page.Locator(".drill-stages tr").CountAsync();
        Log($"drill of {vip} in the browser: running with {seenRunning} stage(s) shown, completed after {clock.Elapsed.TotalSeconds:0.0} s with {stages} stages");

        // The report: the VIP's move and each service's outage on the timeline, the clients' figures per phase, nothing left behind.
        await Expect(page.Locator($".drill-timeline .row[data-vip='{vip}']:not([data-service]) .mark[data-stage=Started]")).ToHaveCountAsync(2);
        foreach (var service in new[] { "Smb", "Nfs" })
            await Expect(page.Locator($".drill-outages tr[data-vip='{vip}'][data-service={service}] .outage")).ToHaveCountAsync(2);
        await Expect(page.Locator(".drill-no-leftovers")).ToBeVisibleAsync();
        await Expect(page.Locator($".vip-distribution-table td[data-moment=during]", new() { HasText = vip })).ToHaveCountAsync(1);
        foreach (var row in await page.Locator($".drill-outages tr[data-vip='{vip}']").AllInnerTextsAsync())
            Log($"drill of {vip} in the browser: {row.ReplaceLineEndings(" ").Replace('\t', ' ')}");
        await ConsolePages.DismissMessagesAsync(page);
        await report.ScrollIntoViewIfNeededAsync();
        await shots.TakeAsync(page, "drill-report", "drill-report");

        // First in the history, and its export is the report the page showed.
        var drillId = await report.GetAttributeAsync("data-drill");
        var newest = page.Locator(".drill-history-table tbody tr").First;
        await Expect(newest).ToContainTextAsync($"VIP {vip}");
        var json = await newest.Locator(".drill-export[data-format=json]").GetAttributeAsync("href");
        Assert.Equal($"api/clusters/{cluster}/drills/{drillId}/export?format=json", json);
        var exported = await ConsolePages.ApiAsync(page, "GET", "/" + json);
        Assert.Equal(long.Parse(drillId!, System.Globalization.CultureInfo.InvariantCulture), exported!.Value.GetProperty("id").GetInt64());
        Assert.True(problems.Count == 0, "The browser saw errors:\n" + string.Join("\n", problems));
    }
}
