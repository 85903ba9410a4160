using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StorageHa.TestSupport.Lab;
using static Microsoft.Playwright.Assertions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The real console and a headless Chromium on the lab's storage network (its client namespace), the admin signed in
/// and the lab's cluster in the inventory: the lab's key as credential, every node added on the Nodes tab and its host
/// key accepted only when the console shows the fingerprint lab.json names.
/// </summary>
public sealed class LabConsole : IAsyncDisposable
{
    public const string AdminPassword = "Lab-admin-pass-1";

    private LabConsole(RunningConsole console, HeadlessChromium chromium, IBrowserContext context, IPage page)
    {
        Console = console;
        Chromium = chromium;
        Context = context;
        Page = page;
        Problems = ConsolePages.WatchForProblems(page);
    }

    public RunningConsole Console { get; }
    public HeadlessChromium Chromium { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public List<string> Problems { get; }
    public long ClusterId { get; private set; }

    /// <param name="step">How long one page step may take, for Playwright's actions and expectations alike.</param>
    /// <param name="settings">Environment for the console process (e.g. StorageHa__Monitor__Events=false).</param>
    public static async Task<LabConsole> StartAsync(LabDescription lab, Screenshots shots, TimeSpan step, IReadOnlyDictionary<string, string>? settings = null)
    {
        SetDefaultExpectTimeout((float)step.TotalMilliseconds);
        var console = await RunningConsole.InNamespace(lab.ClientNamespace, lab.ClientAddress, AdminPassword, settings);
        HeadlessChromium? chromium = null;
        try
        {
            chromium = await HeadlessChromium.LaunchAsync(lab.ClientNamespace);
            var context = await chromium.NewContextAsync(console.BaseAddress);
            context.SetDefaultTimeout((float)step.TotalMilliseconds);
            var started = new LabConsole(console, chromium, context, await context.NewPageAsync());
            await started.AddLabClusterAsync(lab, shots);
            return started;
        }
        catch
        {
            if (chromium is not null) await chromium.DisposeAsync();
            await console.DisposeAsync();
            throw;
        }
    }

    private async Task AddLabClusterAsync(LabDescription lab, Screenshots shots)
    {
        await ConsolePages.SignInAsync(Page, "admin", AdminPassword);
        await ConsolePages.AddPrivateKeyCredentialAsync(Page, shots, "lab-key", await File.ReadAllTextAsync(lab.Ssh.ClientKey));
        var cluster = await ConsolePages.ApiAsync(Page, "POST", "/api/clusters", new { name = lab.ClusterName, description = "The e2e lab" });
        ClusterId = cluster!.Value.GetProperty("id").GetInt64();

        await Page.GotoAsync($"/clusters/{ClusterId}");
        await ConsolePages.WaitForCircuitAsync(Page);
        foreach (var node in lab.Nodes) await AddNodeAsync(node, lab.Ssh.User);
        await shots.TakeAsync(Page, "lab-nodes");

        var nodes = (await ConsolePages.ApiAsync(Page, "GET", $"/api/clusters/{ClusterId}/nodes"))!.Value.EnumerateArray().ToList();
        foreach (var node in lab.Nodes)
        {
            var id = nodes.Single(n => n.GetProperty("name").GetString() == node.Name).GetProperty("id").GetInt64();
            var offered = await ConsolePages.ApiAsync(Page, "GET", $"/api/clusters/{ClusterId}/nodes/{id}/hostkey");
            var fingerprint = offered!.Value.GetProperty("fingerprint").GetString();
            // The admin's comparison: what the node offers must be what the lab recorded when it made the key.
            Assert.Equal(node.HostKeyFingerprint, fingerprint);
            await ConsolePages.ApiAsync(Page, "POST", $"/api/clusters/{ClusterId}/nodes/{id}/hostkey", new { fingerprint });
        }
    }

    private async Task AddNodeAsync(LabNode node, string user)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add node" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync(node.Name);
        await dialog.GetByLabel("Address", new() { Exact = true }).FillAsync(node.Address);
        await dialog.GetByLabel("SSH port", new() { Exact = true }).FillAsync(node.SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dialog.GetByLabel("SSH user", new() { Exact = true }).FillAsync(user);
        await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Credential" })).ToHaveValueAsync("lab-key");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ConsolePages.ExpectClosedAsync(dialog);
        await Expect(Page.Locator("table tr", new() { HasText = node.Address })).ToContainTextAsync("not accepted");
        await ConsolePages.DismissMessagesAsync(Page);
    }

    /// <summary>Opens the cluster's live page and waits until it shows every node online.</summary>
    public async Task OpenDashboardAsync(LabDescription lab, TimeSpan limit)
    {
        await Page.GotoAsync($"/dashboard/{ClusterId}");
        await ConsolePages.WaitForCircuitAsync(Page);
        foreach (var node in lab.Nodes)
            await Expect(NodeStatus(node.Name)).ToHaveTextAsync("online", new() { Timeout = (float)limit.TotalMilliseconds });
    }

    public ILocator NodeCard(string node) => Page.Locator($".node-card[data-node='{node}']");
    public ILocator NodeStatus(string node) => NodeCard(node).Locator(".node-status");
    public ILocator VipChip(string vip) => Page.Locator($".node-card [data-vip='{vip}']");

    /// <summary>The node whose card holds the VIP's chip, as the page shows it (waiting for one: a re-render may replace the chip).</summary>
    public async Task<string> NodeShowingAsync(string vip)
    {
        var node = await Page.WaitForFunctionAsync(
            "vip => document.querySelector(`.node-card [data-vip='${vip}']`)?.closest('.node-card')?.dataset.node ?? null", vip);
        return await node.JsonValueAsync<string>();
    }

    /// <summary>The node the console's monitor reads the cluster from, as the state API says.</summary>
    public async Task<string?> MonitorNodeAsync()
    {
        var state = await ConsolePages.ApiAsync(Page, "GET", $"/api/clusters/{ClusterId}/state");
        return state!.Value.GetProperty("monitor").TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.String ? node.GetString() : null;
    }

    /// <summary>The monitor's status line as the state API says it, e.g. "watching from node1 (events)".</summary>
    public async Task<string?> MonitorMessageAsync()
    {
        var state = await ConsolePages.ApiAsync(Page, "GET", $"/api/clusters/{ClusterId}/state");
        return state!.Value.GetProperty("monitor").GetProperty("message").GetString();
    }

    public static Regex Offline { get; } = new("^(offline|unclean)$");

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Chromium.DisposeAsync();
        await Console.DisposeAsync();
    }
}
