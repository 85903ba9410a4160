using System.Diagnostics;
using System.Runtime.Versioning;
using StorageHa.Integration.Tests.Tickle;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// `lab.sh up --bmc` gives every node a BMC (OpenIPMI's ipmi_sim, IPMI 2.0 lanplus, a user and password of its own)
/// on the lab's switch. The real fence_ipmilan, run in node1 as Pacemaker's fencer runs it there, talks the real IPMI
/// protocol to node3's BMC: off really stops node3, on boots it and it rejoins the cluster, reboot does both; a wrong
/// password and a BMC that is gone fail with the agent's own message and leave the node alone. These tests share the
/// formed lab and leave every node running and every BMC answering.
/// </summary>
[Collection(LabCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class BmcLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private const string Fencer = "node1";
    private const string Target = "node3";
    // With cipher 3 an action takes 0.1-4.4 s on a quiet machine; without it 14-75 s: these bounds tell them apart.
    private static readonly TimeSpan StatusBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PowerBound = TimeSpan.FromSeconds(30);
    // From "on" until lab.sh start (run by the BMC) has the node back in the quorate cluster with its brick online.
    private static readonly TimeSpan RejoinBound = TimeSpan.FromSeconds(150);

    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task EveryNodeHasABmcOfItsOwn_WhoseStatusSaysOn_AskedFromANodeAndFromTheClientNamespace()
    {
        var bmcs = Lab.Nodes.Select(Bmc).ToList();
        Assert.Equal(Lab.Nodes.Select((_, i) => $"192.0.2.{201 + i}"), bmcs.Select(b => b.Address));
        Assert.All(bmcs, b =>
        {
            Assert.Equal((623, "fence", "fence_ipmilan", $"{Lab.Prefix}-bmc"), (b.Port, b.User, b.Agent, b.Namespace));
            Assert.Equal(new Dictionary<string, string>
            {
                ["ip"] = b.Address, ["ipport"] = "623", ["username"] = "fence", ["password"] = b.Password, ["lanplus"] = "1", ["cipher"] = "3",
            }.OrderBy(o => o.Key), b.Options.OrderBy(o => o.Key));
            Assert.True(b.Password.Length >= 12, $"{b.Address}'s password is {b.Password.Length} characters");
        });
        Assert.Equal(bmcs.Count, bmcs.Select(b => b.Password).Distinct().Count());

        foreach (var node in Lab.Nodes)
        {
            var (fromNode, took) = await FenceFromNodeAsync(Fencer, node.Name, "status");
            Assert.True(fromNode.ExitCode == 0 && fromNode.Output.Contains("Status: ON"), $"status of {node.Name} from {Fencer}: {fromNode.Output}");
            Assert.True(took < StatusBound, $"status of {node.Name} from {Fencer} took {took.TotalSeconds:F1} s");
            var (fromClient, tookFromClient) = await FenceFromClientAsync(node.Name, "status");
            Assert.True(fromClient.ExitCode == 0 && fromClient.Output.Contains("Status: ON"), $"status of {node.Name} from the client namespace: {fromClient.Output}");
            output.WriteLine($"status of {node.Name}'s BMC: {took.TotalSeconds:F2} s from {Fencer}, {tookFromClient.TotalSeconds:F2} s from the client namespace");
        }
    }

    [Fact]
    public async Task Off_StopsTheNode_WhoseBmcThenSaysOff_On_BootsItAgain_AndItRejoinsTheCluster()
    {
        var init = InitOf(Target);
        var processes = NodeProcesses.PidNamespaceOf(init);
        try
        {
            var (off, offTook) = await FenceFromNodeAsync(Fencer, Target, "off");
            Assert.True(off.ExitCode == 0 && off.Output.Contains("Success: Powered OFF"), $"off: {off.Output}");
            Assert.True(offTook < PowerBound, $"off took {offTook.TotalSeconds:F1} s");
            Assert.False(Directory.Exists($"/proc/{init}"), $"{Target}'s init {init} survived the power off");
            Assert.Empty(NodeProcesses.In(processes));
            Assert.Equal("stopped", await StateAsync(Target));
            var lost = await LabCluster.WaitUntilAsync($"{Target} seen offline from {Fencer}", TimeSpan.FromSeconds(30),
                async () => !(await _cluster.ViewFromAsync(Fencer)).OnlineNodes.Contains(Target));

            // The BMC is not the node: it answers while the node is off.
            var (status, statusTook) = await FenceFromNodeAsync(Fencer, Target, "status");
            Assert.True(status.Output.Contains("Status: OFF"), $"status after off ({status.ExitCode}): {status.Output}");

            var (on, onTook) = await FenceFromNodeAsync(Fencer, Target, "on");
            Assert.True(on.ExitCode == 0 && on.Output.Contains("Success: Powered ON"), $"on: {on.Output}");
            Assert.True(onTook < PowerBound, $"on took {onTook.TotalSeconds:F1} s");
            var rejoined = await RejoinedAsync(Target);
            Assert.NotEqual(init, InitOf(Target));
            output.WriteLine($"off {offTook.TotalSeconds:F2} s (seen offline from {Fencer} {lost.TotalSeconds:F1} s later), " +
                             $"status (off) {statusTook.TotalSeconds:F2} s, on {onTook.TotalSeconds:F2} s, " +
                             $"then back in the cluster {rejoined.TotalSeconds:F1} s later");
        }
        finally
        {
            await EnsureRunningAsync(Target);
        }
    }

    [Fact]
    public async Task Reboot_PowersTheNodeOffThenOn_ANewBootOfIt_RejoinsTheCluster()
    {
        var init = InitOf(Target);
        var log = Path.Join(Lab.LabDir, "bmc", Target, "chassis.log");
        var logged = File.Exists(log) ? File.ReadAllLines(log).Length : 0;
        try
        {
            var (reboot, took) = await FenceFromNodeAsync(Fencer, Target, "reboot");
            Assert.True(reboot.ExitCode == 0 && reboot.Output.Contains("Success: Rebooted"), $"reboot: {reboot.Output}");
            Assert.True(took < PowerBound, $"reboot took {took.TotalSeconds:F1} s");
            Assert.False(Directory.Exists($"/proc/{init}"), $"{Target}'s init {init} survived the reboot");
            // What the BMC did, in order: the power went off, then on.
            var actions = File.ReadAllLines(log).Skip(logged).Select(l => l.Split(' ', 2)[1]).ToList();
            Assert.Equal(new[] { "power off", "power on" }, actions);
            var rejoined = await RejoinedAsync(Target);
            Assert.NotEqual(init, InitOf(Target));
            output.WriteLine($"reboot {took.TotalSeconds:F2} s, then back in the cluster {rejoined.TotalSeconds:F1} s later");
        }
        finally
        {
            await EnsureRunningAsync(Target);
        }
    }

    [Fact]
    public async Task AWrongPassword_FailsWithTheAgentsMessage_AndTheNodeRunsOn()
    {
        var init = InitOf(Target);
        var (status, took) = await FenceFromNodeAsync(Fencer, Target, "status", password: "not-" + Bmc(Lab.Node(Target)).Password);
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains("Failed: Unable to obtain correct plug status or plug is not available", status.Output);
        var (off, offTook) = await FenceFromNodeAsync(Fencer, Target, "off", password: "wrong");
        Assert.NotEqual(0, off.ExitCode);
        Assert.Equal("running", await StateAsync(Target));
        Assert.True(Directory.Exists($"/proc/{init}"), $"{Target} was powered off with a wrong password");
        output.WriteLine($"a wrong password: status failed after {took.TotalSeconds:F2} s, off after {offTook.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task AStoppedBmc_FailsAsUnreachable_WhileItsNodeRunsOn_AndAnswersAgainOnceStarted()
    {
        const string node = "node2";
        var init = InitOf(node);
        await fixture.Lab.RunCheckedAsync("bmc", "stop", node);
        try
        {
            Assert.Matches($@"{node}\s+bmc \S+ stopped", await fixture.Lab.RunCheckedAsync("bmc", "status", node));
            // Nothing answers: ipmitool waits until the agent's power timeout (20 s by default) ends it.
            var (status, took) = await FenceFromNodeAsync(Fencer, node, "status");
            Assert.NotEqual(0, status.ExitCode);
            Assert.Contains("Connection timed out", status.Output);
            Assert.True(took < TimeSpan.FromSeconds(40), $"an unreachable BMC took {took.TotalSeconds:F1} s to fail");
            Assert.Equal("running", await StateAsync(node));
            Assert.True(Directory.Exists($"/proc/{init}"), $"{node} stopped with its BMC");
            output.WriteLine($"a stopped BMC: status failed after {took.TotalSeconds:F2} s");
        }
        finally
        {
            await fixture.Lab.RunCheckedAsync("bmc", "start", node);
        }
        var (again, againTook) = await FenceFromNodeAsync(Fencer, node, "status");
        Assert.True(again.ExitCode == 0 && again.Output.Contains("Status: ON"), $"status after bmc start: {again.Output}");
        output.WriteLine($"started again: status {againTook.TotalSeconds:F2} s");
    }

    private static LabBmc Bmc(LabNode node) =>
        node.Bmc ?? throw new InvalidOperationException($"lab.json gives {node.Name} no BMC (lab.sh up --bmc)");

    /// <summary>fence_ipmilan run in <paramref name="fencer"/> against <paramref name="target"/>'s BMC, and how long it took.</summary>
    private async Task<(LabCommandResult Result, TimeSpan Took)> FenceFromNodeAsync(string fencer, string target, string action, string? password = null)
    {
        var clock = Stopwatch.StartNew();
        var result = await fixture.Lab.RunAsync(TimeSpan.FromMinutes(3), ["exec", fencer, .. Bmc(Lab.Node(target)).FenceCommand(action, password)]);
        return (result, clock.Elapsed);
    }

    /// <summary>fence_ipmilan run in the client namespace, where the console runs, against <paramref name="target"/>'s BMC.</summary>
    private async Task<(LabCommandResult Result, TimeSpan Took)> FenceFromClientAsync(string target, string action)
    {
        var command = Bmc(Lab.Node(target)).FenceCommand(action);
        var clock = Stopwatch.StartNew();
        using var agent = NamespaceCommand.Start(Lab.ClientNamespace, command[0], [.. command.Skip(1)]);
        var code = await agent.WaitAsync(TimeSpan.FromMinutes(3));
        return (new LabCommandResult(code, agent.Output), clock.Elapsed);
    }

    private async Task<string> StateAsync(string node) => (await fixture.Lab.RunCheckedAsync("state", node)).Trim();

    private int InitOf(string node) => NodeProcesses.InitOf(Lab, node);

    /// <summary>Waits for the boot the BMC started (lab.sh start: until the node is back in the quorate cluster), then
    /// checks from the fencer that the node is online; returns how long from "on" that took.</summary>
    private async Task<TimeSpan> RejoinedAsync(string node)
    {
        var clock = Stopwatch.StartNew();
        await LabCluster.WaitUntilAsync($"{node}'s BMC done powering it on", RejoinBound,
            async () => !(await fixture.Lab.RunCheckedAsync("bmc", "status", node)).Contains("powering on"));
        Assert.Equal("running", await StateAsync(node));
        await LabCluster.WaitUntilAsync($"{node} online as seen from {Fencer}", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync(Fencer)).OnlineNodes.Contains(node));
        return clock.Elapsed;
    }

    /// <summary>Leaves the node running for the next test: a power-on under way finishes, a node left off is started.</summary>
    private async Task EnsureRunningAsync(string node)
    {
        await LabCluster.WaitUntilAsync($"{node}'s BMC done powering it on", RejoinBound,
            async () => !(await fixture.Lab.RunCheckedAsync("bmc", "status", node)).Contains("powering on"));
        if (await StateAsync(node) == "stopped") await fixture.Lab.RunCheckedAsync("start", node);
    }
}
