using System.Diagnostics;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Integration.Tests.Monitoring;
using StorageHa.Integration.Tests.Tickle;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Console;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Operations;

/// <summary>
/// Fencing seen from the console, on a real cluster with real fence_ipmilan devices (configured here with pcs, one per node,
/// stonith-enabled=true) and the lab's BMCs: a node fenced by hand through the console's operation is powered off and on by
/// its BMC, and the monitor's failover shows the fence with who ran it, its result and its duration; a crashed node whose
/// BMC is gone cannot be fenced, its card says so with the fencer's reason and its VIP stays down (never served twice),
/// until the operator acknowledges it off: then the VIP is served from another node.
/// </summary>
[Collection(FencingLabCollection.Name)]
public sealed class FenceByHandLabTests(FencingLabFixture fixture, ITestOutputHelper output)
{
    private const string Vip = "fencevip";
    // fence_ipmilan through ipmi_sim: off 2-4 s, reboot 4-14 s under load; an unreachable BMC fails the fence after ~72 s
    // (the agent's 20 s power timeout, retried within the fencer's total timeout), and the cluster then retries.
    private static readonly TimeSpan FenceBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailedFenceBound = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan RejoinBound = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(20);
    // After an acknowledgement the cluster first lets the fence attempt in flight end (it retries a failed fence at once,
    // and an attempt against a dead BMC takes the fencer's whole timeout, 72 s here), then recovers in a new transition.
    private static readonly TimeSpan AcknowledgedRecoveryBound = TimeSpan.FromSeconds(150);

    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task AFenceByHand_PowerCyclesTheNodeThroughItsBmc_AndItsFailoverShowsTheFence_ACrashedNodeWithoutBmc_ShowsFailedUntilAcknowledged()
    {
        await ConfigureFencingAsync();
        var vipAddress = Lab.FreeAddresses[4];
        await _cluster.RunAsync("node1", "pcs", "resource", "create", Vip, "ocf:heartbeat:IPaddr2", $"ip={vipAddress}",
            $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s");
        string? crashed = null;
        Exception? failure = null;
        try
        {
            await using var monitor = await LabMonitor.StartAsync(Lab, [.. Lab.Nodes.Select(n => n.Name)]);
            using var pool = new SshConnectionPool(new SshSettings());
            var operations = LabOperations.For(monitor, pool);
            await monitor.WaitForAsync($"{Vip} running", TimeSpan.FromSeconds(60), c => c.State?.WhereRuns(Vip) is not null);
            Assert.True(await AnswersWithinAsync(vipAddress, AnswerBound), $"{vipAddress} does not answer before anything was fenced");

            // 1. Fence the VIP's node by hand: its BMC powers it off and on, the VIP is served again, the failover shows the fence.
            var target = monitor.Snapshot.State!.WhereRuns(Vip)!;
            var init = InitOf(target);
            var chassisLog = Path.Join(Lab.LabDir, "bmc", target, "chassis.log");
            var logged = File.Exists(chassisLog) ? File.ReadAllLines(chassisLog).Length : 0;
            var unconfirmed = await Assert.ThrowsAsync<StorageHa.Shared.Validation.InvalidInputException>(() =>
                operations.RunAsync(monitor.ClusterId, new FenceNode(target, FenceKind.Reboot, Confirmation: "node9")));
            Assert.Equal("confirm", Assert.Single(unconfirmed.Errors).Field);

            var asked = monitor.Now;
            var clock = Stopwatch.StartNew();
            var outcome = await operations.RunAsync(monitor.ClusterId, new FenceNode(target, FenceKind.Reboot, target));
            var fenceTook = clock.Elapsed;
            Assert.NotEqual(target, outcome.Node);
            Assert.True(fenceTook < FenceBound, $"the fence took {fenceTook.TotalSeconds:F1} s");
            Assert.False(Directory.Exists($"/proc/{init}"), $"{target}'s init {init} survived the fence");
            Assert.Equal(["power off", "power on"], File.ReadAllLines(chassisLog).Skip(logged).Select(l => l.Split(' ', 2)[1]));

            var (doneAt, done) = await monitor.WaitForAsync($"the failover of the fence of {target} completed", TimeSpan.FromSeconds(90),
                c => c.Completed?.Fences.Any(f => f.Fence.Target == target) == true, after: asked);
            Assert.True(done.Completed!.Fences.Count == 1, "the failover's fences: " + Describe(done.Completed.Fences) +
                "; every fencing event seen: " + string.Join(" | ", monitor.Changes.SelectMany(c => c.Change.Events.OfType<FencingEvent>()
                    .Select(e => $"{c.At.TotalSeconds:F1}s from {c.Change.Monitor.Node}: {Short(e.Fence)}"))));
            var fence = done.Completed.Fences[0];
            // Asked from the node the console ran it on; run by whichever node's fencer Pacemaker chose for the device.
            Assert.Equal((target, "reboot", FenceStatus.Success, outcome.Node, false), (fence.Fence.Target, fence.Fence.Action, fence.Fence.Status, fence.Fence.Origin, fence.Fence.ByCluster));
            Assert.NotEqual(target, fence.Fence.Delegate);
            Assert.NotNull(fence.Duration);
            Assert.True(await AnswersWithinAsync(vipAddress, AnswerBound), $"{vipAddress} does not answer within {AnswerBound.TotalSeconds} s after the fence");
            var stored = Assert.Single(await monitor.History.ListFailoversAsync(monitor.ClusterId), f => f.Fences.Count > 0);
            Assert.Equal(fence, Assert.Single(stored.Fences));
            var rejoined = await RejoinedAsync(target);
            output.WriteLine($"fence by hand of {target} (reboot, run on {outcome.Node}): {fenceTook.TotalSeconds:F1} s; the monitor's fence duration " +
                $"{fence.Duration!.Value.TotalSeconds:F1} s; failover done {(doneAt - asked).TotalSeconds:F1} s after asking " +
                $"({string.Join(", ", done.Completed.Outages.Select(o => $"{o.Vip} {o.FromNode}→{o.ToNode} {o.Outage?.TotalSeconds:F1} s"))}); {target} back in the cluster {rejoined.TotalSeconds:F1} s later");

            // 2. The VIP's node crashes with its BMC gone: the fence fails, the card says why, the VIP stays down.
            await monitor.WaitForAsync($"{Vip} running", TimeSpan.FromSeconds(60), c => c.State?.WhereRuns(Vip) is not null);
            crashed = monitor.Snapshot.State!.WhereRuns(Vip)!;
            await fixture.Lab.RunCheckedAsync("bmc", "stop", crashed);
            var crashedAt = monitor.Now;
            await fixture.Lab.RunCheckedAsync("crash", crashed);
            var (failedAt, failed) = await monitor.WaitForAsync($"the fence of {crashed} failed", FailedFenceBound,
                c => c.State?.FencingOf(crashed).Failed is not null, after: crashedAt);
            var why = failed.State!.FencingOf(crashed).Failed!;
            Assert.True(why.ByCluster, why.Summary);
            Assert.False(string.IsNullOrEmpty(why.ExitReason), why.Summary);
            // Not started elsewhere: Pacemaker still counts it on the unclean node (or nowhere), never on a second one.
            Assert.Contains(failed.State.WhereRuns(Vip), new[] { null, crashed });
            Assert.False(await AnswersAsync(vipAddress), $"{vipAddress} answers while {crashed}'s fence failed");
            Assert.Contains(monitor.Snapshot.InProgress!.Fences, f => f.Fence.Status == FenceStatus.Failed && f.Fence.Target == crashed);
            output.WriteLine($"{crashed} crashed with its BMC stopped: its fence failed {(failedAt - crashedAt).TotalSeconds:F1} s later ({why.ExitReason})");

            // 3. The operator acknowledges it off: the cluster takes it as fenced and the VIP is served from another node.
            var acknowledgedAt = monitor.Now;
            clock.Restart();
            await operations.RunAsync(monitor.ClusterId, new AcknowledgeNodeOff(crashed, crashed));
            var acknowledgeTook = clock.Elapsed;
            var (recoveredAt, recovered) = await monitor.WaitForAsync($"{Vip} running elsewhere", AcknowledgedRecoveryBound,
                c => c.State?.WhereRuns(Vip) is { } at && at != crashed, after: acknowledgedAt);
            Assert.True(await AnswersWithinAsync(vipAddress, AnswerBound), $"{vipAddress} does not answer within {AnswerBound.TotalSeconds} s after {crashed} was acknowledged off");
            var (_, closed) = await monitor.WaitForAsync($"the failover of {crashed} completed", TimeSpan.FromSeconds(30),
                c => c.Completed?.TriggerNode == crashed, after: crashedAt);
            Assert.Contains(closed.Completed!.Fences, f => f.Fence.Status == FenceStatus.Failed);
            var acknowledgement = Assert.Single(closed.Completed.Fences, f => f.Fence.Acknowledged);
            var audited = await monitor.Audit.QueryAsync(new AuditQuery(Search: ClusterOperator.AuditAction));
            Assert.Contains(audited, a => a.Detail!.Contains($"Acknowledge that {crashed} is off"));
            Assert.Contains(audited, a => a.Detail!.Contains($"Fence {target}"));
            output.WriteLine($"acknowledged {crashed} off: {acknowledgeTook.TotalSeconds:F1} s; {Vip} on {recovered.State!.WhereRuns(Vip)} " +
                $"{(recoveredAt - acknowledgedAt).TotalSeconds:F1} s later; {Vip} was without service {closed.Completed.Outages.Single().Outage?.TotalSeconds:F1} s, " +
                $"{crashed} lost to acknowledged {acknowledgement.Duration?.TotalSeconds:F1} s");
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await CleanUpAsync(crashed, failure);
        }
    }

    /// <summary>
    /// Leaves the lab as the collection's other tests expect it: every node up, no fencing, no VIP. After a failure it never
    /// hides the failure: what it could not undo is written to the output.
    /// </summary>
    private async Task CleanUpAsync(string? crashed, Exception? failure)
    {
        try
        {
            if (crashed is not null)
            {
                await fixture.Lab.RunAsync("bmc", "start", crashed);
                if ((await fixture.Lab.RunAsync("state", crashed)).Output.Trim() == "stopped") await fixture.Lab.RunAsync("start", crashed);
            }
            // From a node whose Pacemaker answers: the crashed one may still be booting, and so may a node fenced by hand.
            var node = await NodeWithTheCibAsync(except: crashed);
            await _cluster.RunAsync(node, "sh", "-c", "pcs property set stonith-enabled=false; for d in $(stonith_admin --list-registered | grep '^ *fence-' ); do pcs stonith delete \"$d\"; done; true");
            await _cluster.RunAsync(node, "pcs", "resource", "delete", Vip, "--force");
            await _cluster.RunAsync(node, "crm_resource", "--wait", "--timeout=120s");
        }
        catch (Exception e) when (failure is not null)
        {
            output.WriteLine($"the clean-up after the failure failed too: {e.Message}");
        }
    }

    private async Task<string> NodeWithTheCibAsync(string? except)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            foreach (var node in Lab.Nodes.Select(n => n.Name).Where(n => n != except))
                if ((await fixture.Lab.RunAsync("ssh", node, "cibadmin", "--query", "--scope=crm_config")).Succeeded) return node;
            if (deadline.Elapsed > RejoinBound) throw new TimeoutException($"no node but {except} answered with the CIB within {RejoinBound.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    // Short enough that a failure's first line (all a CI summary keeps) shows every fence.
    private static string Describe(IEnumerable<FenceOutcome> fences) =>
        string.Join("; ", fences.Select(f => $"{Short(f.Fence)} since {f.Since:HH:mm:ss.f} done {f.DoneAt:HH:mm:ss.f}"));

    private static string Short(FenceAction f) =>
        $"{f.Action} {f.Target} {f.Status} by {f.Delegate} for {f.Client}@{f.Origin} at {f.Completed} {f.ExitReason}";

    /// <summary>
    /// A fence_ipmilan device per node with its BMC's options, and fencing on; a device the collection's other tests left
    /// configured is kept (they share this lab).
    /// </summary>
    private async Task ConfigureFencingAsync()
    {
        var view = await _cluster.ViewFromAsync("node1");
        foreach (var node in Lab.Nodes.Where(n => !view.RunningOn.ContainsKey($"fence-{n.Name}")))
        {
            var bmc = node.Bmc ?? throw new InvalidOperationException($"lab.json gives {node.Name} no BMC");
            await _cluster.RunAsync("node1", ["pcs", "stonith", "create", $"fence-{node.Name}", "fence_ipmilan",
                .. bmc.Options.Select(o => $"{o.Key}={o.Value}"), $"pcmk_host_list={node.Name}"]);
        }
        await _cluster.RunAsync("node1", "pcs", "property", "set", "stonith-enabled=true");
    }

    /// <summary>Whether the address answers a ping from the client namespace (where the console and the clients are) within 2 s.</summary>
    private async Task<bool> AnswersAsync(string address)
    {
        using var ping = NamespaceCommand.Start(Lab.ClientNamespace, "ping", "-c1", "-W2", address);
        return await ping.WaitAsync(TimeSpan.FromSeconds(10)) == 0;
    }

    /// <summary>Whether the address answers within <paramref name="bound"/>: a VIP just started elsewhere may take a moment
    /// (the client's neighbour entry still names the old node until the new one's gratuitous ARP lands).</summary>
    private async Task<bool> AnswersWithinAsync(string address, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        do if (await AnswersAsync(address)) return true;
        while (clock.Elapsed < bound);
        return false;
    }

    private int InitOf(string node) => NodeProcesses.InitOf(Lab, node);

    /// <summary>Waits for the boot the BMC started and the node online again; how long that took.</summary>
    private async Task<TimeSpan> RejoinedAsync(string node)
    {
        var clock = Stopwatch.StartNew();
        await LabCluster.WaitUntilAsync($"{node}'s BMC done powering it on", RejoinBound,
            async () => !(await fixture.Lab.RunCheckedAsync("bmc", "status", node)).Contains("powering on"));
        await LabCluster.WaitUntilAsync($"{node} online", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains(node));
        return clock.Elapsed;
    }
}
