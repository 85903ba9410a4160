using StorageHa.Shared.Console;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.State;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Monitoring;

/// <summary>The console's monitor against the lab's real cluster: what it sees, and what it does when nodes crash.</summary>
[Collection(LabCollection.Name)]
public sealed class MonitorLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;
    private IReadOnlyList<string> NodeNames => [.. Lab.Nodes.Select(n => n.Name)];

    [Fact]
    public async Task Monitor_SeesEveryNodeOnline_WithQuorumAndADc()
    {
        await using var monitor = await LabMonitor.StartAsync(Lab, NodeNames);

        var (_, change) = await monitor.WaitForAsync("a state with every node online", TimeSpan.FromSeconds(30),
            c => c.State is { } s && s.Nodes.Count == Lab.Nodes.Count && s.Nodes.All(n => n.Status == NodeStatus.Online));

        Assert.Equal(MonitorHealth.Watching, change.Monitor.Health);
        Assert.Equal(NodeNames[0], change.Monitor.Node);
        Assert.True(change.State!.Summary.HasQuorum);
        Assert.NotNull(change.State.Summary.DcName);
        await Task.Delay(TimeSpan.FromSeconds(10)); // a quiet cluster: how often, and how fast, are its reads?
        // Every node's reads but its first (which also logs in): under load the monitor may rightly move to another node.
        var reads = monitor.Commands.GroupBy(c => c.Node).SelectMany(n => n.Skip(1)).OrderBy(c => c.At).ToList();
        // It keeps reading; how often is the figure below (a benchmark's business: a loaded machine makes each read slow).
        Assert.True(reads.Count >= 2, $"only {reads.Count} reads in 10 s");
        var took = reads.Select(r => r.Took.TotalSeconds).Order().ToList();
        var gaps = reads.Zip(reads.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).Order().ToList();
        output.WriteLine($"{reads.Count} reads of crm_mon: took p50 {took[took.Count / 2]:0.000} s, p95 {took[took.Count * 95 / 100]:0.000} s, " +
            $"max {took[^1]:0.000} s; one every {gaps[gaps.Count / 2]:0.000} s (p50), {gaps[gaps.Count * 95 / 100]:0.000} s (p95)");
        var audited = await monitor.Audit.QueryAsync(new AuditQuery(Search: CrmMonReader.AuditAction));
        // node1's first read and the first read of each standby node, again after the monitor moved away and back (under load
        // a slow read rightly moves it: CI once audited node1 twice); the twice-a-second repeats are not written.
        Assert.Equal(NodeNames.Order(), audited.Select(a => a.Target!).Distinct().Order());
        Assert.True(audited.Count <= monitor.Commands.Count / 2, $"{audited.Count} of {monitor.Commands.Count} reads audited: the repeats are written");
    }

    [Fact]
    public async Task CrashingTheVipHolder_IsSeenAsNodeLeft_TheVipMoved_AndAFailoverWithItsDuration()
    {
        const string vip = "monitorvip";
        await _cluster.RunAsync("node1", "pcs", "resource", "create", vip, "ocf:heartbeat:IPaddr2", $"ip={Lab.FreeAddresses[1]}",
            $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s");
        string? crashed = null;
        try
        {
            await LabCluster.WaitUntilAsync($"{vip} started", TimeSpan.FromSeconds(30),
                async () => (await _cluster.ViewFromAsync("node1")).NodesRunning(vip).Count == 1);
            var holder = (await _cluster.ViewFromAsync("node1")).NodesRunning(vip).Single();
            // The monitor reads from another node, so this test is about the VIP, not about the monitor moving.
            await using var monitor = await LabMonitor.StartAsync(Lab, [.. NodeNames.Where(n => n != holder), holder]);
            await monitor.WaitForAsync($"{vip} on {holder}", TimeSpan.FromSeconds(30), c => c.State?.WhereRuns(vip) == holder);

            var crashAt = monitor.Now;
            await fixture.Lab.RunCheckedAsync("crash", holder);
            crashed = holder;

            var (leftAt, _) = await monitor.WaitForAsync($"{holder} left", TimeSpan.FromSeconds(30),
                c => c.Events.Any(e => e is NodeLeft left && left.Node == holder), crashAt);
            var (doneAt, done) = await monitor.WaitForAsync("the failover completed", TimeSpan.FromSeconds(60),
                c => c.Completed is not null, crashAt);
            var failover = done.Completed!;
            var newHolder = monitor.Snapshot.State!.WhereRuns(vip);
            var outage = failover.Outages.FirstOrDefault(o => o.Vip == vip);
            output.WriteLine($"crash of {holder}: NodeLeft seen after {(leftAt - crashAt).TotalSeconds:0.00} s, failover complete after " +
                $"{(doneAt - crashAt).TotalSeconds:0.00} s; failover duration {failover.Duration?.TotalSeconds:0.00} s, " +
                $"{vip} outage {outage?.Outage?.TotalSeconds:0.00} s ({outage?.FromNode} → {outage?.ToNode}); events: " +
                string.Join(" | ", failover.Events.Select(e => $"{(e.At - failover.Start).TotalSeconds:0.00}s {e.Description}")));

            Assert.NotNull(newHolder);
            Assert.NotEqual(holder, newHolder);
            Assert.Equal(holder, failover.TriggerNode);
            Assert.NotNull(outage);
            Assert.Equal(holder, outage.FromNode);
            Assert.Equal(newHolder, outage.ToNode);
            // Times are when the monitor saw each change: a VIP restarted before the next read gives a zero duration.
            Assert.True(failover.Duration >= TimeSpan.Zero, $"failover duration {failover.Duration}");
            var stored = Assert.Single(await monitor.History.ListFailoversAsync(monitor.ClusterId));
            Assert.Equal(failover.Duration, stored.Duration);
            Assert.Contains(await monitor.History.ListEventsAsync(monitor.ClusterId), e => e.Kind == nameof(NodeLeft) && e.Node == holder);
        }
        finally
        {
            if (crashed is not null) await RestartAsync(crashed);
            await _cluster.DeleteAsync(vip);
        }
    }

    [Fact]
    public async Task CrashingTheMonitorsOwnNode_MovesItToAnotherNodeWithinSeconds_WhichReportsTheNodeLeaving()
    {
        var watched = NodeNames[^1]; // not node1, which the lab tests use to run their commands
        await using var monitor = await LabMonitor.StartAsync(Lab, [watched, .. NodeNames.Where(n => n != watched)]);
        await monitor.WaitForAsync($"watching from {watched}", TimeSpan.FromSeconds(30),
            c => c.Monitor.Node == watched && c.State?.Nodes.All(n => n.Online) == true);
        try
        {
            var crashAt = monitor.Now;
            var silence = WhenSilentAsync(Lab.Node(watched), monitor);
            await fixture.Lab.RunCheckedAsync("crash", watched);
            var crashReturned = monitor.Now - crashAt;
            var silentAt = await silence;
            var (movedAt, moved) = await monitor.WaitForAsync("the monitor moved", TimeSpan.FromSeconds(10),
                c => c.Monitor.Health == MonitorHealth.Watching && c.Monitor.Node != watched, crashAt);
            var (leftAt, _) = await monitor.WaitForAsync($"{watched} left, as seen from {moved.Monitor.Node}", TimeSpan.FromSeconds(30),
                c => c.Events.Any(e => e is NodeLeft left && left.Node == watched), crashAt);

            var took = movedAt - silentAt;
            output.WriteLine($"crash of the watched {watched} (silent {(silentAt - crashAt).TotalSeconds:0.00} s after lab.sh crash began, " +
                $"which returned after {crashReturned.TotalSeconds:0.00} s): monitor on {moved.Monitor.Node} {took.TotalSeconds:0.00} s after the node went silent; moves seen: {monitor.Changes.Count(c => c.Change.Events.Any(e => e is MonitorMoved))} " +
                $"({moved.Monitor.Message}); NodeLeft after {(leftAt - crashAt).TotalSeconds:0.00} s");
            Assert.Contains(moved.Events, e => e is MonitorMoved);
            Assert.Contains(watched, moved.Monitor.Message);
            // The goal is 2 s (one 1.2 s read timeout, then the next node), reported above and measured by the benchmarks; a CI run
            // under load measured 2.8 s. The bound catches what matters: a monitor that waits out long timeouts (10 s and more).
            Assert.True(took < TimeSpan.FromSeconds(4), $"the monitor took {took.TotalSeconds:0.00} s to move to another node");
        }
        finally
        {
            await RestartAsync(watched);
        }
    }

    /// <summary>When the node stops accepting TCP connections from the client namespace (lab.sh crash unplugs it first).</summary>
    private Task<TimeSpan> WhenSilentAsync(LabNode node, LabMonitor monitor) => Task.Run(async () =>
    {
        var deadline = monitor.Now + TimeSpan.FromSeconds(30);
        while (monitor.Now < deadline)
        {
            var probedAt = monitor.Now;
            if (!NetworkNamespace.CanConnect(fixture.Description.ClientNamespace, node.Address, node.SshPort, TimeSpan.FromMilliseconds(150)))
                return probedAt;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{node.Name} still answered 30 s after the crash");
    });

    /// <summary>Boots a crashed node again and waits until the others see it online: the next test expects a healthy lab.</summary>
    private async Task RestartAsync(string node)
    {
        await fixture.Lab.RunAsync("start", node);
        var other = NodeNames.First(n => n != node);
        await LabCluster.WaitUntilAsync($"{node} online again as seen from {other}", TimeSpan.FromSeconds(90),
            async () => (await _cluster.ViewFromAsync(other)).OnlineNodes.Contains(node));
    }
}
