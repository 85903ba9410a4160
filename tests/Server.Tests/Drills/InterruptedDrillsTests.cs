using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Drills;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;
using static StorageHa.Server.Tests.Drills.FakeDrillCluster;

namespace StorageHa.Server.Tests.Drills;

/// <summary>
/// A drill a stopped console left "running", as the next console start finds it: ended as failed because the console stopped,
/// and its change undone in the cluster as the console ("system"); what it cannot undo, the report says how to undo by hand.
/// </summary>
public sealed class InterruptedDrillsTests : IAsyncLifetime
{
    private static readonly ClaimsPrincipal Olga = DrillsInMemory.Olga;
    private const string Stopped = "the console stopped during the drill (noticed at ";
    private DrillsInMemory _drills = null!;
    private ClusterFeeds _feeds = null!;
    private FakeDrillCluster _cluster = null!;
    private DrillStore _store = null!;
    private DrillRunner _runner = null!;
    private InterruptedDrills _interrupted = null!;

    public async Task InitializeAsync()
    {
        _drills = await DrillsInMemory.CreateAsync();
        (_feeds, _cluster, _store) = (_drills.Feeds, _drills.Cluster, _drills.Store);
        var options = new DrillOptions { RestoreLimit = TimeSpan.FromSeconds(2), Poll = TimeSpan.FromMilliseconds(10) };
        _runner = new DrillRunner(_feeds, _cluster, _store, options, TimeProvider.System, NullLogger<DrillRunner>.Instance);
        _interrupted = new InterruptedDrills(_store, _cluster, _feeds, _runner, options, TimeProvider.System, NullLogger<InterruptedDrills>.Instance);
    }

    private long Id => _cluster.ClusterId;

    /// <summary>A drill stored as it started (as the runner stores it) by olga, and the cluster as the drill left it when the console stopped.</summary>
    private async Task<DrillReport> LeftRunningAsync(DrillTarget target, ClusterOperation? leftInTheCluster)
    {
        var drill = await _store.AddAsync(new DrillReport { ClusterId = Id, ClusterName = "nas", Target = target, StartedBy = "olga", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        if (leftInTheCluster is not null) await _cluster.RunAsync(Id, leftInTheCluster, Olga, CancellationToken.None);
        _cluster.Ran.Clear();
        _cluster.RanBy.Clear();
        return drill;
    }

    private async Task<DrillReport> AfterStartUpAsync(DrillReport drill)
    {
        var before = DateTimeOffset.UtcNow;
        await _interrupted.EndAllAsync(CancellationToken.None);
        return await EndedAsync(drill, before);
    }

    /// <summary>The drill as stored: failed because the console stopped, ended when the start-up noticed it.</summary>
    private async Task<DrillReport> EndedAsync(DrillReport drill, DateTimeOffset notBefore)
    {
        var ended = (await _store.GetAsync(Id, drill.Id))!;
        Assert.Equal(DrillOutcome.Failed, ended.Outcome);
        Assert.Equal("interrupted", ended.Failure!.Step);
        Assert.StartsWith(Stopped, ended.Failure.Why, StringComparison.Ordinal);
        Assert.InRange(ended.EndedAt!.Value, notBefore, DateTimeOffset.UtcNow);
        return ended;
    }

    [Fact]
    public async Task AVipDrillLeftRunning_IsFailed_AndItsMoveIsClearedAsTheConsole()
    {
        var drill = await LeftRunningAsync(DrillTarget.Vip(Vip1), new MoveResource("vip-" + Vip1, "node3"));

        var ended = await AfterStartUpAsync(drill);

        Assert.EndsWith("; the console (as system) cleared the drill's move of vip-10.99.0.100 (cli-prefer-vip-10.99.0.100)", ended.Failure!.Why, StringComparison.Ordinal);
        Assert.Equal(["Clear the move of vip-10.99.0.100"], _cluster.Ran);
        Assert.Equal(["system"], _cluster.RanBy);
        Assert.Empty(_cluster.Constraints);
        Assert.Equal("node1", _cluster.WhereRuns(Vip1));
        Assert.True(ended.LeftoversChecked);
        Assert.Empty(ended.LeftoverConstraints);
        Assert.Equal("olga", ended.StartedBy);
        Assert.Equal(DrillOutcome.Failed, _feeds.Snapshot(Id)!.Drill!.Outcome); // an open page learns it too
    }

    [Fact]
    public async Task ANodeDrillLeftRunning_IsFailed_AndItsNodeTakenOutOfStandbyAsTheConsole()
    {
        var drill = await LeftRunningAsync(DrillTarget.Node("node2"), new SetNodeStandby("node2", true));

        var ended = await AfterStartUpAsync(drill);

        Assert.EndsWith("; the console (as system) took node2 out of standby", ended.Failure!.Why, StringComparison.Ordinal);
        Assert.Equal(["Take node2 out of standby"], _cluster.Ran);
        Assert.Equal(["system"], _cluster.RanBy);
        Assert.False(_cluster.InStandby("node2"));
        Assert.Equal("node2", _cluster.WhereRuns(Vip2));
    }

    [Fact]
    public async Task ADrillThatLeftNothingInTheCluster_IsFailed_AndNothingRuns()
    {
        var vipDrill = await LeftRunningAsync(DrillTarget.Vip(Vip1), null);
        var nodeDrill = await LeftRunningAsync(DrillTarget.Node("node2"), null);

        var before = DateTimeOffset.UtcNow;
        await _interrupted.EndAllAsync(CancellationToken.None);

        Assert.EndsWith("; the drill left no move on vip-10.99.0.100: nothing to undo", (await EndedAsync(vipDrill, before)).Failure!.Why, StringComparison.Ordinal);
        Assert.EndsWith("; node2 was not in standby: nothing to undo", (await EndedAsync(nodeDrill, before)).Failure!.Why, StringComparison.Ordinal);
        Assert.Empty(_cluster.Ran);
    }

    [Fact]
    public async Task AnAdminsBanBesideTheDrillsMove_IsLeftAlone_AndTheReportSaysHowToRemoveTheDrillsOwn()
    {
        var drill = await LeftRunningAsync(DrillTarget.Vip(Vip1), new MoveResource("vip-" + Vip1, "node3"));
        _cluster.AddConstraint("cli-ban-vip-10.99.0.100-on-node2");

        var ended = await AfterStartUpAsync(drill);

        Assert.Empty(_cluster.Ran); // a clear would have removed the admin's ban too
        Assert.Equal(["cli-prefer-vip-10.99.0.100", "cli-ban-vip-10.99.0.100-on-node2"], _cluster.Constraints);
        Assert.Equal(["cli-prefer-vip-10.99.0.100"], ended.LeftoverConstraints);
        Assert.EndsWith("; the drill's move of vip-10.99.0.100 (cli-prefer-vip-10.99.0.100) is still in the CIB beside cli-ban-vip-10.99.0.100-on-node2, " +
            "which the console leaves alone: remove the drill's by hand: pcs constraint remove cli-prefer-vip-10.99.0.100", ended.Failure!.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vip", "pcs constraint remove cli-prefer-vip-10.99.0.100")]
    [InlineData("node", "pcs node unstandby node2")]
    public async Task AnUnreachableCluster_StillFailsTheDrill_WithTheCommandToUndoItByHand(string kind, string command)
    {
        var drill = kind == "vip"
            ? await LeftRunningAsync(DrillTarget.Vip(Vip1), new MoveResource("vip-" + Vip1, "node3"))
            : await LeftRunningAsync(DrillTarget.Node("node2"), new SetNodeStandby("node2", true));
        _cluster.Unreachable = true;

        var ended = await AfterStartUpAsync(drill);

        Assert.Contains("; the restore could not run (no node of nas could be reached: node1: connection refused): " +
            $"undo by hand on a node of the cluster: {command}", ended.Failure!.Why, StringComparison.Ordinal);
        Assert.Empty(_cluster.Ran);
        Assert.False(ended.LeftoversChecked);
    }

    [Fact]
    public async Task AClusterWhoseStateIsNeverRead_FailsTheDrillWithinTheLimit_WithTheCommand()
    {
        var far = (await _drills.Inventory.AddClusterAsync(new Cluster { Name = "far" })).Id;
        _feeds.Track(far, "far"); // watched, but its state never read
        var drill = await _store.AddAsync(new DrillReport { ClusterId = far, ClusterName = "far", Target = DrillTarget.Node("node2"), StartedBy = "olga", StartedAt = DateTimeOffset.UtcNow });

        await _interrupted.EndAllAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        var ended = (await _store.GetAsync(far, drill.Id))!;
        Assert.Equal(DrillOutcome.Failed, ended.Outcome);
        Assert.EndsWith("; the restore could not run (the console did not read the cluster's state within 2 s): " +
            "undo by hand on a node of the cluster: pcs node unstandby node2", ended.Failure!.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAndRefusedDrills_AreUntouched()
    {
        var completed = await _store.AddAsync(new DrillReport { ClusterId = Id, ClusterName = "nas", Target = DrillTarget.Vip(Vip1), StartedBy = "olga",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-9), EndedAt = DateTimeOffset.UtcNow.AddMinutes(-8), Outcome = DrillOutcome.Completed });
        var refused = await _store.AddAsync(new DrillReport { ClusterId = Id, ClusterName = "nas", Target = DrillTarget.Node("node2"), StartedBy = "olga",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-7), EndedAt = DateTimeOffset.UtcNow.AddMinutes(-7), Outcome = DrillOutcome.Refused,
            Refusals = [new DrillObstacle(DrillObstacleKind.NoQuorum, "The cluster does not have quorum.")] });
        await _cluster.RunAsync(Id, new SetNodeStandby("node2", true), Olga, CancellationToken.None);
        _cluster.Ran.Clear();

        await _interrupted.EndAllAsync(CancellationToken.None);

        Assert.Equal(DrillExport.ToJson(completed), DrillExport.ToJson((await _store.GetAsync(Id, completed.Id))!));
        Assert.Equal(DrillExport.ToJson(refused), DrillExport.ToJson((await _store.GetAsync(Id, refused.Id))!));
        Assert.Empty(_cluster.Ran);
        Assert.True(_cluster.InStandby("node2")); // not the drills' doing: left as it is
    }

    [Fact]
    public async Task TheConsoleStarting_DoesNotWaitForTheRestore()
    {
        await LeftRunningAsync(DrillTarget.Vip(Vip1), new MoveResource("vip-" + Vip1, "node3"));
        _cluster.OperationDelay = TimeSpan.FromSeconds(1);

        var start = _interrupted.StartAsync(CancellationToken.None);

        Assert.True(start.IsCompletedSuccessfully);
        await _interrupted.Completion!.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["Clear the move of vip-10.99.0.100"], _cluster.Ran);
    }

    public async Task DisposeAsync()
    {
        await _interrupted.StopAsync(CancellationToken.None);
        await _runner.DisposeAsync();
        _drills.Dispose();
    }
}
