using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

public sealed class ClusterDiffTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 53, 0, TimeSpan.Zero);

    private static readonly ClusterState Healthy = LiveSnapshots.Healthy;

    public static TheoryData<string, ClusterState, ClusterState, ClusterEvent[]> Changes => new()
    {
        { "nothing changed", Healthy, Healthy, [] },
        {
            "node left", Healthy, Healthy.WithNode("node1", n => n with { Online = false }),
            [new NodeLeft(At, "node1")]
        },
        {
            "node joined", Healthy.WithNode("node1", n => n with { Online = false }), Healthy,
            [new NodeJoined(At, "node1")]
        },
        {
            "node standby", Healthy, Healthy.WithNode("node2", n => n with { Standby = true }),
            [new NodeStandby(At, "node2")]
        },
        {
            "node back from standby", Healthy.WithNode("node2", n => n with { Standby = true }), Healthy,
            [new NodeUnstandby(At, "node2")]
        },
        {
            "resource stopped", Healthy, Healthy.WithResource("vip1"),
            [new ResourceStopped(At, "vip1", "ocf:heartbeat:IPaddr2", "node2")]
        },
        {
            "resource started", Healthy.WithResource("vip1"), Healthy,
            [new ResourceStarted(At, "vip1", "ocf:heartbeat:IPaddr2", "node2")]
        },
        {
            "resource moved", Healthy, Healthy.WithResource("vip2", "node1"),
            [new ResourceMoved(At, "vip2", "ocf:heartbeat:IPaddr2", "node3", "node1")]
        },
        {
            "quorum lost", Healthy, Healthy.WithSummary(s => s with { HasQuorum = false }),
            [new QuorumLost(At)]
        },
        {
            "quorum regained", Healthy.WithSummary(s => s with { HasQuorum = false }), Healthy,
            [new QuorumRegained(At)]
        },
        {
            "DC changed", Healthy, Healthy.WithSummary(s => s with { DcName = "node1", DcId = "1" }),
            [new DcChanged(At, "node3", "node1")]
        },
        {
            "DC lost", Healthy, Healthy.WithSummary(s => s with { DcPresent = false, DcName = null, HasQuorum = false }),
            [new QuorumLost(At), new DcChanged(At, "node3", null)]
        },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Diff_GivesOneTypedEventPerChange(string change, ClusterState previous, ClusterState current, ClusterEvent[] expected)
    {
        Assert.True(expected.SequenceEqual(ClusterDiff.Between(previous, current, At)), change);
    }

    [Fact]
    public void NewFailure_IsResourceFailed_WithTheAgentsReason()
    {
        var failed = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-failed-dummy.xml"));

        var events = ClusterDiff.Between(Healthy, failed, At);

        var failure = Assert.Single(events.OfType<ResourceFailed>());
        Assert.Equal(("dummy1", "node1", "ocf:pacemaker:Dummy"), (failure.Resource, failure.Node, failure.Agent));
        Assert.Equal("Simulated failure", failure.Failure.ExitReason);
        Assert.Equal("dummy1 failed on node1: asyncmon error (Simulated failure)", failure.Description);
        // The same snapshot also shows a new resource, web, started on node2.
        Assert.Equal([new ResourceStarted(At, "web", "ocf:pacemaker:Dummy", "node2")], events.OfType<ResourceStarted>());
        Assert.Empty(ClusterDiff.Between(failed, failed, At));
    }

    [Fact]
    public void NewFenceHistoryEntry_IsAFencingEvent()
    {
        var fence = new FenceAction
        {
            Target = "node1", Action = "reboot", Status = FenceStatus.Success, Delegate = "node2",
            Client = "pacemaker-controld.1234", Origin = "node3", Completed = "2026-11-26 10:53:00Z",
        };
        var fenced = Healthy with { FenceHistory = [fence] };

        var events = ClusterDiff.Between(Healthy, fenced, At);

        Assert.Equal([new FencingEvent(At, fence)], events);
        Assert.Equal("Fencing: node2 fenced node1 (reboot, asked by the cluster on node3)", events[0].Description);
    }

    [Fact]
    public void PromotionInPlace_IsARoleChange()
    {
        var before = Healthy with { Resources = [Promotable(("node1", ResourceRole.Promoted), ("node2", ResourceRole.Unpromoted))] };
        var after = Healthy with { Resources = [Promotable(("node1", ResourceRole.Unpromoted), ("node2", ResourceRole.Promoted))] };

        var events = ClusterDiff.Between(before, after, At);

        Assert.Equal(
            [
                new ResourceRoleChanged(At, "db", "ocf:pacemaker:Stateful", "node1", ResourceRole.Promoted, ResourceRole.Unpromoted),
                new ResourceRoleChanged(At, "db", "ocf:pacemaker:Stateful", "node2", ResourceRole.Unpromoted, ResourceRole.Promoted),
            ],
            events);
    }

    [Fact]
    public void CloneCopyLosingItsNode_IsAStopOnThatNodeOnly()
    {
        var before = Healthy with { Resources = [Promotable(("node1", ResourceRole.Started), ("node2", ResourceRole.Started), ("node3", ResourceRole.Started))] };
        var after = Healthy with { Resources = [Promotable(("node1", ResourceRole.Started), ("node3", ResourceRole.Started))] };

        Assert.Equal([new ResourceStopped(At, "db", "ocf:pacemaker:Stateful", "node2")], ClusterDiff.Between(before, after, At));
    }

    [Fact]
    public void NodeCrash_GivesCauseBeforeEffect_AndTheFirstSnapshotGivesNone()
    {
        var crashed = Healthy
            .WithNode("node1", n => n with { Online = false, Unclean = true })
            .WithResource("vip3", "node2")
            .WithResource("dummy1");

        var events = ClusterDiff.Between(Healthy, crashed, At);

        Assert.Equal(
            [
                new NodeLeft(At, "node1"),
                new ResourceStopped(At, "dummy1", "ocf:pacemaker:Dummy", "node1"),
                new ResourceMoved(At, "vip3", "ocf:heartbeat:IPaddr2", "node1", "node2"),
            ],
            events);
        Assert.Equal("vip3 moved node1 → node2", events[2].Description);
        Assert.Empty(ClusterDiff.Between(null, crashed, At));
    }

    private static CloneSet Promotable(params (string Node, ResourceRole Role)[] copies) => new()
    {
        Id = "db-clone",
        Promotable = true,
        Instances = copies.Select(c => (ClusterResource)new PrimitiveResource
        {
            Id = "db", Agent = "ocf:pacemaker:Stateful", Role = c.Role, Active = true, Nodes = [c.Node],
        }).ToValueList(),
    };
}
