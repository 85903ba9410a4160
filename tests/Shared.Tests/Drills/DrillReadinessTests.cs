using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;
using static StorageHa.Shared.Tests.Drills.DrillFixtures;

namespace StorageHa.Shared.Tests.Drills;

/// <summary>A drill runs only on a healthy cluster whose every VIP service is served; otherwise it says every reason, in the admin's words.</summary>
public sealed class DrillReadinessTests
{
    private static IReadOnlyList<DrillObstacle> Check(ClusterState? state, IReadOnlyList<ServiceTransition>? serving = null, bool failover = false,
        DrillReport? running = null, DrillTarget? target = null) =>
        DrillReadiness.Check(state, serving ?? AllServed(), failover, running, target);

    [Fact]
    public void AHealthyClusterServedThroughEveryVip_IsReady()
    {
        Assert.Empty(Check(Healthy(), target: DrillTarget.Vip(Vip1)));
        Assert.Empty(Check(Healthy(), target: DrillTarget.Node("node2")));
    }

    [Fact]
    public void ANodeInStandby_IsAReason_NamingTheNode()
    {
        var state = Healthy() with { Nodes = [Node("node1"), Node("node2") with { Standby = true }, Node("node3")] };
        var reason = Assert.Single(Check(state));
        Assert.Equal(new DrillObstacle(DrillObstacleKind.NodeNotOnline, "node2 is standby: a drill needs every node online."), reason);
    }

    [Fact]
    public void EveryDegradationIsSaid_NotOnlyTheFirst()
    {
        var state = Healthy() with
        {
            Summary = new ClusterSummary { HasQuorum = false, MaintenanceMode = true },
            Nodes = [Node("node1"), Node("node2") with { Online = false }, Node("node3") with { Maintenance = true }, Node("node4") with { Unclean = true }],
            Failures = [new ResourceFailure { OperationKey = "smbd_monitor_10000", Resource = "smbd", Node = "node1", Task = "monitor", ExitReason = "not running" }],
        };
        var reasons = Check(state, failover: true).Select(r => r.Reason).ToList();
        Assert.Equal(
        [
            "A failover is under way: wait until it has completed.",
            "The cluster does not have quorum.",
            "The cluster is in maintenance mode: Pacemaker would not move anything.",
            "node2 is offline: a drill needs every node online.",
            "node3 is maintenance: a drill needs every node online.",
            "node4 is unclean: a drill needs every node online.",
            "smbd has a failed monitor on node1 (not running): clean it up first.",
        ], reasons);
    }

    [Fact]
    public void AStoppedVipOrResource_IsAReason()
    {
        var state = Healthy() with
        {
            Resources = [.. Healthy().Resources.Where(r => r.Id != "vip-" + Vip2), Primitive("vip-" + Vip2, "ocf:heartbeat:IPaddr2", null), Primitive("cluster-fs", "ocf:heartbeat:Filesystem", null)],
        };
        Assert.Equal(["VIP vip-10.99.0.101 is stopped: its clients are not served now.", "cluster-fs is stopped."],
            Check(state).Where(r => r.Kind == DrillObstacleKind.ResourceStopped).Select(r => r.Reason));
    }

    [Fact]
    public void AResourceAnAdminDisabled_IsNoReason()
    {
        var state = Healthy() with
        {
            Resources = [.. Healthy().Resources.Where(r => r.Id != "tickle-" + Vip1), Primitive("tickle-" + Vip1, "ocf:storageha:tickle", null) with { TargetRole = ResourceRole.Stopped }],
        };
        Assert.Empty(Check(state));
    }

    [Fact]
    public void AServiceTheProbesDoNotSeeServedNow_IsAReason_WithTheProbesOwnWords()
    {
        var serving = AllServed().Select(s => s.Vip == Vip2 && s.Service == FileService.Nfs ? s with { State = ServingState.NotServed, Reason = "connection refused" } : s).ToList();
        var reason = Assert.Single(Check(Healthy(), serving));
        Assert.Equal(new DrillObstacle(DrillObstacleKind.ServiceNotServed, "Nfs is not served through 10.99.0.101 now (connection refused)."), reason);
    }

    [Fact]
    public void ProbesThatCannotReachTheVips_OrNoProbesAtAll_AreReasons_ForNothingCouldBeMeasured()
    {
        var unreachable = AllServed().Select(s => s with { State = ServingState.Unreachable, Reason = "the console has no route to its network" }).ToList();
        Assert.All(Check(Healthy(), unreachable), r => Assert.Equal(DrillObstacleKind.ProbesCannotReach, r.Kind));
        Assert.Equal(4, Check(Healthy(), unreachable).Count);
        var none = Assert.Single(Check(Healthy(), []));
        Assert.Equal(DrillObstacleKind.NothingProbed, none.Kind);
    }

    [Fact]
    public void AnotherDrillRunning_IsAReason_NamingItsTargetAndWho()
    {
        var running = new DrillReport { Target = DrillTarget.Node("node3"), StartedBy = "olga", StartedAt = At(0) };
        var reason = Assert.Single(Check(Healthy(), running: running));
        Assert.Equal("Another drill is running (node node3, started by olga at 04:00:00 UTC).", reason.Reason);
    }

    [Fact]
    public void AStateNotReadYet_IsAReason()
    {
        Assert.Equal(DrillObstacleKind.StateUnknown, Assert.Single(Check(null)).Kind);
    }

    [Theory]
    [InlineData("10.99.0.200", null, "10.99.0.200 is not a VIP of this cluster (its VIPs: vip-10.99.0.100, vip-10.99.0.101)")]
    [InlineData(null, "node9", "'node9' is not a node of this cluster (its nodes: node1, node2, node3)")]
    public void AnUnknownTarget_IsAReason(string? vip, string? node, string reason)
    {
        var target = DrillTarget.From(vip, node);
        Assert.Equal(new DrillObstacle(DrillObstacleKind.Target, reason), Assert.Single(Check(Healthy(), target: target)));
    }

    [Fact]
    public void ANodeDrill_NeedsAnotherOnlineNode()
    {
        var alone = Healthy("node1", "node1") with { Nodes = [Node("node1")] };
        Assert.Equal("node1 is the only online node: its VIPs would have nowhere to go", Assert.Single(Check(alone, target: DrillTarget.Node("node1"))).Reason);
    }

    [Fact]
    public void AVipDrill_MovesTheVipToTheOnlineNodeWithFewestVips()
    {
        Assert.Equal("node3", DrillTarget.Vip(Vip1).AwayNode(Healthy()));
        Assert.Equal("node2", DrillTarget.Vip(Vip1).AwayNode(Healthy(vip2On: "node3")));
    }

    [Theory]
    [InlineData(null, null, "vip", "is required: the VIP's address to move, or (as \"node\") the node to put in standby")]
    [InlineData("10.99.0.100", "node1", "node", "a drill moves one VIP or one node: give \"vip\" or \"node\", not both")]
    [InlineData("10.99.0.300", null, "vip", "'10.99.0.300' is not a valid IPv4 address")]
    [InlineData(null, "node1;reboot", "node", "may contain only letters, digits and '-', and must start and end with a letter or digit")]
    public void ARequestNamingNeitherOrBoth_OrABadName_IsRefused_NamingTheField(string? vip, string? node, string field, string message)
    {
        var wrong = Assert.Throws<InvalidInputException>(() => DrillTarget.From(vip, node));
        Assert.Equal(new ValidationError(field, message), Assert.Single(wrong.Errors));
    }
}
