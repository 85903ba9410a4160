using System.Diagnostics;
using System.Runtime.Versioning;
using StorageHa.Shared.State;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// Real fencing in the lab: one fence_ipmilan device per node (its BMC, configured with pcs as an admin would) and
/// stonith-enabled=true. A node that hangs (every process stopped, its addresses kept) and a node whose cable is cut
/// are each fenced by the others through its BMC — Pacemaker's own fencer running the real agent over real IPMI — and
/// the fence's power cycle boots it again: the hung node rejoins at once, the partitioned one once its cable is mended.
/// What the cluster says (crm_mon's fence history, read by the console's own parser) is checked against what happened
/// to the node: its old processes gone, its BMC's power log, a new boot. Each test prints its timeline.
/// </summary>
[Collection(FencingLabCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class FencingLabTests(FencingLabFixture fixture, ITestOutputHelper output)
{
    private const string Target = "node3";
    private static readonly string[] Survivors = ["node1", "node2"];
    // Token loss (3 s token + consensus) plus the agent's off and on: about 15 s here; bounded generously for a busy machine.
    private static readonly TimeSpan FenceBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RejoinBound = TimeSpan.FromSeconds(150);

    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task AHungNode_IsFencedThroughItsBmc_PoweredOnAgainByTheCycle_AndRejoinsTheCluster()
    {
        await EnsureFencingAsync();
        var init = InitOf(Target);
        var pidNamespace = NodeProcesses.PidNamespaceOf(init);
        var chassisLines = ChassisLog(Target).Count;
        var fencesBefore = await FencesOfAsync(Target);
        try
        {
            var hungAt = DateTimeOffset.UtcNow;
            await fixture.Lab.RunCheckedAsync("hang", Target);
            var hangTook = DateTimeOffset.UtcNow - hungAt;
            // Hung, not dead: every process stopped, the address still on its NIC.
            Assert.Equal("hung", await StateAsync(Target));
            var hung = NodeProcesses.In(pidNamespace);
            Assert.All(hung, p => Assert.True(p.State == 'T', $"{p.Pid} {p.Name} is not stopped ({p.State})"));
            Assert.Contains(Lab.Node(Target).Address, await fixture.Lab.RunCheckedAsync("exec", Target, "ip", "-o", "-4", "addr", "show", Lab.Nic));

            var fence = await NewFenceAsync(Target, fencesBefore);
            Assert.Equal(("reboot", FenceStatus.Success), (fence.Action, fence.Status));
            Assert.Contains(fence.Delegate, Survivors);

            // The power off was real: SIGKILL ended the stopped processes, init and all; the BMC then powered it on.
            Assert.False(Directory.Exists($"/proc/{init}"), $"{Target}'s init {init} survived the fence");
            Assert.Empty(NodeProcesses.Surviving(hung));
            Assert.Equal(new[] { "power off", "power on" }, ChassisLog(Target).Skip(chassisLines).Select(l => l.Action));

            var rejoined = await RejoinedAsync(Target);
            Assert.NotEqual(init, InitOf(Target));
            await PrintTimelineAsync("hang", hungAt, fence, rejoined, $"(hang took {hangTook.TotalSeconds:F1} s)");
        }
        finally
        {
            await EnsureRunningAsync(Target);
        }
    }

    [Fact]
    public async Task APartitionedNode_IsFencedByTheQuorateSide_StaysCutOffAfterTheCycle_AndRejoinsOnceHealed()
    {
        await EnsureFencingAsync();
        var init = InitOf(Target);
        var chassisLines = ChassisLog(Target).Count;
        var fencesBefore = await FencesOfAsync(Target);
        try
        {
            var cutAt = DateTimeOffset.UtcNow;
            await fixture.Lab.RunCheckedAsync("partition", Target);
            Assert.Equal("partitioned", await StateAsync(Target));

            var fence = await NewFenceAsync(Target, fencesBefore);
            Assert.Equal(("reboot", FenceStatus.Success), (fence.Action, fence.Status));
            Assert.Contains(fence.Delegate, Survivors);
            Assert.Contains(fence.Origin, Survivors);
            Assert.False(Directory.Exists($"/proc/{init}"), $"{Target}'s init {init} survived the fence");
            Assert.Equal(new[] { "power off", "power on" }, ChassisLog(Target).Skip(chassisLines).Select(l => l.Action));

            // Rebooted, its cable still cut: it runs alone, without quorum, and the quorate side carries on without it.
            await WaitUntilAsync($"{Target}'s BMC done powering it on", RejoinBound, async () => !await PoweringOnAsync(Target));
            Assert.Equal("partitioned", await StateAsync(Target));
            Assert.NotEqual(init, InitOf(Target));
            await WaitUntilAsync($"{Target} up on its own, without quorum", TimeSpan.FromSeconds(90), async () =>
            {
                var own = await fixture.Lab.RunAsync("exec", Target, "crm_mon", "-1", "--output-as=xml");
                // While it boots, crm_mon may answer with no status at all ("Could not connect to the CIB"): not up yet.
                try { return own.Succeeded && CrmMonParser.Parse(own.Output) is { Summary.DcPresent: true } state && !state.Summary.HasQuorum; }
                catch (CrmMonParseException) { return false; }
            });
            var quorate = await _cluster.ViewFromAsync("node1");
            Assert.True(quorate.Quorate && !quorate.OnlineNodes.Contains(Target), $"node1 sees {string.Join(",", quorate.OnlineNodes)} online");

            var healedAt = DateTimeOffset.UtcNow;
            await fixture.Lab.RunCheckedAsync("heal", Target);
            var rejoined = await WaitUntilAsync($"{Target} online again as seen from node1", RejoinBound,
                async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains(Target));
            Assert.Equal(fencesBefore.Count + 1, (await FencesOfAsync(Target)).Count);
            await PrintTimelineAsync("partition", cutAt, fence, healedAt + rejoined,
                $"(healed {(healedAt - cutAt).TotalSeconds:F1} s after the cut; rejoined {rejoined.TotalSeconds:F1} s after heal)");
        }
        finally
        {
            await fixture.Lab.RunAsync("heal", Target);
            await EnsureRunningAsync(Target);
        }
    }

    /// <summary>A fence_ipmilan device per node for its BMC, as the admin guide has it (pcs stonith create), and
    /// stonith-enabled=true; returns when every survivor's fencer has every device registered. Idempotent.</summary>
    private async Task EnsureFencingAsync()
    {
        var view = await _cluster.ViewFromAsync("node1");
        foreach (var node in Lab.Nodes.Where(n => !view.RunningOn.ContainsKey(DeviceOf(n.Name))))
        {
            var bmc = node.Bmc ?? throw new InvalidOperationException($"lab.json gives {node.Name} no BMC (lab.sh up --bmc)");
            await _cluster.RunAsync("node1", ["pcs", "stonith", "create", DeviceOf(node.Name), bmc.Agent,
                .. bmc.Options.Select(o => $"{o.Key}={o.Value}"), $"pcmk_host_list={node.Name}"]);
        }
        await _cluster.RunAsync("node1", "pcs", "property", "set", "stonith-enabled=true");
        foreach (var survivor in Survivors)
            await WaitUntilAsync($"every fence device registered on {survivor}", TimeSpan.FromSeconds(60), async () =>
            {
                var registered = await _cluster.RunAsync(survivor, "stonith_admin", "--list-registered");
                return Lab.Nodes.All(n => registered.Contains(DeviceOf(n.Name)));
            });
        await _cluster.RunAsync("node1", "crm_resource", "--wait", "--timeout=120s");
    }

    private static string DeviceOf(string node) => $"fence-{node}";

    /// <summary>The fence history as crm_mon shows it on node1, read by the console's parser.</summary>
    private async Task<IReadOnlyList<FenceAction>> FencesOfAsync(string target) =>
        CrmMonParser.Parse(await _cluster.RunAsync("node1", "crm_mon", "-1", "--output-as=xml", "--include=fencing"))
            .FenceHistory.Where(f => f.Target == target).ToList();

    /// <summary>Waits until node1's fence history holds a finished fence of <paramref name="target"/> beyond <paramref name="before"/>.</summary>
    private async Task<FenceAction> NewFenceAsync(string target, IReadOnlyList<FenceAction> before)
    {
        FenceAction? fence = null;
        await WaitUntilAsync($"{target} fenced", FenceBound, async () =>
        {
            fence = (await FencesOfAsync(target)).Except(before).FirstOrDefault(f => f.Status is FenceStatus.Success or FenceStatus.Failed);
            return fence is not null;
        });
        return fence!;
    }

    /// <summary>hang/cut → fence requested → the BMC's power off and on → fence done → rejoined, and the fence's own
    /// duration: request and completion from the fencer's log on the fence's origin (milliseconds), checked against
    /// crm_mon's completed time (seconds).</summary>
    private async Task PrintTimelineAsync(string fault, DateTimeOffset faultAt, FenceAction fence, DateTimeOffset rejoinedAt, string note)
    {
        var log = await PacemakerLog.LinesAsync(fixture.Lab, fence.Origin!, faultAt, $"Requesting peer fencing (reboot) targeting {fence.Target}",
            $"targeting {fence.Target} by ");
        var requested = log.First(l => l.Line.Contains("Requesting peer fencing")).Time;
        var done = log.Last(l => l.Line.Contains("OK (complete)")).Time;   // "Operation 'reboot' targeting node3 by node2 for …: OK (complete)"
        Assert.True(fence.CompletedTime is { } completed && Math.Abs((completed - done).TotalSeconds) < 2,
            $"crm_mon says the fence completed {fence.Completed}, the fencer's log {done:HH:mm:ss.fff}");
        var power = ChassisLog(fence.Target).Where(c => c.Time >= faultAt.AddSeconds(-1)).ToList();
        string At(DateTimeOffset t) => $"+{(t - faultAt).TotalSeconds:F1} s";
        output.WriteLine($"{fault} {faultAt:HH:mm:ss.fff} → fence requested by {fence.Origin} {At(requested)} → " +
                         string.Join(" → ", power.Select(p => $"BMC {p.Action} {At(p.Time)}")) +
                         $" → fence done by {fence.Delegate} {At(done)} → rejoined {At(rejoinedAt)} {note}");
        output.WriteLine($"the fence's own duration (requested → done): {(done - requested).TotalSeconds:F1} s; " +
                         $"{fault} → fenced: {(done - faultAt).TotalSeconds:F1} s");
    }

    private List<(DateTimeOffset Time, string Action)> ChassisLog(string node) => BmcPowerLog.Read(Lab, node);

    private async Task<string> StateAsync(string node) => (await fixture.Lab.RunCheckedAsync("state", node)).Trim();

    private async Task<bool> PoweringOnAsync(string node) => (await fixture.Lab.RunCheckedAsync("bmc", "status", node)).Contains("powering on");

    /// <summary>Waits for the boot the BMC's cycle started (lab.sh start: until the node is back in the quorate
    /// cluster), then for node1 to see it online; returns when that was.</summary>
    private async Task<DateTimeOffset> RejoinedAsync(string node)
    {
        await WaitUntilAsync($"{node}'s BMC done powering it on", RejoinBound, async () => !await PoweringOnAsync(node));
        Assert.Equal("running", await StateAsync(node));
        await WaitUntilAsync($"{node} online as seen from node1", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains(node));
        return DateTimeOffset.UtcNow;
    }

    /// <summary>Leaves the node running and in the cluster for the next test, whatever happened: a hung node left
    /// unfenced is crashed, a power-on under way finishes, a node left off is started.</summary>
    private async Task EnsureRunningAsync(string node)
    {
        if (await StateAsync(node) == "hung") await fixture.Lab.RunCheckedAsync("crash", node);
        await WaitUntilAsync($"{node}'s BMC done powering it on", RejoinBound, async () => !await PoweringOnAsync(node));
        if (await StateAsync(node) == "stopped") await fixture.Lab.RunCheckedAsync("start", node);
        await WaitUntilAsync($"{node} online as seen from node1", RejoinBound,
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains(node));
    }

    private static Task<TimeSpan> WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition) =>
        LabCluster.WaitUntilAsync(what, timeout, condition);

    private int InitOf(string node) => NodeProcesses.InitOf(Lab, node);
}
