using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Tests.Commands;
using StorageHa.Shared.Tests.Provisioning;

namespace StorageHa.Shared.Tests.Fencing;

/// <summary>IPMI devices per node: their password kept out of the CIB, their Test deciding whether the plan may run.</summary>
public sealed class FenceDeviceTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 20, 30, 0, TimeSpan.Zero);

    private static FenceDeviceSpec Ipmi(string node, string ip) => new()
    {
        Name = $"ipmi-{node}", Agent = "fence_ipmilan", Nodes = [node],
        Options = new Dictionary<string, string> { ["ip"] = ip, ["username"] = "fence", ["lanplus"] = "1", ["cipher"] = "3" },
    };

    /// <summary>The three-node example with one IPMI device per node (its BMC at 192.0.2.20N).</summary>
    private static ClusterSpec OnePerNode() => SpecExamples.ThreeNodes() with
    {
        Fencing = new() { Devices = [Ipmi("node1", "192.0.2.201"), Ipmi("node2", "192.0.2.202"), Ipmi("node3", "192.0.2.203")] },
    };

    private static FenceTestResult Result(FenceDeviceSpec device, string from, bool ok, string message = "Status: ON") =>
        new(device.Name, from, ok, message, 0.9, At) { Fingerprint = FenceDevices.Fingerprint(device) };

    /// <summary>Every device with its password set and passed from every node that would fence with it.</summary>
    private static FenceEvidence AllPassed(ClusterSpec spec) => new(
        spec.Fencing.Devices.Select(d => d.Name).ToList(),
        spec.Fencing.Devices.SelectMany(d => FenceDevices.Testers(spec, d).Select(n => Result(d, n, ok: true))).ToList());

    private static Plan Build(ClusterSpec spec, FenceEvidence? evidence) => PlanBuilder.Build(spec, SpecExamples.FactsFor(spec), evidence);

    [Fact]
    public void ADeviceForOneNode_IsTestedFromEveryOtherNode_AndOneForSeveral_FromAll()
    {
        var spec = OnePerNode();
        Assert.Equal(["node2", "node3"], FenceDevices.Testers(spec, spec.Fencing.Devices[0]));
        Assert.Equal(["node1", "node2", "node3"], FenceDevices.Testers(spec, Ipmi("node1", "192.0.2.201") with { Nodes = ["node1", "node2"] }));
    }

    [Fact]
    public void TheCibHoldsLrmReference_AndThePasswordReachesEveryNodeOnStandardInput_InARootOnlyFile()
    {
        var spec = OnePerNode();
        var plan = Build(spec, AllPassed(spec));

        Assert.Empty(plan.Blockers);
        Assert.Equal(["pcs", "-f", "cib.xml", "stonith", "create", "fence-ipmi-node1", "fence_ipmilan",
            "cipher=3", "ip=192.0.2.201", "lanplus=1", "username=fence", "password=lrm://", "pcmk_host_list=node1"],
            plan.CibBatch.Single(s => s.Id == "cib-fence-ipmi-node1").Argv);
        var secret = plan.Steps.Single(s => s.Id == "fence-secret-ipmi-node1");
        Assert.Equal(StepTarget.AllNodes, secret.Target);
        var command = (NodeCommand)secret.Action;
        Assert.Equal("fence-password:ipmi-node1", command.Stdin!.Secret);
        Assert.Equal("/var/lib/pacemaker/lrm/secrets/fence-ipmi-node1/password", command.Argv[^1]);
        Assert.Equal("/var/lib/pacemaker/lrm/secrets/fence-ipmi-node1/password", secret.Check![^1]);
        var ids = plan.Steps.Select(s => s.Id).ToList();
        Assert.True(ids.IndexOf("fence-secret-ipmi-node3") < ids.IndexOf("cib-push"), "the secret is on every node before the fencer registers the device");
        Assert.Contains("name=\"stonith-enabled\" value=\"true\"", ((EditCib)plan.CibBatch.Single(s => s.Id == "cib-properties").Action).Written!.ToString());
        Assert.DoesNotContain(CibBatch.NoFencingWarning, plan.Warnings);
    }

    [Fact]
    public void ThePlanBlocks_ADeviceWithoutPassword_Untested_Failed_OrChangedSinceItsTest()
    {
        var spec = OnePerNode();
        var passed = AllPassed(spec);

        var none = Build(spec, null);
        Assert.Equal(3, none.Blockers.Count(b => b.Contains("has no password", StringComparison.Ordinal)));

        var untested = Build(spec, passed with { Tests = passed.Tests.Where(t => !(t.Device == "ipmi-node2" && t.FromNode == "node3")).ToList() });
        Assert.Equal(["Fence device ipmi-node2 has not passed its Test from node1, node3 (as it now is): run the Test"], untested.Blockers);

        var failing = passed with { Tests = [.. passed.Tests.Where(t => t.Device != "ipmi-node3"),
            Result(spec.Fencing.Devices[2], "node1", ok: false, "Failed: Unable to obtain correct plug status or plug is not available"),
            Result(spec.Fencing.Devices[2], "node2", ok: true)] };
        var failed = Assert.Single(Build(spec, failing).Blockers);
        Assert.StartsWith("Fence device ipmi-node3 failed its Test from node1 (Failed: Unable to obtain correct plug status", failed);
        Assert.Equal(FenceVerdict.Failed, failing.Verdict(spec, spec.Fencing.Devices[2]));
        Assert.False(failing.Proven(spec));

        var moved = spec with { Fencing = spec.Fencing with { Devices = [spec.Fencing.Devices[0] with { Options = new Dictionary<string, string>(spec.Fencing.Devices[0].Options) { ["ip"] = "192.0.2.211" } },
            spec.Fencing.Devices[1], spec.Fencing.Devices[2]] } };
        Assert.Equal(FenceVerdict.Untested, passed.Verdict(moved, moved.Fencing.Devices[0]));
        Assert.Single(Build(moved, passed).Blockers);
        Assert.True(passed.Proven(spec));
    }

    [Fact]
    public void ANodeWithoutDevice_IsNamed_AndFencingIsNotProven()
    {
        var spec = OnePerNode() with { Fencing = new() { Devices = [Ipmi("node1", "192.0.2.201"), Ipmi("node2", "192.0.2.202")] } };
        var plan = Build(spec, AllPassed(spec));
        Assert.Equal(["node3 has no fence device: fencing is turned on only when every node has one (name the node in a device's nodes)"], plan.Blockers);
    }

    [Fact]
    public void TwoDevicesForANode_MakeAFencingTopology_InTheSpecsOrder()
    {
        var spec = OnePerNode() with
        {
            Fencing = new() { Devices = [Ipmi("node1", "192.0.2.201"), Ipmi("node2", "192.0.2.202"), Ipmi("node3", "192.0.2.203"),
                new() { Name = "hypervisor", Agent = "fence_virsh", Nodes = ["node1", "node2", "node3"],
                    Options = new Dictionary<string, string> { ["ip"] = "192.0.2.1", ["username"] = "fence", ["identity_file"] = "/root/.ssh/fence" } }] },
        };
        var plan = Build(spec, AllPassed(spec));

        Assert.Empty(plan.Blockers);
        Assert.Equal(["pcs", "-f", "cib.xml", "stonith", "level", "add", "1", "node1", "fence-ipmi-node1"], plan.CibBatch.Single(s => s.Id == "cib-fence-level-node1-1").Argv);
        Assert.Equal(["pcs", "-f", "cib.xml", "stonith", "level", "add", "2", "node1", "fence-hypervisor"], plan.CibBatch.Single(s => s.Id == "cib-fence-level-node1-2").Argv);
        Assert.Equal(6, plan.CibBatch.Count(s => s.Id.StartsWith("cib-fence-level-", StringComparison.Ordinal)));
        // A key file instead of a password: no secret kept, none in the CIB.
        Assert.DoesNotContain(plan.Steps, s => s.Id == "fence-secret-hypervisor");
        Assert.DoesNotContain("password=lrm://", plan.CibBatch.Single(s => s.Id == "cib-fence-hypervisor").Argv);
    }

    [Fact]
    public void TheAgentReadsItsOptionsAndPasswordOnStandardInput_AndItsMessageNeverCarriesThePassword()
    {
        var device = Ipmi("node1", "192.0.2.201");
        Assert.Equal("action=status\ncipher=3\nip=192.0.2.201\nlanplus=1\nusername=fence\npassword=s3cret\n", FenceDevices.StatusInput(device, "s3cret"));
        Assert.Equal(["timeout", "-k", "5", "60", "fence_ipmilan"], NodeCommands.FenceStatus("fence_ipmilan"));
        Assert.Throws<ArgumentException>(() => NodeCommands.FenceStatus("fence_anything"));

        Assert.Equal("Failed: Unable to obtain correct plug status or plug is not available", FenceDevices.AgentMessage("",
            "/usr/sbin/fence_ipmilan:5: DeprecationWarning: 'pipes' is deprecated and slated for removal in Python 3.13\n  from pipes import quote\n" +
            "2026-12-06 20:02:56,209 ERROR: Failed: Unable to obtain correct plug status or plug is not available\n\n", "s3cret"));
        Assert.Equal("Status: ON", FenceDevices.AgentMessage("Status: ON\n", "", "s3cret"));
        Assert.Equal("login *** refused", FenceDevices.AgentMessage("login s3cret refused\n", "", "s3cret"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void TheSecretScripts_WriteTheValueAndItsSumRootOnly_AsCibsecretDoes_AndTheCheckSeesAnyOtherValue()
    {
        using var run = new ScriptRun();
        var file = run.PathOf("secrets", "fence-ipmi-node1", "password");

        Assert.Equal(1, run.Run(NodeCommands.FenceSecretIs(file), "s3cret\n").ExitCode);
        Assert.Equal(2, run.Run(NodeCommands.KeepFenceSecret(file), "").ExitCode);
        var written = run.Run(NodeCommands.KeepFenceSecret(file), "s3cret\n");
        Assert.True(written.Succeeded, written.Error);

        Assert.Equal("s3cret\n", File.ReadAllText(file));
        // md5("s3cret"), as cibsecret computes it (printf %s | md5sum) and pacemaker-fenced checks it.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("s3cret"u8)) + "\n", File.ReadAllText(file + ".sign"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(0, run.Run(NodeCommands.FenceSecretIs(file), "s3cret\n").ExitCode);
        Assert.Equal(1, run.Run(NodeCommands.FenceSecretIs(file), "other\n").ExitCode);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Equal(1, run.Run(NodeCommands.FenceSecretIs(file), "s3cret\n").ExitCode);
    }

    [Fact]
    public void TheDevicesForANode_AreThoseListingIt_AndThoseThatAskTheirAgent_InTheSpecsOrder()
    {
        var fencing = OnePerNode().Fencing;
        Assert.Equal(["ipmi-node2"], fencing.DevicesFor("node2"));

        var withPdu = fencing with { Devices = [.. fencing.Devices, new FenceDeviceSpec { Name = "pdu", Agent = "fence_ipmilan" }] };
        Assert.Equal(["ipmi-node2", "pdu"], withPdu.DevicesFor("node2"));
        Assert.Equal(["pdu"], withPdu.DevicesFor("node9"));
    }
}
