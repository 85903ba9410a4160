using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// A three-node cluster with two VIPs (10.99.0.100 on node1, 10.99.0.101 on node2) written as the plan names them, and
/// drills of it as the runner reports them: the first VIP moved to node3 and back, SMB reset by the tickle, NFS waiting.
/// </summary>
internal static class DrillReports
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    public const string Vip = "10.99.0.100";
    public const string OtherVip = "10.99.0.101";

    public static ClusterState State(string vipOn = "node1", string? offline = null) => new()
    {
        Summary = new ClusterSummary { HasQuorum = true, DcPresent = true, DcName = "node2" },
        Nodes = [.. new[] { "node1", "node2", "node3" }.Select(n => new ClusterNode { Name = n, Online = n != offline })],
        Resources =
        [
            new PrimitiveResource { Id = "vip-10.99.0.100", Agent = "ocf:heartbeat:IPaddr2", Role = ResourceRole.Started, Active = true, Nodes = [vipOn] },
            new PrimitiveResource { Id = "vip-10.99.0.101", Agent = "ocf:heartbeat:IPaddr2", Role = ResourceRole.Started, Active = true, Nodes = ["node2"] },
        ],
    };

    /// <summary>Every VIP service served, as the probes see a healthy cluster.</summary>
    public static IReadOnlyList<ServiceTransition> Served =>
        [.. new[] { Vip, OtherVip }.SelectMany(v => new[] { FileService.Smb, FileService.Nfs }.Select(s => new ServiceTransition(v, s, ServingState.Served, T0.AddMinutes(-5))))];

    public static ClusterSnapshot Snapshot(ClusterState state, IReadOnlyList<ServiceTransition>? serving = null) =>
        DashboardStates.Snapshot(1, "lab", state) with { Serving = serving ?? Served };

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static ClientOutage Out(FileService service, double from, double to) => new(Vip, service, ClientView.Outage, At(from), At(to));

    /// <summary>The stages the runner saw up to <paramref name="until"/> seconds after the start.</summary>
    public static IReadOnlyList<DrillStage> Stages(double until = double.MaxValue) =>
    [
        .. new DrillStage[]
        {
            new(DrillPhase.Away, DrillStageKind.Asked, At(0.1), Node: "node2"),
            new(DrillPhase.Away, DrillStageKind.Stopped, At(0.4), Vip, "node1"),
            new(DrillPhase.Away, DrillStageKind.Started, At(0.9), Vip, "node3"),
            new(DrillPhase.Away, DrillStageKind.TickleStarted, At(1.1), Vip, "node3"),
            new(DrillPhase.Away, DrillStageKind.Served, At(1.6), Vip, Service: FileService.Smb),
            new(DrillPhase.Away, DrillStageKind.Served, At(3.5), Vip, Service: FileService.Nfs),
            new(DrillPhase.Away, DrillStageKind.Settled, At(4.0)),
            new(DrillPhase.Back, DrillStageKind.Asked, At(5.0), Node: "node2"),
            new(DrillPhase.Back, DrillStageKind.Stopped, At(5.3), Vip, "node3"),
            new(DrillPhase.Back, DrillStageKind.Started, At(5.8), Vip, "node1"),
            new(DrillPhase.Back, DrillStageKind.TickleStarted, At(6.0), Vip, "node1"),
            new(DrillPhase.Back, DrillStageKind.Served, At(6.4), Vip, Service: FileService.Smb),
            new(DrillPhase.Back, DrillStageKind.Served, At(6.6), Vip, Service: FileService.Nfs),
            new(DrillPhase.Back, DrillStageKind.Settled, At(7.5)),
        }.Where(s => (s.At - T0).TotalSeconds <= until),
    ];

    /// <summary>A drill of 10.99.0.100 that completed: away SMB 1.4 s (reset), NFS 3.1 s (waited); back 1.2 s and 1.2 s.</summary>
    public static DrillReport Completed(long id = 7, DateTimeOffset? startedAt = null, double awaySmb = 1.4)
    {
        var shift = (startedAt ?? T0) - T0;
        var report = new DrillReport
        {
            Id = id, ClusterId = 1, ClusterName = "lab", Target = DrillTarget.Vip(Vip), StartedBy = "olga", StartedAt = T0, EndedAt = At(8.0),
            Outcome = DrillOutcome.Completed, AwayNode = "node3", Stages = Stages(), LeftoversChecked = true,
            Vips =
            [
                new DrillVipResult(Vip, "node1", "node3", "node1",
                [
                    new DrillServiceResult(DrillPhase.Away, FileService.Smb, Out(FileService.Smb, 0.2, 0.2 + awaySmb), TickleEffect.Reset, "connection reset by the VIP's node"),
                    new DrillServiceResult(DrillPhase.Away, FileService.Nfs, Out(FileService.Nfs, 0.4, 3.5), TickleEffect.Waited, "no answer within 1.0 s"),
                    new DrillServiceResult(DrillPhase.Back, FileService.Smb, Out(FileService.Smb, 5.2, 6.4), TickleEffect.Reset),
                    new DrillServiceResult(DrillPhase.Back, FileService.Nfs, Out(FileService.Nfs, 5.4, 6.6), TickleEffect.Closed),
                ]),
                new DrillVipResult(OtherVip, "node2", "node2", "node2",
                [
                    new DrillServiceResult(DrillPhase.Away, FileService.Smb, new ClientOutage(OtherVip, FileService.Smb, ClientView.ServedThroughout), TickleEffect.NotSeen),
                ]),
            ],
        };
        return shift == TimeSpan.Zero ? report : Shift(report, shift);
    }

    /// <summary>The same drill, <paramref name="by"/> later: every time moved alike.</summary>
    private static DrillReport Shift(DrillReport report, TimeSpan by) => report with
    {
        StartedAt = report.StartedAt + by, EndedAt = report.EndedAt + by,
        Stages = [.. report.Stages.Select(s => s with { At = s.At + by })],
        Vips = [.. report.Vips.Select(v => v with { Services = [.. v.Services.Select(s => s with
            { Outage = s.Outage is { } o ? o with { NotServedAt = o.NotServedAt + by, ServedAt = o.ServedAt + by } : null })] })],
    };

    /// <summary>The drill while it runs, as far as <paramref name="seconds"/> after its start.</summary>
    public static DrillReport Running(double seconds) => Completed() with
    {
        EndedAt = null, Outcome = DrillOutcome.Running, Stages = Stages(seconds), LeftoversChecked = false,
        // As the runner tells it while it runs: every VIP where it was before, not yet during or after, nothing measured.
        Vips = [.. new[] { (Vip, "node1"), (OtherVip, "node2") }.Select(v => new DrillVipResult(v.Item1, v.Item2, null, null, []))],
    };
}
