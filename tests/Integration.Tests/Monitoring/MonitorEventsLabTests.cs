using StorageHa.Integration.Tests.Lab;
using StorageHa.Shared.Console;
using StorageHa.Server.Deployment;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.State;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Monitoring;

/// <summary>
/// The monitor watching the lab's real cluster through storageha-node watch-state (Pacemaker's CIB notifications) with
/// polling as good as off: a change is seen as it happens, not at the next poll, and a watch killed on the node is
/// replaced, the monitor polling meanwhile.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class MonitorEventsLabTests(LabFixture fixture, ITestOutputHelper output) : IDisposable
{
    /// <summary>A change must be seen well within this, measured from the return of the command that made it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private static readonly MonitorOptions NoPolls = new() { PollInterval = TimeSpan.FromMinutes(10) };

    private readonly LabCluster _cluster = new(fixture);
    // Installed where every lab node sees it (the host's /tmp), not in the host's /usr/local/sbin.
    private readonly NodeHelperLayout _helper = new(Directory.CreateTempSubdirectory("storageha-ev-helper-").FullName);
    private LabDescription Lab => fixture.Description;
    private IReadOnlyList<string> NodeNames => [.. Lab.Nodes.Select(n => n.Name)];

    public void Dispose() => Directory.Delete(_helper.Root, recursive: true);

    [Fact]
    public async Task WithPollingEveryTenMinutes_ANodeGoingToStandbyAndBack_IsSeenWithinTwoSeconds_FromTheWatch()
    {
        var target = NodeNames[^1];
        await using var monitor = await LabMonitor.StartAsync(Lab, NodeNames, NoPolls, _helper);
        await monitor.WaitForAsync("watching node1's events", TimeSpan.FromSeconds(30),
            c => c.Monitor.Message == "watching from node1 (events)" && c.State?.Nodes.All(n => n.Status == NodeStatus.Online) == true);
        var readsBefore = monitor.Commands.Count(c => c.Node == "node1");
        try
        {
            foreach (var (value, status) in new[] { ("on", NodeStatus.Standby), ("off", NodeStatus.Online) })
            {
                var began = monitor.Now; // the CIB changes while crm_standby runs: the change may be seen before it returns
                await _cluster.RunAsync("node2", "crm_standby", "--node", target, "--update", value);
                var returned = monitor.Now;
                var (seenAt, seen) = await monitor.WaitForAsync($"{target} {status}", TimeSpan.FromSeconds(30),
                    c => c.State?.Nodes.Single(n => n.Name == target).Status == status, began);
                output.WriteLine($"{target} {status}: seen {(seenAt - returned).TotalMilliseconds:0} ms after crm_standby returned ({seen.Monitor.Message})");
                Assert.True(seenAt - returned < Bound, $"{target} {status} seen {(seenAt - returned).TotalSeconds:0.00} s after the change");
                Assert.Equal("watching from node1 (events)", seen.Monitor.Message);
            }
            // Not one poll of node1 meanwhile: the changes came through the watch.
            Assert.Equal(readsBefore, monitor.Commands.Count(c => c.Node == "node1"));
            var watches = await monitor.Audit.QueryAsync(new AuditQuery(Search: StateWatch.AuditAction));
            Assert.Equal("node1", Assert.Single(watches).Target);
        }
        finally
        {
            await _cluster.RunAsync("node2", "crm_standby", "--node", target, "--update", "off");
        }
    }

    [Fact]
    public async Task KillingTheWatchOnTheNode_TheMonitorPollsOnce_ThenWatchesAgain_AndSeesTheNextChangeAtOnce()
    {
        const string vip = "eventsvip";
        await using var monitor = await LabMonitor.StartAsync(Lab, NodeNames, NoPolls, _helper);
        await monitor.WaitForAsync("watching node1's events", TimeSpan.FromSeconds(30), c => c.Monitor.Message == "watching from node1 (events)");
        var watchPid = await WatchPidAsync("node1");

        var killedAt = monitor.Now;
        await _cluster.RunAsync("node1", "kill", "-9", watchPid);
        var (polledAt, _) = await monitor.WaitForAsync("a poll after the watch died", TimeSpan.FromSeconds(10),
            c => c.Monitor.Message == "watching from node1 (polling)", killedAt);
        var (resumedAt, _) = await monitor.WaitForAsync("the watch again", TimeSpan.FromSeconds(10),
            c => c.Monitor.Message == "watching from node1 (events)", polledAt);
        var newPid = await WatchPidAsync("node1");
        output.WriteLine($"watch {watchPid} killed: polling after {(polledAt - killedAt).TotalSeconds:0.00} s, watching again (pid {newPid}) after {(resumedAt - killedAt).TotalSeconds:0.00} s");
        Assert.NotEqual(watchPid, newPid);

        var creating = monitor.Now;
        await _cluster.RunAsync("node1", "pcs", "resource", "create", vip, "ocf:heartbeat:IPaddr2", $"ip={Lab.FreeAddresses[2]}",
            $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s");
        try
        {
            var created = monitor.Now;
            var (startedAt, started) = await monitor.WaitForAsync($"{vip} started", TimeSpan.FromSeconds(30),
                c => c.State?.WhereRuns(vip) is not null, creating);
            var startedAtNode = (await _cluster.ViewFromAsync("node1")).NodesRunning(vip);
            output.WriteLine($"{vip} started on {started.State!.WhereRuns(vip)}: seen {(startedAt - created).TotalSeconds:0.00} s after pcs returned");
            Assert.Equal("watching from node1 (events)", started.Monitor.Message);
            Assert.Equal(startedAtNode, [started.State.WhereRuns(vip)!]);
            Assert.Equal(2, (await monitor.Audit.QueryAsync(new AuditQuery(Search: StateWatch.AuditAction))).Count);
        }
        finally
        {
            await _cluster.DeleteAsync(vip);
        }
    }

    [Fact]
    public async Task CrashingTheWatchedNode_MovesTheMonitorToAnotherNodeWithinSeconds_WhichItWatchesInTurn()
    {
        var watched = NodeNames[^1]; // not node1, which the lab tests use to run their commands
        await using var monitor = await LabMonitor.StartAsync(Lab, [watched, .. NodeNames.Where(n => n != watched)], NoPolls, _helper);
        await monitor.WaitForAsync($"watching {watched}'s events", TimeSpan.FromSeconds(30),
            c => c.Monitor.Message == $"watching from {watched} (events)" && c.State?.Nodes.All(n => n.Online) == true);
        try
        {
            var crashAt = monitor.Now;
            await fixture.Lab.RunCheckedAsync("crash", watched);
            var (movedAt, moved) = await monitor.WaitForAsync("the monitor moved", TimeSpan.FromSeconds(10),
                c => c.Monitor.Health == MonitorHealth.Watching && c.Monitor.Node != watched, crashAt);
            var (leftAt, _) = await monitor.WaitForAsync($"{watched} left, as seen from {moved.Monitor.Node}", TimeSpan.FromSeconds(30),
                c => c.Events.Any(e => e is NodeLeft left && left.Node == watched), crashAt);
            var (eventsAt, _) = await monitor.WaitForAsync($"watching {moved.Monitor.Node}'s events", TimeSpan.FromSeconds(10),
                c => c.Monitor.Message == $"watching from {moved.Monitor.Node} (events)", movedAt);
            output.WriteLine($"crash of the watched {watched}: monitor on {moved.Monitor.Node} after {(movedAt - crashAt).TotalSeconds:0.00} s " +
                $"({moved.Monitor.Message}), watching its events after {(eventsAt - crashAt).TotalSeconds:0.00} s; NodeLeft after {(leftAt - crashAt).TotalSeconds:0.00} s");

            Assert.Contains(moved.Events, e => e is MonitorMoved);
            Assert.Contains(watched, moved.Monitor.Message);
            // As polling's bound (MonitorLabTests): a silent watch is left after a read's patience (1.2 s), then the next node is read.
            Assert.True(movedAt - crashAt < TimeSpan.FromSeconds(4), $"the monitor took {(movedAt - crashAt).TotalSeconds:0.00} s to move to another node");
        }
        finally
        {
            await fixture.Lab.RunAsync("start", watched);
            await LabCluster.WaitUntilAsync($"{watched} online again", TimeSpan.FromSeconds(90),
                async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains(watched));
        }
    }

    /// <summary>The id of the watch-state process the monitor started on the node (there is exactly one).</summary>
    private async Task<string> WatchPidAsync(string node)
    {
        var pids = (await _cluster.RunAsync(node, "pgrep", "-f", $"^{_helper.BinaryPath} watch-state"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Assert.Single(pids);
    }
}
