using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>
/// The plan on systemd servers as `apt install` leaves them: Debian's own one-node cluster running, Samba and Ganesha
/// enabled units. Each test is one of the ways the console failed on such servers before it knew them.
/// </summary>
public sealed class SystemdServerPlanTests
{
    private static readonly ClusterSpec Spec = SpecExamples.ThreeNodes();

    /// <summary>A freshly installed Debian 12 server, as the probe reads it.</summary>
    private static NodeFacts FreshDebian(string address) => SpecExamples.Facts(address, init: "systemd") with
    {
        ExistingCluster = new("debian", ["127.0.0.1"], PackageDefault: true, Running: true, HasCib: true, NodesConfigured: 1, ResourcesConfigured: 0),
        Units =
        [
            new("corosync", "enabled", true, false), new("pacemaker", "enabled", true, false), new("pcsd", "enabled", true, false),
            new("ctdb", "disabled", false, false), new("smbd", "enabled", true, false), new("nmbd", "enabled", true, false),
            new("winbind", "not-found", false, false), new("nfs-ganesha", "enabled", true, false),
        ],
    };

    private static IReadOnlyDictionary<string, NodeFacts> FreshServers(ClusterSpec spec) =>
        spec.Nodes.ToDictionary(n => n.Name, n => FreshDebian(n.Address));

    private static List<string> Order(Plan plan) => plan.Steps.Select(s => s.Id).ToList();

    [Fact]
    public void ThePackagesOwnCluster_IsEndedFirst_BeforeAnyFileOrServiceIsTouched()
    {
        var plan = PlanBuilder.Build(Spec, FreshServers(Spec));

        Assert.Empty(plan.Blockers);
        Assert.Equal(["software", "replace-default-cluster"], Order(plan).Take(2));
        var replace = plan.Steps[1];
        Assert.Equal(StepTarget.AllNodes, replace.Target);
        Assert.Equal(NodeCommands.ReplaceDefaultCluster, replace.Argv);
        Assert.Equal(NodeCommands.NoDefaultCluster, Assert.IsType<CommandCheck>(replace.Action.Check).Argv);
        Assert.Contains("'debian'", replace.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ANodeInNoClusterOrInThisOne_NeedsNoReplacing()
    {
        var ours = FreshServers(Spec).ToDictionary(f => f.Key, f => f.Value with
        {
            ExistingCluster = new(Spec.Name, ["192.0.2.11", "192.0.2.12", "192.0.2.13"], false, true, true, 3, 12),
        });
        var bare = FreshServers(Spec).ToDictionary(f => f.Key, f => f.Value with { ExistingCluster = null });
        // The package's file with no CIB and nothing running (installed with services off): nothing to end.
        var neverRun = FreshServers(Spec).ToDictionary(f => f.Key, f => f.Value with
        {
            ExistingCluster = f.Value.ExistingCluster! with { Running = false, HasCib = false, NodesConfigured = null, ResourcesConfigured = null },
        });

        foreach (var facts in new[] { ours, bare, neverRun })
        {
            var plan = PlanBuilder.Build(Spec, facts);
            Assert.Empty(plan.Blockers);
            Assert.DoesNotContain("replace-default-cluster", Order(plan));
        }
    }

    [Fact]
    public void SomeoneElsesCluster_BlocksThePlan_NamingWhatWasFound()
    {
        var facts = FreshServers(Spec).ToDictionary();
        facts["node2"] = facts["node2"] with { ExistingCluster = new("prod", ["10.1.0.1", "10.1.0.2"], false, true, true, 2, 3) };
        // Debian's default file, but someone added a resource to that cluster: in use, not the package's any more.
        facts["node3"] = facts["node3"] with { ExistingCluster = facts["node3"].ExistingCluster! with { ResourcesConfigured = 1 } };

        var plan = PlanBuilder.Build(Spec, facts);

        Assert.Contains(plan.Blockers, b => b.StartsWith("node2 is already set up for cluster 'prod' (2 node(s) in corosync.conf, 3 resource(s) configured, running)", StringComparison.Ordinal)
            && b.Contains("changes nothing on node2", StringComparison.Ordinal) && b.Contains("pcs cluster destroy", StringComparison.Ordinal));
        Assert.Contains(plan.Blockers, b => b.StartsWith("node3 is already set up for cluster 'debian' (1 node(s) in corosync.conf, 1 resource(s) configured", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Blockers, b => b.StartsWith("node1", StringComparison.Ordinal));
    }

    [Fact]
    public void UntilTheClusterStands_SambaAndGaneshaKeepTheirUnitsAndFiles_SoAFailedApplyLeavesThemServing()
    {
        var plan = PlanBuilder.Build(Spec, FreshServers(Spec));
        var order = Order(plan);
        var quorum = order.IndexOf("quorum");

        Assert.All(["smb-conf", "ganesha-conf-node1", "ganesha-conf-node2", "ganesha-conf-node3", "hand-over-units"], id => Assert.True(order.IndexOf(id) > quorum, id));
        Assert.True(order.IndexOf("hand-over-units") < order.IndexOf("cib-fetch"));
        Assert.DoesNotContain(plan.Steps.Take(quorum), s => s.Action is WriteFile w && w.Path is ConfigFiles.SmbConfPath or ConfigFiles.GaneshaConfPath);
    }

    [Fact]
    public void EverySambaUnit_IsHandedOver_NmbdToo_WhenNetBiosIsOff_SoNoneFailsAtBoot()
    {
        var plan = PlanBuilder.Build(Spec with { NetBios = false }, FreshServers(Spec));

        var handOver = plan.Steps.Single(s => s.Id == "hand-over-units");
        Assert.Equal(NodeCommands.HandOverUnits(["ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha"]), handOver.Argv);
        Assert.Equal(NodeCommands.UnitsHandedOver(["ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha"]), Assert.IsType<CommandCheck>(handOver.Action.Check).Argv);
    }

    [Fact]
    public void CorosyncAndPacemaker_StartAtBoot_SoARebootedNodeRejoinsByItself()
    {
        var plan = PlanBuilder.Build(Spec, FreshServers(Spec));
        var order = Order(plan);

        var atBoot = plan.Steps.Single(s => s.Id == "cluster-at-boot");
        Assert.Equal(NodeCommands.EnableAtBoot(["corosync", "pacemaker"]), atBoot.Argv);
        Assert.Equal(StepTarget.AllNodes, atBoot.Target);
        Assert.Equal(order.IndexOf("start-cluster") + 1, order.IndexOf("cluster-at-boot"));
        // Without systemd there is nothing to enable: the namespace lab's nodes start the cluster themselves.
        Assert.DoesNotContain("cluster-at-boot", Order(PlanBuilder.Build(Spec, SpecExamples.FactsFor(Spec))));
    }

    [Fact]
    public void Teardown_GivesTheServerBackItsFilesAndUnits_SoItBootsAsBefore()
    {
        var plan = LifecyclePlans.Teardown(Spec, FreshServers(Spec));
        var order = Order(plan);

        Assert.Equal(["stop-cluster", "forget-cluster-state", "restore-files", "give-back-units"], order.TakeLast(4));
        Assert.Equal(NodeCommands.ForgetClusterState, plan.Steps.Single(s => s.Id == "forget-cluster-state").Argv);
        var restore = plan.Steps.Single(s => s.Id == "restore-files");
        Assert.Equal(ConfigFiles.OriginalsDirectory, restore.Argv[4]);
        Assert.Contains(ConfigFiles.SmbConfPath, restore.Argv);
        Assert.Contains(ConfigFiles.GaneshaConfPath, restore.Argv);
        Assert.Contains(ConfigFiles.CorosyncConfPath, restore.Argv);
        Assert.Equal(NodeCommands.GiveBackUnits, plan.Steps.Single(s => s.Id == "give-back-units").Argv);
    }

    [Fact]
    public void ARemovedNode_IsGivenBackToo_WithoutTheClustersCib_SoItStartsNoneOfItsResourcesAtItsNextBoot()
    {
        var plan = LifecyclePlans.RemoveNode(Spec, "node3", FreshServers(Spec));

        Assert.Equal(["standby", "stop-cluster", "forget-cluster-state", "restore-files", "give-back-units"], Order(plan).Take(5));
        Assert.All(plan.Steps.Skip(1).Take(4), s => Assert.Equal(StepTarget.On("node3"), s.Target));
        // Its node helper stays (harmless there); a teardown removes it with everything else.
        Assert.DoesNotContain(NodeHelperFiles.Binary, plan.Steps.Single(s => s.Id == "restore-files").Argv);
        Assert.Contains(NodeHelperFiles.Binary, LifecyclePlans.Teardown(Spec, FreshServers(Spec)).Steps.Single(s => s.Id == "restore-files").Argv);
    }

    [Fact]
    public void AJoiningNode_GetsItsServiceFilesAndHandsOverItsUnits_BeforeItStartsTheCluster()
    {
        var four = Spec with { Nodes = [.. Spec.Nodes, new NodeSpec { Name = "node4", Address = "192.0.2.14", Number = 4 }] };
        var plan = LifecyclePlans.AddNode(four, "node4", FreshServers(four));
        var order = Order(plan);

        var start = order.IndexOf("start-cluster");
        Assert.All(["smb-conf", "ganesha-conf-node4", "hand-over-units"], id => Assert.True(order.IndexOf(id) < start, id));
        Assert.True(order.IndexOf("replace-default-cluster") < order.IndexOf("corosync-conf"));
    }
}
