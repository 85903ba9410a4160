using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>
/// Failovers from a sequence built by editing the live 2.1.5 healthy snapshot (node1 crashes: vip3 stops, then
/// starts on node2); a recording of the real lab replaces it when the dashboard work adds one.
/// </summary>
public sealed class FailoverTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 53, 0, TimeSpan.Zero);

    [Fact]
    public void NodeCrash_IsOneFailover_FromTheNodeLeavingToItsVipRunningElsewhere()
    {
        var healthy = LiveSnapshots.Healthy;
        var nodeGone = healthy.WithNode("node1", n => n with { Online = false, Unclean = true });
        var vipStopped = nodeGone.WithResource("vip3").WithResource("dummy1");
        var vipElsewhere = vipStopped.WithResource("vip3", "node2").WithResource("dummy1", "node3");
        var fenced = vipElsewhere.WithNode("node1", n => n with { Unclean = false });
        var tracker = new FailoverTracker(healthy);

        var finished = Feed(tracker, (healthy, T0), (nodeGone, T0.AddSeconds(1)), (vipStopped, T0.AddSeconds(2)),
            (vipElsewhere, T0.AddSeconds(4.5)), (fenced, T0.AddSeconds(6)));

        var failover = Assert.Single(finished);
        Assert.Equal(T0.AddSeconds(1), failover.Start);
        Assert.Equal(T0.AddSeconds(4.5), failover.End);
        Assert.Equal(TimeSpan.FromSeconds(3.5), failover.Duration);
        Assert.Equal(new NodeLeft(T0.AddSeconds(1), "node1"), failover.Trigger);
        Assert.Equal("node1", failover.TriggerNode);
        var outage = Assert.Single(failover.VipOutages);
        Assert.Equal(new VipOutage("vip3", "node1", "node2", T0.AddSeconds(1), T0.AddSeconds(4.5)), outage);
        Assert.Equal(TimeSpan.FromSeconds(3.5), outage.Outage);
        Assert.Equal(
            ["node1 left the cluster", "dummy1 stopped on node1", "vip3 stopped on node1", "dummy1 started on node3", "vip3 started on node2"],
            failover.Events.Select(e => e.Description));
        Assert.Null(tracker.InProgress);
    }

    [Fact]
    public void FailoverInProgress_ShowsTheVipStillDown()
    {
        var healthy = LiveSnapshots.Healthy;
        var tracker = new FailoverTracker(healthy);

        Feed(tracker, (healthy, T0), (healthy.WithNode("node2", n => n with { Online = false }).WithResource("vip1"), T0.AddSeconds(1)));

        var open = tracker.InProgress!;
        Assert.Null(open.End);
        Assert.Null(open.Duration);
        Assert.Equal(new VipOutage("vip1", "node2", null, T0.AddSeconds(1), null), Assert.Single(open.VipOutages));
    }

    [Fact]
    public void VipMovedBetweenTwoSnapshots_IsAnOutageAsLongAsTheFailoverSawIt()
    {
        var healthy = LiveSnapshots.Healthy;
        var tracker = new FailoverTracker(healthy);

        var finished = Feed(tracker, (healthy, T0),
            (healthy.WithNode("node3", n => n with { Online = false }), T0.AddSeconds(1)),
            (healthy.WithNode("node3", n => n with { Online = false }).WithResource("vip2", "node1"), T0.AddSeconds(2)));

        var failover = Assert.Single(finished);
        Assert.Equal(new VipOutage("vip2", "node3", "node1", T0.AddSeconds(1), T0.AddSeconds(2)), Assert.Single(failover.VipOutages));
        Assert.Equal(TimeSpan.FromSeconds(1), failover.Duration);
    }

    [Fact]
    public void FailedVip_RestartedInPlace_IsAFailoverWithItsOutage()
    {
        var healthy = LiveSnapshots.Healthy;
        var failure = new ResourceFailure
        {
            OperationKey = "vip1_monitor_5000", Resource = "vip1", Node = "node2", Task = "monitor", IntervalMs = 5000,
            ExitStatus = "not running", ExitCode = 7, Status = "complete", Call = 12,
        };
        var failed = healthy.WithResource("vip1") with { Failures = [failure] };
        var restarted = healthy with { Failures = [failure] };
        var tracker = new FailoverTracker(healthy);

        var finished = Feed(tracker, (healthy, T0), (failed, T0.AddSeconds(1)), (restarted, T0.AddSeconds(1.5)));

        var failover = Assert.Single(finished);
        Assert.Equal(("vip1", "node2"), (failover.TriggerResource, failover.TriggerNode));
        Assert.Equal(new VipOutage("vip1", "node2", "node2", T0.AddSeconds(1), T0.AddSeconds(1.5)), Assert.Single(failover.VipOutages));
    }

    [Fact]
    public void NodeWithoutVips_Leaving_IsAFailoverWithoutOutage_AndOrdinaryChangesAreNone()
    {
        var healthy = LiveSnapshots.Healthy.WithResource("vip3", "node2");
        var tracker = new FailoverTracker(healthy);

        var finished = Feed(tracker, (healthy, T0),
            (healthy.WithResource("vip2", "node1"), T0.AddSeconds(1)),
            (healthy.WithResource("vip2", "node1").WithNode("node3", n => n with { Standby = true }), T0.AddSeconds(2)),
            (healthy.WithResource("vip2", "node1").WithNode("node3", n => n with { Online = false }), T0.AddSeconds(3)));

        var failover = Assert.Single(finished);
        Assert.Equal(T0.AddSeconds(3), failover.Start);
        Assert.Equal(TimeSpan.Zero, failover.Duration);
        Assert.Empty(failover.VipOutages);
    }

    [Fact]
    public void SecondNodeLeavingDuringAFailover_JoinsIt_AndItEndsWhenBothVipsRunAgain()
    {
        var healthy = LiveSnapshots.Healthy;
        var tracker = new FailoverTracker(healthy);
        var oneDown = healthy.WithNode("node1", n => n with { Online = false }).WithResource("vip3");
        var twoDown = oneDown.WithNode("node2", n => n with { Online = false }).WithResource("vip1");
        var vip3Back = twoDown.WithResource("vip3", "node3");
        var bothBack = vip3Back.WithResource("vip1", "node3");

        var finished = Feed(tracker, (healthy, T0), (oneDown, T0.AddSeconds(1)), (twoDown, T0.AddSeconds(2)),
            (vip3Back, T0.AddSeconds(3)), (bothBack, T0.AddSeconds(5)));

        var failover = Assert.Single(finished);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(5)), (failover.Start, failover.End!.Value));
        Assert.Equal(
            [
                new VipOutage("vip3", "node1", "node3", T0.AddSeconds(1), T0.AddSeconds(3)),
                new VipOutage("vip1", "node2", "node3", T0.AddSeconds(2), T0.AddSeconds(5)),
            ],
            failover.VipOutages);
    }

    private static List<Failover> Feed(FailoverTracker tracker, params (ClusterState State, DateTimeOffset At)[] snapshots)
    {
        var finished = new List<Failover>();
        for (var i = 1; i < snapshots.Length; i++)
            if (tracker.Observe(ClusterDiff.Between(snapshots[i - 1].State, snapshots[i].State, snapshots[i].At)) is { } failover)
                finished.Add(failover);
        return finished;
    }
}
