using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>
/// Fencing as a real Pacemaker 2.1.5 cluster reports it (three namespace nodes with fence_ipmilan and a BMC each, recorded
/// in the lab: Corpus/live-2.1.5/live-fence-*): node3 rebooted by hand from node2; then node3 crashed with its BMC gone,
/// the cluster's fence failed, an operator acknowledged node3 as off and fbvip started on node1.
/// </summary>
public sealed class FenceHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 20, 2, 0, TimeSpan.Zero);
    private const string FencerTimeout = "Fencing did not complete within a total timeout based on the configured timeout and retries for any devices attempted";

    private static ClusterState Read(string name) => CrmMonParser.Parse(Corpus.Read($"live-2.1.5/live-fence-{name}.xml"));

    [Fact]
    public void AFenceByHand_UnderWay_IsPending_WithoutDelegate_AndTheNodeShowsAsBeingFenced()
    {
        var state = Read("reboot-2-pending");

        var fence = Assert.Single(state.FenceHistory);
        Assert.Equal(("node3", "reboot", FenceStatus.Pending, null, "node2", false), (fence.Target, fence.Action, fence.Status, fence.Delegate, fence.Origin, fence.ByCluster));
        Assert.StartsWith("stonith_admin.", fence.Client);
        Assert.True(state.Node("node3")!.Online);
        Assert.Equal(new NodeFencing(fence, null), state.FencingOf("node3"));
        Assert.Equal(NodeFencing.None, state.FencingOf("node1"));
        Assert.Equal("reboot of node3 under way (asked by an operator on node2)", fence.Summary);
    }

    [Fact]
    public void AFenceThatSucceeded_NamesWhoRanIt_AndWhen_AndMarksTheNodeNoLonger()
    {
        var state = Read("reboot-3-done-node-off");

        var fence = Assert.Single(state.FenceHistory);
        Assert.Equal((FenceStatus.Success, "node2"), (fence.Status, fence.Delegate));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 20, 2, 15, TimeSpan.Zero), fence.CompletedTime);
        Assert.Equal("node2 fenced node3 (reboot, asked by an operator on node2)", fence.Summary);
        Assert.Equal(NodeFencing.None, state.FencingOf("node3"));
    }

    [Fact]
    public void AFenceThatFailed_CarriesTheFencersReason_AndTheNodeShowsBothTheFailureAndTheRetry()
    {
        var state = Read("failed-3-failed");

        var failed = Assert.Single(state.FenceHistory, f => f.Status == FenceStatus.Failed);
        Assert.Equal(("node3", "reboot", "node1", FencerTimeout, true), (failed.Target, failed.Action, failed.Origin, failed.ExitReason, failed.ByCluster));
        var retry = Assert.Single(state.FenceHistory, f => f.Status == FenceStatus.Pending);
        Assert.True(state.Node("node3")!.Unclean);
        Assert.Equal(new NodeFencing(retry, failed), state.FencingOf("node3"));
        Assert.Equal($"node1 could not fence node3 (reboot, asked by the cluster on node1): {FencerTimeout}", failed.Summary);
    }

    [Fact]
    public void AnAcknowledgement_IsASuccessfulOffByAHuman_AfterWhichALeftoverRequestDoesNotMarkTheNode()
    {
        var state = Read("failed-4-acknowledged");

        var acknowledged = Assert.Single(state.FenceHistory, f => f.Acknowledged);
        Assert.Equal(("off", FenceStatus.Success, "node1"), (acknowledged.Action, acknowledged.Status, acknowledged.Origin));
        Assert.Equal("an operator acknowledged node3 as off (asked by an operator on node1)", acknowledged.Summary);
        Assert.Contains(state.FenceHistory, f => f.Status == FenceStatus.Pending);
        Assert.False(state.Node("node3")!.Unclean);
        Assert.Equal(NodeFencing.None, state.FencingOf("node3"));
    }

    [Fact]
    public void AFailureReasonThatComesAndGoes_IsNotANewEntry()
    {
        var failed = Read("failed-3-failed");
        var withoutReason = failed with { FenceHistory = [.. failed.FenceHistory.Select(f => f with { ExitReason = null })] };

        Assert.Empty(ClusterDiff.Between(failed, withoutReason, T0));
    }

    [Fact]
    public void AFenceByHand_IsAFailoverOfItsOwn_FromTheFenceAskedToTheVipBack_WithTheFenceAndItsDuration()
    {
        var tracker = new FailoverTracker(Read("reboot-1-before"));

        var finished = Feed(tracker, ("reboot-1-before", T0), ("reboot-2-pending", T0.AddSeconds(2)),
            ("reboot-3-done-node-off", T0.AddSeconds(14)), ("reboot-4-node-back", T0.AddSeconds(22)));

        var failover = Assert.Single(finished);
        Assert.Equal("node3", failover.TriggerNode);
        Assert.IsType<FencingEvent>(failover.Trigger);
        var fence = Assert.Single(failover.Fences);
        Assert.Equal((FenceStatus.Success, "node2", T0.AddSeconds(2), T0.AddSeconds(14)), (fence.Fence.Status, fence.Fence.Delegate, fence.Since, fence.DoneAt));
        Assert.Equal(TimeSpan.FromSeconds(12), fence.Duration);
        Assert.Equal(new VipOutage("fbvip", "node3", "node3", T0.AddSeconds(14), T0.AddSeconds(22)), Assert.Single(failover.VipOutages));
    }

    [Fact]
    public void TheClustersOwnRequest_MergedIntoAFenceByHand_IsOneFence()
    {
        // Seen in the lab: node1 fenced by hand from node2; node1 leaving made the DC ask too, and the fencer merged the two.
        var byHand = new FenceAction { Target = "node1", Action = "reboot", Status = FenceStatus.Pending, Client = "stonith_admin.341", Origin = "node2" };
        var done = byHand with { Status = FenceStatus.Success, Delegate = "node2", Completed = "2026-12-06 20:51:19Z" };
        var merged = done with { Client = "pacemaker-controld.190" };
        var tracker = new FailoverTracker(new ClusterState());

        tracker.Observe([new FencingEvent(T0, byHand)]);
        var failover = tracker.Observe([new FencingEvent(T0.AddSeconds(14), done), new FencingEvent(T0.AddSeconds(14), merged)]);

        Assert.Equal(new FenceOutcome(done, T0, T0.AddSeconds(14)), Assert.Single(failover!.Fences));

        // Seen in a second run: the cluster's result read first; the one by hand still names who asked.
        var second = new FailoverTracker(new ClusterState());
        var again = second.Observe([new FencingEvent(T0, merged), new FencingEvent(T0, done)]);
        Assert.Equal(done, Assert.Single(again!.Fences).Fence);

        // On a loaded node the merged request's result can be stamped a second later; still one fence.
        var third = new FailoverTracker(new ClusterState());
        third.Observe([new FencingEvent(T0, byHand)]);
        var late = third.Observe([new FencingEvent(T0.AddSeconds(14), done), new FencingEvent(T0.AddSeconds(15), merged with { Completed = "2026-12-06 20:51:20Z" })]);
        Assert.Equal(done, Assert.Single(late!.Fences).Fence);
    }

    [Fact]
    public void TheSameNodeFencedAgain_LaterThanAMergeCouldBe_IsASecondFence()
    {
        var first = new FenceAction { Target = "node1", Action = "reboot", Status = FenceStatus.Success, Delegate = "node2", Client = "stonith_admin.341",
            Origin = "node2", Completed = "2026-12-06 20:51:19Z" };
        var again = first with { Client = "pacemaker-controld.190", Completed = "2026-12-06 20:51:31Z" };
        var tracker = new FailoverTracker(new ClusterState());

        var failover = tracker.Observe([new FencingEvent(T0, first), new FencingEvent(T0.AddSeconds(12), again)]);

        Assert.Equal([first, again], failover!.Fences.Select(f => f.Fence));
    }

    [Fact]
    public void ACrashedNodeWhoseFenceFails_KeepsItsFailoverOpen_UntilAcknowledged_ThenTheVipRunsElsewhere()
    {
        var tracker = new FailoverTracker(Read("failed-1-before-crash"));

        Assert.Empty(Feed(tracker, ("failed-1-before-crash", T0), ("failed-2-pending", T0.AddSeconds(10)), ("failed-3-failed", T0.AddSeconds(82))));
        var open = tracker.InProgress!;
        Assert.Equal("node3", open.TriggerNode);
        var failed = Assert.Single(open.Fences);
        Assert.Equal((FenceStatus.Failed, FencerTimeout, T0.AddSeconds(10), T0.AddSeconds(82)),
            (failed.Fence.Status, failed.Fence.ExitReason, failed.Since, failed.DoneAt));
        Assert.Equal(new VipOutage("fbvip", "node3", null, T0.AddSeconds(10), null), Assert.Single(open.VipOutages));

        var finished = Feed(tracker, ("failed-3-failed", T0.AddSeconds(82)), ("failed-4-acknowledged", T0.AddSeconds(190)),
            ("failed-5-recovered", T0.AddSeconds(200)));

        var failover = Assert.Single(finished);
        Assert.Equal(
            [(FenceStatus.Failed, false, (TimeSpan?)TimeSpan.FromSeconds(72)), (FenceStatus.Success, true, TimeSpan.FromSeconds(180))],
            failover.Fences.Select(f => (f.Fence.Status, f.Fence.Acknowledged, f.Duration)));
        Assert.Equal(new VipOutage("fbvip", "node3", "node1", T0.AddSeconds(10), T0.AddSeconds(200)), Assert.Single(failover.VipOutages));
        Assert.Null(tracker.InProgress);
    }

    private static List<Failover> Feed(FailoverTracker tracker, params (string Name, DateTimeOffset At)[] snapshots)
    {
        var finished = new List<Failover>();
        for (var i = 1; i < snapshots.Length; i++)
            if (tracker.Observe(ClusterDiff.Between(Read(snapshots[i - 1].Name), Read(snapshots[i].Name), snapshots[i].At)) is { } failover)
                finished.Add(failover);
        return finished;
    }
}
