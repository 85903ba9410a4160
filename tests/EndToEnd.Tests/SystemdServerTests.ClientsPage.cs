using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using static Microsoft.Playwright.Assertions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// Connected clients as an admin sees them on the dashboard, around the crash the main test already does: a real smbclient
/// session held open through a VIP shows on the node holding it (its card and the clients card); after the crash the old
/// node's clients are unknown, and the session the client opened again shows on the VIP's new node; an operator disconnects
/// it from the page, and it is gone from the page and from smbstatus on that node.
/// </summary>
public sealed partial class SystemdServerTests
{
    /// <summary>A reading every 2 s; one that asks a crashed node waits for its SSH timeout (12 s) first.</summary>
    private static readonly TimeSpan ClientsShownWithin = TimeSpan.FromSeconds(60);

    /// <summary>The dashboard open in Chromium on the clients' network, and the session held through the VIP.</summary>
    private sealed class ClientsOnTheDashboard(HeadlessChromium chromium, IBrowserContext context, IPage page, List<string> problems, Screenshots shots, string vip) : IAsyncDisposable
    {
        public IPage Page => page;
        public List<string> Problems => problems;
        public Screenshots Shots => shots;
        public string Vip => vip;
        public KeptClient? Session { get; set; }

        public ILocator NodeClients(string node) => page.Locator($".node-card[data-node='{node}'] .node-clients");

        public ILocator SessionRows(string node, string client) => page.Locator($".clients-card .smb-session[data-client-node='{node}'][data-client='{client}']");

        public ILocator VipClients => page.Locator($".clients-card .vip-clients[data-vip-address='{vip}']");

        private bool _closed;

        /// <summary>Closes the page as soon as the test is done with it: an open dashboard keeps the console reading the clients.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_closed) return;
            _closed = true;
            Session?.Dispose();
            await context.DisposeAsync();
            await chromium.DisposeAsync();
        }
    }

    /// <summary>Holds a session through <paramref name="vip"/> and sees it on <paramref name="holder"/>'s card and in the clients card.</summary>
    private async Task<ClientsOnTheDashboard> SeeASessionOnItsNodeAsync(RunningConsole console, LabDescription lab, long cluster, string vip, string holder)
    {
        var chromium = await HeadlessChromium.LaunchAsync(lab.ClientNamespace);
        var context = await chromium.NewContextAsync(console.BaseAddress);
        var page = await context.NewPageAsync();
        var watching = new ClientsOnTheDashboard(chromium, context, page, ConsolePages.WatchForProblems(page), new Screenshots("clients"), vip);
        try
        {
            return await SeenAsync(watching, lab, cluster, holder);
        }
        catch
        {
            await watching.Shots.TakeAsync(page, "failure");
            await watching.DisposeAsync();
            throw;
        }
    }

    private async Task<ClientsOnTheDashboard> SeenAsync(ClientsOnTheDashboard watching, LabDescription lab, long cluster, string holder)
    {
        var (page, vip) = (watching.Page, watching.Vip);
        await ConsolePages.SignInAsync(page, "admin", AdminPassword);
        await page.GotoAsync($"/dashboard/{cluster}");
        await ConsolePages.WaitForCircuitAsync(page);
        var clock = Stopwatch.StartNew();
        watching.Session = KeptClient.SmbSession(lab.ClientNamespace, vip);
        Assert.True(await watching.Session.PrintedAsync("hello.txt", ClientsShownWithin), $"smbclient through {vip}: {watching.Session.Output}");

        // Only this client has an SMB session here (the console's probes only negotiate); NFS clients Ganesha still
        // remembers from earlier reads may be counted beside it, all from the same client address.
        await Expect(watching.NodeClients(holder)).ToHaveTextAsync(OneSessionFrom(lab.ClientAddress), Within(ClientsShownWithin));
        await Expect(watching.SessionRows(holder, lab.ClientAddress)).ToHaveCountAsync(1);
        await Expect(watching.VipClients).ToContainTextAsync($"{vip} on {holder}: 1 SMB session");
        Log($"session through {vip} shown on {holder}'s card and in the clients card {clock.Elapsed.TotalSeconds:0.0} s after it listed the share");
        await watching.Shots.TakeAsync(page, "clients-before-crash");
        return watching;
    }

    /// <summary>
    /// After <paramref name="holder"/> crashed and the VIP is served again: its clients are unknown, the client's new session
    /// shows on the VIP's new node, and an operator's confirmed disconnect ends it on the page and in smbstatus.
    /// </summary>
    private async Task SeeTheSessionMoveAndDisconnectItAsync(ClientsOnTheDashboard watching, LabDescription lab, string holder, string witness)
    {
        var clock = Stopwatch.StartNew();
        await Expect(watching.NodeClients(holder)).ToHaveAttributeAsync("data-clients", "unknown", new() { Timeout = Ms(ClientsShownWithin) });
        Log($"{holder}'s card: \"{(await watching.NodeClients(holder).TextContentAsync())?.Trim()}\" {clock.Elapsed.TotalSeconds:0.0} s after the VIP was served again");
        // The client connects again, as Windows does: a new session through the same VIP.
        watching.Session!.Dispose();
        watching.Session = await KeptClient.SmbSessionAgainAsync(lab.ClientNamespace, watching.Vip, "hello.txt", ServedAgainLimit);
        var newHolder = await HolderOf(witness, watching.Vip);
        await Expect(watching.NodeClients(newHolder)).ToHaveTextAsync(OneSessionFrom(lab.ClientAddress), Within(ClientsShownWithin));
        var row = watching.SessionRows(newHolder, lab.ClientAddress);
        await Expect(row).ToHaveCountAsync(1);
        await Expect(watching.VipClients).ToContainTextAsync($"{watching.Vip} on {newHolder}: 1 SMB session");
        var pid = await row.GetAttributeAsync("data-server-pid") ?? throw new InvalidOperationException("the session's row names no smbd");
        Assert.Contains(pid, await SmbSessionPids(newHolder));
        Log($"the session again through {watching.Vip} shown on {newHolder} (smbd {pid}) {clock.Elapsed.TotalSeconds:0.0} s after the VIP was served again");
        await watching.Page.Mouse.MoveAsync(0, 0);
        await watching.Shots.TakeAsync(watching.Page, "clients-after-failover");
        // The node cards: the old node's clients unknown, the session on the new one.
        await watching.NodeClients(newHolder).ScrollIntoViewIfNeededAsync();
        await watching.Shots.TakeAsync(watching.Page, "node-cards-after-failover", "connected-clients");

        await row.Locator("button.disconnect-session").ClickAsync();
        var dialog = watching.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"SMB session from {lab.ClientAddress}?");
        await Expect(dialog).ToContainTextAsync($"smbd {pid} on {newHolder}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();
        var disconnected = Stopwatch.StartNew();
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = Ms(ClientsShownWithin) });
        await Expect(watching.NodeClients(newHolder)).Not.ToContainTextAsync("1 SMB session");
        Assert.DoesNotContain(pid, await SmbSessionPids(newHolder));
        var before = watching.Session.Output.Length;
        watching.Session.Send("ls");
        Assert.True(await watching.Session.PrintedAsync("NT_STATUS_", TimeSpan.FromSeconds(20)) || watching.Session.HasExited,
            $"the client did not see its session end: {watching.Session.Output[before..]}");
        Log($"disconnected from the page: gone from the page and smbstatus on {newHolder} after {disconnected.Elapsed.TotalSeconds:0.0} s; the client saw {watching.Session.Output[before..].Trim()}");
        Assert.True(watching.Problems.Count == 0, "The browser saw errors:\n" + string.Join("\n", watching.Problems));
    }

    /// <summary>The smbd processes serving an SMB session on the node, as smbstatus --json names them.</summary>
    private async Task<List<string>> SmbSessionPids(string node)
    {
        using var status = JsonDocument.Parse(await fixture.RunAsRootAsync(node, "smbstatus --json"));
        return status.RootElement.TryGetProperty("sessions", out var sessions)
            ? [.. sessions.EnumerateObject().Select(s => s.Value.GetProperty("server_id").GetProperty("pid").ToString())]
            : [];
    }

    private static Regex OneSessionFrom(string client) => new($@"^\s*1 SMB session; .* · from {Regex.Escape(client)}\s*$");

    private static LocatorAssertionsToHaveTextOptions Within(TimeSpan limit) => new() { Timeout = Ms(limit) };

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;
}
