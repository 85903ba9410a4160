using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Tests.Provisioning;

namespace StorageHa.Shared.Tests.Serving;

/// <summary>The serve check's command from the spec, and its output read back as typed results (the script itself runs in the lab tests).</summary>
public sealed class ServeCheckTests
{
    [Fact]
    public void TheCommand_PassesEveryShareExportAndVip_AsArguments_NeverThroughAShell()
    {
        var spec = SpecExamples.ThreeNodes() with
        {
            Shares = [new() { Name = "public", Path = "/srv/public", GuestOk = true, ReadOnly = true }, new() { Name = "team", Path = "/srv/team $(reboot)", ValidUsers = SmbPrincipal.ParseList(" alice @staff ") }],
        };

        var argv = ServeCheck.Command(spec);

        Assert.Equal(["bash", "-c", ServeCheck.Script.Body, "storageha-serve-check"], argv.Take(4));
        Assert.Equal(
            ["share", "public", "/srv/public", "yes", "yes", "",
             "share", "team", "/srv/team $(reboot)", "no", "no", "alice @staff",
             "export", "/srv/data",
             "vip", "192.0.2.101", "445,2049", "vip", "192.0.2.102", "445,2049"],
            argv.Skip(4));
        Assert.StartsWith("#!/bin/bash\n", ServeCheck.Script.Text);
    }

    [Fact]
    public void AnNfsOnlyCluster_ChecksExportsAndPort2049_NoShares()
    {
        var spec = SpecExamples.ThreeNodes(vips: 1) with { Purpose = ClusterPurpose.Nfs };

        Assert.Equal(["export", "/srv/data", "vip", "192.0.2.101", "2049"], ServeCheck.Command(spec).Skip(4));
    }

    [Fact]
    public void EveryPlan_EndsWithTheServeCheck_OnAllNodes_WhichAlwaysRuns()
    {
        var spec = SpecExamples.ThreeNodes();
        var last = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)).Steps[^1];

        Assert.Equal(ServeCheck.StepId, last.Id);
        Assert.True(last.ChecksServing);
        Assert.Equal(StepTarget.AllNodes, last.Target);
        Assert.Null(last.Check);
    }

    [Fact]
    public void RemovingANode_ChecksServingOnEachNodeThatStays()
    {
        var spec = SpecExamples.ThreeNodes();
        var plan = LifecyclePlans.RemoveNode(spec, "node2", SpecExamples.FactsFor(spec));

        Assert.Equal([StepTarget.On("node1"), StepTarget.On("node3")], plan.Steps.Where(s => s.ChecksServing).Select(s => s.Target));
    }

    [Fact]
    public void Output_IsReadAsOneResultPerThing_WithTheNodesCause()
    {
        const string output = "exit 1: @@serve\tok\tconfig\tsmb.conf\n" +
            "@@serve\tfail\tmodule\tfileid\tsmbd has no VFS module fileid: /usr/lib/x86_64-linux-gnu/samba/vfs/fileid.so is missing (install samba-vfs-modules)\n" +
            "@@serve\tfail\tshare\tpublic\tsmbd could not load vfs module fileid (install samba-vfs-modules)\n" +
            "@@serve\tok\tvip\t192.0.2.101\n" +
            "not served: module fileid: …; share public: …\n";

        var results = ServeCheck.Parse("node2", output);

        Assert.Equal(
            [(ServeSubject.Config, "smb.conf", true), (ServeSubject.Module, "fileid", false), (ServeSubject.Share, "public", false), (ServeSubject.VirtualIp, "192.0.2.101", true)],
            results.Select(r => (r.Subject, r.Name, r.Served)));
        Assert.Equal("node2: share public: smbd could not load vfs module fileid (install samba-vfs-modules)", results[2].ToString());
    }

    [Fact]
    public void ANodeWhereTheCheckCouldNotRun_IsOneFailure_SayingWhy()
    {
        var result = Assert.Single(ServeCheck.Parse("node3", "bash: line 1: smbd: command not found\n"));

        Assert.False(result.Served);
        Assert.Equal("node3: the serve check did not run: bash: line 1: smbd: command not found", result.ToString());
    }

    [Fact]
    public void AReport_IsServedOnlyWhenEveryResultIs_AndSaysWhatFailedOrWhatWasProven()
    {
        var at = DateTimeOffset.Parse("2026-12-05T21:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var served = ServeReport.FromRuns(at, [new NodeRun("node1", StepState.Done, "@@serve\tok\tshare\tpublic\n@@serve\tok\tvip\t192.0.2.101\n"),
                                                new NodeRun("node2", StepState.Done, "@@serve\tok\tshare\tpublic\n@@serve\tok\tvip\t192.0.2.101\n")]);
        var broken = ServeReport.FromRuns(at, [new NodeRun("node1", StepState.Done, "@@serve\tok\tshare\tpublic\n"),
                                                new NodeRun("node2", StepState.Failed, "exit 1: @@serve\tfail\tshare\tpublic\tits folder /srv/public does not exist on this node\n")]);

        Assert.True(served.Served);
        Assert.Equal("Served: 1 share, 0 exports and 1 virtual IP checked on 2 node(s).", served.Summary);
        Assert.False(broken.Served);
        Assert.Equal("Not served: node2: share public: its folder /srv/public does not exist on this node", broken.Summary);
        Assert.False(new ServeReport(at, []).Served);
    }
}
