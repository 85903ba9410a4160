using System.Diagnostics;
using System.Runtime.Versioning;
using StorageHa.Integration.Tests.Provisioning;
using StorageHa.Server.Fencing;
using StorageHa.Shared.Console;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>Three unformed nodes with a BMC each ("sha-fdt"): the console's fence devices are tested and applied here.</summary>
public sealed class FenceDeviceLab() : LabFixture("sha-fdt", formed: false, bmc: true);

/// <summary>
/// One IPMI device per node, as the console keeps them: the Test runs the real fence_ipmilan's status over SSH from
/// every other node against the real BMC; a wrong password and a stopped BMC fail it with the agent's message and the
/// plan refuses them; a device that passed is applied with its password as Pacemaker's CIB secret, so the fencer
/// registers it, fencing is on, and neither the CIB, the job nor the audit holds the password.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FenceDeviceLabTests(FenceDeviceLab fixture, ITestOutputHelper output) : IClassFixture<FenceDeviceLab>
{
    private LabDescription Lab => fixture.Description;

    private ClusterSpec Spec() => new()
    {
        Name = "fenced",
        Purpose = ClusterPurpose.Smb,
        Nodes = Lab.Nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(),
        VirtualIps = [new VirtualIpSpec { Address = Lab.FreeAddresses[0], Prefix = Lab.PrefixLength }],
        Shares = [new ShareSpec { Name = "public", Path = Path.Combine(Lab.SharedDirectory, "data"), GuestOk = true, ReadOnly = true }],
        Nic = Lab.Nic,
        SharedState = new SharedStateSpec { RecoveryLock = Path.Combine(Lab.SharedDirectory, "ctdb", "reclock") },
        Fencing = new FencingSpec { Devices = Lab.Nodes.Select(n => Device(n)).ToList() },
    };

    /// <summary>The node's BMC as the console's form makes it: lab.json's options but the password, which is kept apart.</summary>
    private static FenceDeviceSpec Device(LabNode node) => new()
    {
        Name = $"ipmi-{node.Name}", Agent = "fence_ipmilan", Nodes = [node.Name],
        Options = node.Bmc!.Options.Where(o => o.Key != "password").ToDictionary(),
    };

    private Dictionary<string, string> Passwords() =>
        Lab.Nodes.ToDictionary(n => FenceDevices.PasswordSecret($"ipmi-{n.Name}"), n => n.Bmc!.Password);

    private static async Task<IReadOnlyList<FenceTestResult>> TestAsync(ApplyLab apply, ClusterSpec spec, FenceDeviceSpec device, string password) =>
        await new FenceTester(apply.Ssh, TimeProvider.System).TestAsync(spec, device, password, (node, _) => Task.FromResult(apply.Targets[node]), "lab-test", CancellationToken.None);

    [Fact]
    public async Task RightDevicesPassFromEveryOtherNode_AWrongPasswordOrStoppedBmcBlocksThePlan_AndAnAppliedDeviceIsRegisteredWithoutItsPasswordInTheCib()
    {
        RequiredTool.Require(RequiredTool.SambaFileId, RequiredTool.SmbClient);
        await using var apply = await ApplyLab.StartAsync(Lab, "fenced");
        var spec = Spec();
        Directory.CreateDirectory(Path.Combine(Lab.SharedDirectory, "data"));
        var facts = await apply.ProbeAsync(spec.Purpose);
        var passwords = Passwords();

        // Every device from each node that would fence with it: status only, the node stays on.
        var clock = Stopwatch.StartNew();
        var right = (await Task.WhenAll(spec.Fencing.Devices.Select(d => TestAsync(apply, spec, d, passwords[FenceDevices.PasswordSecret(d.Name)])))).SelectMany(r => r).ToList();
        output.WriteLine($"Test of {spec.Fencing.Devices.Count} devices from 2 nodes each: {clock.Elapsed.TotalSeconds:0.0} s in all; " +
            string.Join(", ", right.Select(r => $"{r.Device} from {r.FromNode} {r.Seconds:0.00} s ({r.Message})")));
        Assert.Equal(6, right.Count);
        Assert.All(right, r => Assert.True(r.Ok && r.Message == "Status: ON", $"{r.Device} from {r.FromNode}: {r.Message}"));
        Assert.All(Lab.Nodes, n => Assert.DoesNotContain(right, r => r.Device == $"ipmi-{n.Name}" && r.FromNode == n.Name));
        var passed = new FenceEvidence(spec.Fencing.Devices.Select(d => d.Name).ToList(), right);
        Assert.True(passed.Proven(spec));

        // A wrong password: the BMC refuses, the agent says so.
        var node3 = spec.Fencing.Devices[2];
        var wrong = await TestAsync(apply, spec, node3, "not-" + Lab.Node("node3").Bmc!.Password);
        output.WriteLine("wrong password: " + string.Join(", ", wrong.Select(r => $"from {r.FromNode} {r.Seconds:0.00} s ({r.Message})")));
        Assert.All(wrong, r => Assert.False(r.Ok));
        Assert.All(wrong, r => Assert.Contains("Unable to obtain correct plug status", r.Message, StringComparison.Ordinal));

        // A BMC that is gone: nothing answers, the agent gives up after its power timeout.
        await fixture.Lab.RunCheckedAsync("bmc", "stop", "node2");
        IReadOnlyList<FenceTestResult> gone;
        try { gone = await TestAsync(apply, spec, spec.Fencing.Devices[1], passwords[FenceDevices.PasswordSecret("ipmi-node2")]); }
        finally { await fixture.Lab.RunCheckedAsync("bmc", "start", "node2"); }
        output.WriteLine("stopped BMC: " + string.Join(", ", gone.Select(r => $"from {r.FromNode} {r.Seconds:0.00} s ({r.Message})")));
        Assert.All(gone, r => Assert.False(r.Ok));
        Assert.All(gone, r => Assert.True(r.Message.Length > 0, "the agent's message is kept"));
        Assert.All(gone, r => Assert.True(r.Seconds < NodeCommands.FenceStatusTimeoutSeconds + 5, $"bounded: {r.Seconds} s"));

        var failing = passed with { Tests = [.. right.Where(r => r.Device is not ("ipmi-node2" or "ipmi-node3")), .. wrong, .. gone] };
        var blocked = PlanBuilder.Build(spec, facts, failing);
        Assert.Contains(blocked.Blockers, b => b.StartsWith("Fence device ipmi-node3 failed its Test from node1 (Failed: Unable to obtain correct plug status", StringComparison.Ordinal));
        Assert.Contains(blocked.Blockers, b => b.StartsWith("Fence device ipmi-node2 failed its Test", StringComparison.Ordinal));
        // The console starts no job for a plan with blockers (ConsoleProvisioning): no device is in any CIB yet.
        Assert.Equal("0", (await fixture.Lab.SshAsync("node1", "cibadmin -Q 2>/dev/null | grep -c fence-ipmi || true")).Trim());

        // Passed: applied as the console applies it, the passwords only on the steps' standard input.
        var plan = PlanBuilder.Build(spec, facts, passed);
        Assert.Empty(plan.Blockers);
        var secrets = new Dictionary<string, string>(ConsoleBuiltCluster.Secrets);
        foreach (var (name, password) in passwords) secrets[name] = password;
        var (job, took) = await apply.ApplyAsync(plan, secrets);
        output.WriteLine($"apply with 3 fence devices: {took.TotalSeconds:0.0} s");
        Assert.True(job.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(job));

        var registered = await apply.RunAsync("node1", "stonith_admin", "--list-registered");
        Assert.All(Lab.Nodes, n => Assert.Contains($"fence-ipmi-{n.Name}", registered, StringComparison.Ordinal));
        Assert.Equal("true", (await apply.RunAsync("node1", "crm_attribute", "--type", "crm_config", "--name", "stonith-enabled", "--query", "--quiet")).Trim());
        var cib = await apply.RunAsync("node2", "cibadmin", "--query");
        Assert.Contains("value=\"lrm://\"", cib, StringComparison.Ordinal);
        var jobText = string.Join('\n', job.Steps.SelectMany(s => s.Runs.Select(r => r.Output)).Append(job.Failure ?? ""));
        var audit = string.Join('\n', (await apply.Audit.QueryAsync(new AuditQuery(Take: 10_000))).Select(e => $"{e.Command} {e.Detail}"));
        foreach (var node in Lab.Nodes)
            foreach (var (place, text) in new[] { ("CIB", cib), ("job output", jobText), ("audit", audit) })
                Assert.False(text.Contains(node.Bmc!.Password, StringComparison.Ordinal), $"{node.Name}'s BMC password is in the {place}");
        Assert.Contains("fencing.test", (await apply.Audit.QueryAsync(new AuditQuery(Take: 10_000))).Select(e => e.Action));
        // The fencer reads the password from the secret file: the device's monitor (a status with it) succeeds.
        var mon = await apply.RunAsync("node1", "crm_mon", "-1", "--output-as=xml");
        Assert.DoesNotContain("failed=\"true\"", mon, StringComparison.Ordinal);
    }
}
