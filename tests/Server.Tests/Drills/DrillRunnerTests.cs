using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Drills;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;
using static StorageHa.Server.Tests.Drills.FakeDrillCluster;

namespace StorageHa.Server.Tests.Drills;

/// <summary>The drill runner against a cluster in memory: it refuses a degraded cluster, and whatever fails it gives the cluster back.</summary>
public sealed class DrillRunnerTests : IAsyncLifetime
{
    private static readonly ClaimsPrincipal Olga = DrillsInMemory.Olga;
    private DrillsInMemory _drills = null!;
    private ClusterFeeds _feeds = null!;
    private FakeDrillCluster _cluster = null!;
    private DrillStore _store = null!;
    private DrillRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _drills = await DrillsInMemory.CreateAsync();
        (_feeds, _cluster, _store) = (_drills.Feeds, _drills.Cluster, _drills.Store);
        var options = new DrillOptions { PhaseLimit = TimeSpan.FromSeconds(2), RestoreLimit = TimeSpan.FromSeconds(2), ProbeDelay = TimeSpan.FromMilliseconds(50), Poll = TimeSpan.FromMilliseconds(10) };
        _runner = new DrillRunner(_feeds, _cluster, _store, options, TimeProvider.System, NullLogger<DrillRunner>.Instance);
    }

    private long Id => _cluster.ClusterId;

    private async Task<DrillReport> RunToTheEndAsync(DrillTarget target)
    {
        var started = await _runner.StartAsync(Id, target, Olga, CancellationToken.None);
        await _runner.Completion(Id)!.WaitAsync(TimeSpan.FromSeconds(20));
        return (await _store.GetAsync(Id, started.Id))!;
    }

    [Fact]
    public async Task AVipDrill_MovesItAwayAndBack_ClearsTheMove_AndReportsEachMovesOutage()
    {
        var report = await RunToTheEndAsync(DrillTarget.Vip(Vip1));

        Assert.True(report.Outcome == DrillOutcome.Completed, $"{report.Outcome}: {report.Failure}");
        Assert.Equal(["Move vip-10.99.0.100 to node3", "Move vip-10.99.0.100 to node1", "Clear the move of vip-10.99.0.100"], _cluster.Ran);
        Assert.Equal("node1", _cluster.WhereRuns(Vip1));
        Assert.Empty(_cluster.Constraints);
        Assert.True(report.LeftoversChecked);
        Assert.Empty(report.LeftoverConstraints);
        var vip = report.Vips.Single(v => v.Vip == Vip1);
        Assert.Equal(("node1", "node3", "node1"), (vip.Before, vip.During, vip.After));
        foreach (var phase in new[] { DrillPhase.Away, DrillPhase.Back })
            foreach (var service in new[] { FileService.Smb, FileService.Nfs })
            {
                Assert.Equal(0.04, report.OutageOf(Vip1, service, phase)!.Outage!.Value.TotalSeconds, 3);
                Assert.Equal(TickleEffect.Reset, vip.Services.Single(s => s.Phase == phase && s.Service == service).Tickle);
            }
        Assert.Equal(ClientView.ServedThroughout, report.OutageOf(Vip2, FileService.Smb, DrillPhase.Away)!.View);
        Assert.Contains(report.Stages, s => s is { Phase: DrillPhase.Away, Kind: DrillStageKind.Started, Node: "node3" });
        Assert.Equal("olga", report.StartedBy);
        Assert.Equal(DrillOutcome.Completed, _feeds.Snapshot(Id)!.Drill!.Outcome); // the live feed told the end
    }

    [Fact]
    public async Task AFailedMoveBack_FailsTheDrill_NamingTheStep_AndTheMoveIsStillCleared()
    {
        _cluster.Fails = op => op is MoveResource { Node: "node1" };

        var report = await RunToTheEndAsync(DrillTarget.Vip(Vip1));

        Assert.Equal(DrillOutcome.Failed, report.Outcome);
        Assert.Equal("move 10.99.0.100 back to node1", report.Failure!.Step);
        Assert.Contains("Error: simulated", report.Failure.Why, StringComparison.Ordinal);
        Assert.Equal("Clear the move of vip-10.99.0.100", _cluster.Ran[^1]);
        Assert.Equal("node1", _cluster.WhereRuns(Vip1));
        Assert.Empty(_cluster.Constraints);
    }

    [Fact]
    public async Task AMoveThatNeverHappens_FailsWithinItsLimit_AndIsCleared()
    {
        _cluster.IgnoresMoves = true;

        var report = await RunToTheEndAsync(DrillTarget.Vip(Vip1));

        Assert.Equal(DrillOutcome.Failed, report.Outcome);
        Assert.Equal("move 10.99.0.100 to node3", report.Failure!.Step);
        Assert.Equal("10.99.0.100 started on node3: not seen within 2 s", report.Failure.Why);
        Assert.Equal(["Move vip-10.99.0.100 to node3", "Clear the move of vip-10.99.0.100"], _cluster.Ran);
        Assert.Empty(_cluster.Constraints);
    }

    [Fact]
    public async Task AConstraintLeftInTheCib_FailsTheDrill_NamingIt()
    {
        _cluster.ClearLeavesConstraint = true;

        var report = await RunToTheEndAsync(DrillTarget.Vip(Vip1));

        Assert.Equal(DrillOutcome.Failed, report.Outcome);
        Assert.Equal(["cli-prefer-vip-10.99.0.100"], report.LeftoverConstraints);
        Assert.Equal("the drill left move constraints in the CIB: cli-prefer-vip-10.99.0.100", report.Failure!.Why);
    }

    [Fact]
    public async Task ANodeDrill_PutsItInStandbyAndBack_AndItsVipsReturn()
    {
        var report = await RunToTheEndAsync(DrillTarget.Node("node2"));

        Assert.Equal(DrillOutcome.Completed, report.Outcome);
        Assert.Equal(["Put node2 in standby", "Take node2 out of standby"], _cluster.Ran);
        var vip = report.Vips.Single(v => v.Vip == Vip2);
        Assert.Equal(("node2", "node1", "node2"), (vip.Before, vip.During, vip.After));
        Assert.False(report.Vips.Single(v => v.Vip == Vip1).Moved);
    }

    [Fact]
    public async Task ANodeDrillWhoseUnstandbyFails_TakesTheNodeOutOfStandbyInTheRestore()
    {
        var unstandbys = 0;
        _cluster.Fails = op => op is SetNodeStandby { On: false } && ++unstandbys == 1;

        var report = await RunToTheEndAsync(DrillTarget.Node("node2"));

        Assert.Equal(DrillOutcome.Failed, report.Outcome);
        Assert.Equal("take node2 out of standby", report.Failure!.Step);
        Assert.Equal(["Put node2 in standby", "Take node2 out of standby", "Take node2 out of standby"], _cluster.Ran);
        Assert.False(_cluster.InStandby("node2"));
        Assert.Equal("node2", _cluster.WhereRuns(Vip2));
    }

    [Fact]
    public async Task ADegradedCluster_IsRefused_WithTheReason_NothingRuns_AndTheRefusalIsKept()
    {
        _cluster.Publish(degrade: s => s with { Nodes = [.. s.Nodes.Select(n => n.Name == "node3" ? n with { Standby = true } : n)] });

        var refused = await Assert.ThrowsAsync<DrillRefusedException>(() => _runner.StartAsync(Id, DrillTarget.Vip(Vip1), Olga, CancellationToken.None));

        Assert.Equal("node3 is standby: a drill needs every node online.", Assert.Single(refused.Report.Refusals).Reason);
        Assert.Empty(_cluster.Ran);
        Assert.Equal(DrillOutcome.Refused, Assert.Single(await _store.ListAsync(Id)).Outcome);
    }

    [Fact]
    public async Task ASecondDrillWhileOneRuns_IsRefused()
    {
        _cluster.OperationDelay = TimeSpan.FromMilliseconds(300);
        await _runner.StartAsync(Id, DrillTarget.Vip(Vip1), Olga, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DrillRefusedException>(() => _runner.StartAsync(Id, DrillTarget.Vip(Vip2), Olga, CancellationToken.None));

        Assert.Equal(DrillObstacleKind.DrillInProgress, Assert.Single(refused.Report.Refusals).Kind);
        Assert.Equal(DrillOutcome.Running, _runner.Running(Id)!.Outcome);
        await _runner.Completion(Id)!.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([DrillOutcome.Completed, DrillOutcome.Refused], (await _store.ListAsync(Id)).Select(d => d.Outcome).Order());
    }

    [Fact]
    public async Task AVipAnAdminMovedAlready_IsRefused_RatherThanHaveTheDrillClearTheirMove()
    {
        await _cluster.RunAsync(Id, new MoveResource("vip-" + Vip1, "node3"), Olga, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DrillRefusedException>(() => _runner.StartAsync(Id, DrillTarget.Vip(Vip1), Olga, CancellationToken.None));

        Assert.Equal("VIP 10.99.0.100 has a move constraint already (cli-prefer-vip-10.99.0.100): clear it first, or the drill would remove it.",
            Assert.Single(refused.Report.Refusals).Reason);
    }

    public async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        _drills.Dispose();
    }
}
