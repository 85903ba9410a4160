using System.Diagnostics;
using System.Text.RegularExpressions;
using StorageHa.Shared.Commands;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The live dashboard in real headless Chromium, against the lab's real cluster, watched by the real console process:
/// nodes crash (power loss, lab.sh crash) and the open page follows without a reload.
/// </summary>
[Collection(E2eLabCollection.Name)]
public sealed class DashboardFailoverTests(E2eLab fixture, ITestOutputHelper output)
{
    private const string Vip = "e2evip";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    /// <summary>Corosync's token (3 s in the lab) and the VIP's restart come first; the page follows within a second.</summary>
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(60);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task CrashingTheVipHolder_ShowsItOfflineTheVipOnItsNewNodeAndTheFailoverWithItsDuration_ThenTheMonitorsOwnNodeCrashed_ThePageKeepsUpdating()
    {
        var clock = Stopwatch.StartNew();
        var shots = new Screenshots("dashboard");
        await using var console = await LabConsole.StartAsync(Lab, shots, Step);
        Log(clock, $"console in {Lab.ClientNamespace} on {console.Console.BaseAddress}, cluster {console.ClusterId} added with {Lab.Nodes.Count} nodes");
        var crashed = new List<string>();
        try
        {
            await console.OpenDashboardAsync(Lab, Step);
            var monitorNode = await console.MonitorNodeAsync() ?? throw new InvalidOperationException("the monitor names no node");
            // The VIP avoids the monitor's node, so the first crash is about the VIP and the second about the monitor.
            // Created stopped and started once constrained, so it starts where it stays instead of moving away at once.
            await OnNodeAsync(monitorNode, "pcs", "resource", "create", Vip, "ocf:heartbeat:IPaddr2", $"ip={Lab.FreeAddresses[0]}",
                $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s", "--disabled");
            await OnNodeAsync(monitorNode, "pcs", "constraint", "location", Vip, "avoids", monitorNode);
            await OnNodeAsync(monitorNode, "pcs", "resource", "enable", Vip);
            await Expect(console.VipChip(Vip)).ToHaveCountAsync(1);
            var holder = await console.NodeShowingAsync(Vip);
            Assert.NotEqual(monitorNode, holder);
            var survivor = Lab.Nodes.Select(n => n.Name).Single(n => n != holder && n != monitorNode);
            await shots.TakeAsync(console.Page, "dashboard-before");
            Log(clock, $"dashboard shows every node online; {Vip} on {holder}; the monitor reads from {monitorNode}");

            var crashAt = clock.Elapsed;
            await fixture.Lab.RunCheckedAsync("crash", holder);
            crashed.Add(holder);
            await Expect(console.NodeStatus(holder)).ToHaveTextAsync(LabConsole.Offline, new() { Timeout = Ms(FailoverLimit) });
            Log(clock, $"{holder} shown offline {(clock.Elapsed - crashAt).TotalSeconds:0.0} s after the crash");
            await Expect(console.NodeCard(survivor).Locator($"[data-vip='{Vip}']")).ToHaveCountAsync(1, new() { Timeout = Ms(FailoverLimit) });
            await Expect(console.VipChip(Vip)).ToHaveCountAsync(1);
            Log(clock, $"{Vip} shown on {survivor} {(clock.Elapsed - crashAt).TotalSeconds:0.0} s after the crash");
            var failover = console.Page.Locator(".failover-timeline .failover:not(.in-progress)", new() { HasText = holder });
            await Expect(failover.Locator(".failover-duration")).ToHaveTextAsync(new Regex(@"^\d+\.\d s$"), new() { Timeout = Ms(FailoverLimit) });
            var duration = await failover.Locator(".failover-duration").First.TextContentAsync();
            await Expect(failover.First.Locator(".vip-outage")).ToContainTextAsync($"{Vip}: {holder} → {survivor}");
            Log(clock, $"timeline: failover of {holder} took {duration}");
            await console.Page.Mouse.MoveAsync(0, 0);
            await shots.TakeAsync(console.Page, "dashboard-after-failover", "dashboard");

            await fixture.Lab.RunCheckedAsync("start", holder);
            crashed.Remove(holder);
            await Expect(console.NodeStatus(holder)).ToHaveTextAsync("online", new() { Timeout = Ms(FailoverLimit) });
            Log(clock, $"{holder} started again and shown online");

            // Asked again: the monitor may have moved since (a node slow to answer its first read under load).
            monitorNode = await console.MonitorNodeAsync() ?? throw new InvalidOperationException("the monitor names no node");
            crashAt = clock.Elapsed;
            await fixture.Lab.RunCheckedAsync("crash", monitorNode);
            crashed.Add(monitorNode);
            // Only a monitor reading from another node can tell the page that its old node left.
            await Expect(console.NodeStatus(monitorNode)).ToHaveTextAsync(LabConsole.Offline, new() { Timeout = Ms(FailoverLimit) });
            // The move away from the crashed node is in the events; the status line may name a later move (a node slow to
            // answer in the failover's load is left for another as well).
            await Expect(console.Page.Locator(".events")).ToContainTextAsync(new Regex($@"reads the state from \S+ \({monitorNode}: "));
            await Expect(console.Page.Locator(".monitor-status")).Not.ToContainTextAsync($"watching from {monitorNode}");
            var newMonitorNode = await console.MonitorNodeAsync();
            Assert.NotNull(newMonitorNode);
            Assert.NotEqual(monitorNode, newMonitorNode);
            Log(clock, $"monitor's node {monitorNode} crashed: page shows it offline {(clock.Elapsed - crashAt).TotalSeconds:0.0} s later, read from {newMonitorNode}");
            await shots.TakeAsync(console.Page, "dashboard-monitor-moved");

            await fixture.Lab.RunCheckedAsync("start", monitorNode);
            crashed.Remove(monitorNode);
            await Expect(console.NodeStatus(monitorNode)).ToHaveTextAsync("online", new() { Timeout = Ms(FailoverLimit) });
            Log(clock, $"{monitorNode} started again and shown online");
            Assert.True(console.Problems.Count == 0, "The browser saw errors:\n" + string.Join("\n", console.Problems));
        }
        catch
        {
            await shots.TakeAsync(console.Page, "failure");
            output.WriteLine($"Screenshots: {shots.Here}\nConsole output:\n{console.Console.Output}");
            throw;
        }
        finally
        {
            foreach (var node in crashed) await fixture.Lab.RunAsync("start", node);
            await OnAnyNodeAsync("pcs", "resource", "delete", Vip, "--force");
            await OnAnyNodeAsync("crm_resource", "--wait", "--timeout=120s");
        }
        Log(clock, $"done; screenshots in {shots.Here}");
    }

    private Task<string> OnNodeAsync(string node, params string[] argv) => fixture.Lab.SshAsync(node, ShellCommand.Join(argv));

    /// <summary>Cleanup runs from whichever node answers: the test may have failed with one down.</summary>
    private async Task OnAnyNodeAsync(params string[] argv)
    {
        foreach (var node in Lab.Nodes)
            if ((await fixture.Lab.RunAsync(TimeSpan.FromSeconds(150), "ssh", node.Name, ShellCommand.Join(argv))).Succeeded) return;
    }

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    private void Log(Stopwatch clock, string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
}
