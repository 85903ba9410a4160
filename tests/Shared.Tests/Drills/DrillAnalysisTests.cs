using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;
using static StorageHa.Shared.Tests.Drills.DrillFixtures;

namespace StorageHa.Shared.Tests.Drills;

/// <summary>A drill's report computed from what the console saw: the stages' times, the clients' outage per VIP, service and phase, and the tickle's effect.</summary>
public sealed class DrillAnalysisTests
{
    private const string Smb = "no answer within 1.0 s";

    // VIP 10.99.0.100 moved node1 → node3 (asked at 10.0) and back (asked at 14.0); 10.99.0.101 stays on node2.
    private static DrillReport VipDrill()
    {
        var report = new DrillReport { Id = 7, ClusterId = 1, ClusterName = "sdnas", Target = DrillTarget.Vip(Vip1), StartedBy = "olga", StartedAt = At(9.9) };
        var vip = "vip-" + Vip1;
        var tickle = "tickle-" + Vip1;
        ClusterEvent[] events =
        [
            new ResourceStopped(At(10.9), tickle, "ocf:storageha:tickle", "node1"),
            new ResourceMoved(At(11.2), vip, "ocf:heartbeat:IPaddr2", "node1", "node3"),
            new ResourceStarted(At(11.9), tickle, "ocf:storageha:tickle", "node3"),
            new NodeStandby(At(12.0), "node9"), // not a resource event: no stage
            new ResourceMoved(At(14.9), vip, "ocf:heartbeat:IPaddr2", "node3", "node1"),
            new ResourceMoved(At(15.0), tickle, "ocf:storageha:tickle", "node3", "node1"),
        ];
        ServiceTransition T(string v, FileService s, ServingState state, double at, string? why = null) => new(v, s, state, At(at), why);
        ServiceTransition[] series =
        [
            T(Vip1, FileService.Smb, ServingState.Served, 0), T(Vip1, FileService.Smb, ServingState.NotServed, 10.3, Smb), T(Vip1, FileService.Smb, ServingState.Served, 12.1),
            T(Vip1, FileService.Smb, ServingState.NotServed, 14.2, "connection refused"), T(Vip1, FileService.Smb, ServingState.Served, 15.3),
            T(Vip1, FileService.Nfs, ServingState.Served, 0), T(Vip1, FileService.Nfs, ServingState.NotServed, 10.5, "connection refused"), T(Vip1, FileService.Nfs, ServingState.Served, 12.4),
            T(Vip2, FileService.Smb, ServingState.Served, 0), T(Vip2, FileService.Nfs, ServingState.Served, 0),
        ];
        HeldConnectionEnd[] ends =
        [
            new(Vip1, FileService.Smb, ConnectionEnd.TimedOut, At(10.3), Smb),
            new(Vip1, FileService.Nfs, ConnectionEnd.Reset, At(10.5), "the held connection was reset"),
            new(Vip1, FileService.Smb, ConnectionEnd.Reset, At(14.2), "the held connection was reset"),
            new(Vip1, FileService.Smb, ConnectionEnd.TimedOut, At(20.0), Smb), // after the drill: not its
        ];
        var seen = new DrillObservations(
            [new DrillPhaseRun(DrillPhase.Away, At(10.0), "node2", At(13.5)), new DrillPhaseRun(DrillPhase.Back, At(14.0), "node2", At(16.8))],
            events, series, ends,
            DrillAnalysis.Placement(Healthy(), [Vip1, Vip2]), DrillAnalysis.Placement(Healthy(vip1On: "node3"), [Vip1, Vip2]),
            DrillAnalysis.Placement(Healthy(), [Vip1, Vip2]), At(17.0));
        return DrillAnalysis.Compute(report, seen);
    }

    [Fact]
    public void TheClientsOutage_IsPerVipServiceAndPhase_FromTheFirstFailedProbeToTheFirstServedAnswer()
    {
        var report = VipDrill();
        Assert.Equal(1.8, report.OutageOf(Vip1, FileService.Smb, DrillPhase.Away)!.Outage!.Value.TotalSeconds, 3);
        Assert.Equal(1.9, report.OutageOf(Vip1, FileService.Nfs, DrillPhase.Away)!.Outage!.Value.TotalSeconds, 3);
        Assert.Equal(1.1, report.OutageOf(Vip1, FileService.Smb, DrillPhase.Back)!.Outage!.Value.TotalSeconds, 3);
        Assert.Equal(ClientView.ServedThroughout, report.OutageOf(Vip1, FileService.Nfs, DrillPhase.Back)!.View);
        Assert.All(report.Vips.Single(v => v.Vip == Vip2).Services, s => Assert.Equal(ClientView.ServedThroughout, s.Outage!.View));
    }

    [Fact]
    public void TheTickleEffect_IsHowTheProbesHeldConnectionEnded_Reset_OrWaitedForItsTimeout()
    {
        var services = VipDrill().Vips.Single(v => v.Vip == Vip1).Services;
        Assert.Equal(
        [
            (DrillPhase.Away, FileService.Smb, TickleEffect.Waited, Smb),
            (DrillPhase.Away, FileService.Nfs, TickleEffect.Reset, "the held connection was reset"),
            (DrillPhase.Back, FileService.Smb, TickleEffect.Reset, "the held connection was reset"),
            (DrillPhase.Back, FileService.Nfs, TickleEffect.NotSeen, null),
        ], services.Select(s => (s.Phase, s.Service, s.Tickle, s.TickleDetail)).OrderBy(s => s.Phase).ThenBy(s => s.Service));
    }

    [Fact]
    public void TheStages_AreEachMovesStopStartTickleAndFirstServedAnswer_InTimeOrder()
    {
        var stages = VipDrill().Stages.Select(s => (s.At - T0).TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " " + s.Description);
        Assert.Equal(
        [
            "10.0 Away: the command ran on node2",
            "11.2 10.99.0.100 stopped on node1",
            "11.2 10.99.0.100 started on node3",
            "11.9 Tickle agent of 10.99.0.100 started on node3",
            "12.1 Smb served through 10.99.0.100 again",
            "12.4 Nfs served through 10.99.0.100 again",
            "13.5 Away: settled",
            "14.0 Back: the command ran on node2",
            "14.9 10.99.0.100 stopped on node3",
            "14.9 10.99.0.100 started on node1",
            "15.0 Tickle agent of 10.99.0.100 started on node1",
            "15.3 Smb served through 10.99.0.100 again",
            "16.8 Back: settled",
        ], stages);
    }

    [Fact]
    public void ThePlacement_IsEachVipsNodeBeforeDuringAndAfter()
    {
        var vips = VipDrill().Vips;
        Assert.Equal(new (string, string?, string?, string?, bool)[] { (Vip1, "node1", "node3", "node1", true), (Vip2, "node2", "node2", "node2", false) },
            vips.Select(v => (v.Vip, v.Before, v.During, v.After, v.Moved)));
    }

    [Fact]
    public void WhileTheDrillRuns_AnOutageNotEndedYet_IsOpen_AndTheLastStageReachedIsKnown()
    {
        var report = new DrillReport { Target = DrillTarget.Vip(Vip1), StartedAt = At(9.9) };
        var seen = new DrillObservations([new DrillPhaseRun(DrillPhase.Away, At(10.0))],
            [new ResourceMoved(At(11.2), "vip-" + Vip1, "ocf:heartbeat:IPaddr2", "node1", "node3")],
            [new(Vip1, FileService.Smb, ServingState.Served, At(0)), new(Vip1, FileService.Smb, ServingState.NotServed, At(10.3), Smb)],
            [], DrillAnalysis.Placement(Healthy(), [Vip1]), new Dictionary<string, string?>(), new Dictionary<string, string?>(), At(11.5));
        var live = DrillAnalysis.Compute(report, seen);
        Assert.True(live.OutageOf(Vip1, FileService.Smb, DrillPhase.Away)!.Open);
        Assert.Equal(DrillStageKind.Started, live.Reached!.Kind);
    }
}
