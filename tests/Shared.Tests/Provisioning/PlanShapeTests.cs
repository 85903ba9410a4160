using System.Xml.Linq;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning;

public class PlanShapeTests
{
    private static PlanStep Cib(Plan plan, string id) => plan.CibBatch.Single(s => s.Id == "cib-" + id);

    /// <summary>The element a batch step writes to the CIB copy.</summary>
    private static XElement Written(Plan plan, string id) => ((EditCib)Cib(plan, id).Action).Written!;

    /// <summary>"class:provider:type" of the (first) primitive an element holds.</summary>
    private static string Agent(XElement written) =>
        written.DescendantsAndSelf("primitive").First() is var p
            ? string.Join(':', new[] { "class", "provider", "type" }.Select(a => p.Attribute(a)?.Value).OfType<string>()) : "";

    /// <summary>NAME=VALUE of the nvpairs under an element's ELEMENT (instance_attributes, meta_attributes, …).</summary>
    private static IEnumerable<string> Pairs(XElement written, string element = "instance_attributes") =>
        written.DescendantsAndSelf(element).Elements("nvpair").Select(n => $"{n.Attribute("name")!.Value}={n.Attribute("value")!.Value}");

    [Fact]
    public void EveryVip_GetsATickleAgent_RunningWhereTheVipRuns_AfterIt_AndTheNodeHelperIsInstalledBeforeThePush()
    {
        var spec = SpecExamples.ThreeNodes();
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        var ids = plan.Steps.Select(s => s.Id).ToList();

        Assert.True(ids.IndexOf("node-helper") < ids.IndexOf("cib-push"));
        Assert.True(plan.Steps.Single(s => s.Id == "node-helper").InstallsNodeHelper);
        foreach (var vip in spec.VirtualIps.Select(v => v.Address))
        {
            var agent = Written(plan, ResourceIds.Tickle(vip));
            Assert.Equal(["ocf", "storageha", "tickle"], new[] { "class", "provider", "type" }.Select(a => agent.Attribute(a)!.Value));
            Assert.Equal([vip, TickleAgents.Directory(spec), "445,2049"], agent.Descendants("nvpair").Select(n => n.Attribute("value")!.Value));
            var together = Written(plan, ResourceIds.Tickle(vip) + "-with-vip");
            Assert.Equal((ResourceIds.Tickle(vip), ResourceIds.Vip(vip)), (together.Attribute("rsc")!.Value, together.Attribute("with-rsc")!.Value));
            var order = Written(plan, ResourceIds.Tickle(vip) + "-after-vip");
            Assert.Equal((ResourceIds.Vip(vip), ResourceIds.Tickle(vip)), (order.Attribute("first")!.Value, order.Attribute("then")!.Value));
        }
        Assert.Contains(TickleAgents.Directory(spec), plan.Steps.Single(s => s.Id == "shared-state").Argv);
    }

    [Fact]
    public void NodesWithoutSystemd_RunSambaThroughInitScripts_AndGaneshaUnderAnything_NothingForced()
    {
        var spec = SpecExamples.ThreeNodes();
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec, init: "boot.sh"));
        Assert.Equal("lsb:smbd", Agent(Written(plan, "smbd")));
        Assert.Equal("ocf:heartbeat:anything", Agent(Written(plan, "ganesha")));
        Assert.DoesNotContain(plan.Steps, s => s.Argv.Contains("--force") && s.Argv[0] == "pcs");
        Assert.DoesNotContain(plan.Steps, s => s.Id == "hand-over-units");
        Assert.Contains(plan.Warnings, w => w.Contains("without systemd (PID 1 is 'boot.sh')", StringComparison.Ordinal));
    }

    [Fact]
    public void SystemdHosts_UseSystemdUnits_InOneClonedSambaGroup_AndTakeTheUnitsAwayFromSystemd()
    {
        var spec = SpecExamples.ThreeNodes() with { NetBios = true };
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec, init: "systemd", osId: "rocky", osLike: "rhel centos fedora"));
        Assert.Equal("systemd:smb", Agent(Written(plan, "smbd")));
        Assert.Equal("systemd:nmb", Agent(Written(plan, "nmbd")));
        Assert.All(new[] { "smbd", "nmbd" }, id => Assert.Equal((ResourceIds.SambaClone(true), ResourceIds.SambaGroup),
            (Written(plan, id).Attribute("id")!.Value, Written(plan, id).Element("group")!.Attribute("id")!.Value)));
        Assert.Equal(NodeCommands.HandOverUnits(["ctdb", "smb", "nmb", "winbind", "nfs-ganesha"]), plan.Steps.Single(s => s.Id == "hand-over-units").Argv);
    }

    [Fact]
    public void NodesThatDisagreeOnSystemd_OrLackPackages_BlockThePlan_SayingWhatToDo()
    {
        var spec = SpecExamples.ThreeNodes();
        var facts = SpecExamples.FactsFor(spec).ToDictionary();
        facts["node2"] = facts["node2"] with { InitProcess = "systemd" };
        facts["node3"] = SpecExamples.Facts("192.0.2.13", packages: ["pacemaker", "pcs", "corosync", "resource-agents"]);
        var plan = PlanBuilder.Build(spec, facts);
        Assert.Contains(plan.Blockers, b => b.Contains("some nodes run systemd and some do not", StringComparison.Ordinal));
        Assert.Contains("node3 lacks ctdb, samba, samba-vfs-modules, smbclient, nfs-ganesha: " +
            "run `apt-get install -y ctdb samba samba-vfs-modules smbclient nfs-ganesha nfs-ganesha-vfs`", plan.Blockers);
    }

    [Fact]
    public void WithoutFencing_TheBatchTurnsStonithOff_WithTheUnsafeWarningOnTheStepAndThePlan()
    {
        var spec = SpecExamples.ThreeNodes();
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        var properties = Cib(plan, "properties");
        Assert.Equal(["stonith-enabled=false", "no-quorum-policy=stop"], Pairs(((EditCib)properties.Action).Written!, "cluster_property_set"));
        Assert.Equal(CibBatch.NoFencingWarning, properties.Warning);
        Assert.Contains(CibBatch.NoFencingWarning, plan.Warnings);
    }

    [Fact]
    public void WithAFenceDevice_StonithIsOn_AndTheDeviceCoversItsNodes()
    {
        var spec = SpecExamples.ThreeNodes() with
        {
            Fencing = new() { Devices = [new() { Name = "virsh", Agent = "fence_virsh", Options = new Dictionary<string, string> { ["username"] = "f", ["ip"] = "192.0.2.1" }, Nodes = ["node1", "node2", "node3"] }] },
        };
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        Assert.Contains("stonith-enabled=true", Pairs(Written(plan, "properties"), "cluster_property_set"));
        Assert.Equal(["pcs", "-f", "cib.xml", "stonith", "create", "fence-virsh", "fence_virsh", "ip=192.0.2.1", "username=f", "password=lrm://", "pcmk_host_list=node1 node2 node3"],
            Cib(plan, "fence-virsh").Argv);
        Assert.DoesNotContain(CibBatch.NoFencingWarning, plan.Warnings);
    }

    [Fact]
    public void Ctdb_LeavesSambaToPacemaker_AndHoldsItsRecoveryLockOnTheSharedState()
    {
        var spec = SpecExamples.ThreeNodes();
        var ctdb = Pairs(Written(PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)), "ctdb")).ToList();
        Assert.Contains("ctdb_manages_samba=no", ctdb);
        Assert.Contains("ctdb_manages_winbind=no", ctdb);
        Assert.Contains("ctdb_recovery_lock=/srv/state/ctdb/reclock", ctdb);
    }

    [Fact]
    public void EveryVip_GetsThePlacementPlansScores_AndStickinessZero()
    {
        var spec = SpecExamples.ThreeNodes(4);
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        var placement = StorageHa.Shared.Placement.VipPlacement.Plan(["node1", "node2", "node3"], spec.VirtualIps.Select(v => v.Address));
        foreach (var vip in placement.Vips)
        {
            var id = ResourceIds.Vip(vip.Vip);
            Assert.Equal(["resource-stickiness=0"], Pairs(Written(plan, id), "meta_attributes"));
            Assert.Equal(vip.Scores.Select(s => $"{id} {s.Node}={s.Score}"), Written(plan, id + "-placement").Elements("rsc_location")
                .Select(l => $"{l.Attribute("rsc")!.Value} {l.Attribute("node")!.Value}={l.Attribute("score")!.Value}"));
        }
    }

    [Fact]
    public void TwoNodes_RunCorosyncWithTwoNode()
    {
        var spec = SpecExamples.ThreeNodes() with { Nodes = SpecExamples.ThreeNodes().Nodes.Take(2).ToArray() };
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        Assert.Contains("two_node: 1", plan.Steps.Single(s => s.Id == "corosync-conf").Input!.Text);
    }

    [Fact]
    public void Ipv6Vips_HaveIdsWithoutColons()
    {
        Assert.Equal("vip-fd00--101", ResourceIds.Vip("fd00:0:0::101"));
        Assert.Equal("vip-192.0.2.101", ResourceIds.Vip("192.0.2.101"));
    }

    [Theory]
    [InlineData("vip-192.0.2.101", "192.0.2.101")]
    [InlineData("vip-fd00--101", "fd00::101")]
    [InlineData("vip1", null)]
    [InlineData("vip-192.0.2", null)]
    [InlineData("tickle-192.0.2.101", null)]
    public void AVipsId_GivesBackItsAddress_OnlyWhenThePlanMadeItFromOne(string id, string? address) =>
        Assert.Equal(address, ResourceIds.VipAddress(id));

    [Fact]
    public void Shares_GoToTheRegistry_AfterTheBatchIsPushedAndCtdbIsHealthy()
    {
        var spec = SpecExamples.ThreeNodes();
        var ids = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)).Steps.Select(s => s.Id).ToList();
        Assert.True(ids.IndexOf("cib-push") < ids.IndexOf("ctdb-healthy"));
        Assert.True(ids.IndexOf("ctdb-healthy") < ids.IndexOf("share-data"));
        Assert.True(ids.IndexOf("quorum") < ids.IndexOf("cib-fetch"));
    }
}
