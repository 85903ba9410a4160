using StorageHa.Shared.Console;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Monitoring;

public sealed class ClusterFeedsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly ClusterFeeds _feeds = new(TimeProvider.System);

    [Fact]
    public async Task Subscriber_GetsTheSnapshotThenEveryLaterChange_InOrder_AndNothingOfOtherClusters()
    {
        _feeds.Track(1, "alpha");
        _feeds.Track(2, "beta");
        Publish(1, "node1");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var subscription = await _feeds.SubscribeAsync(1, stop.Token);
        Publish(2, "elsewhere");
        Publish(1, "node2");
        Publish(1, "node3");

        Assert.Equal(1, subscription.Initial.Sequence);
        Assert.Equal("node1", subscription.Initial.Monitor.Node);
        var seen = new List<ClusterChange>();
        await foreach (var change in subscription.Changes)
        {
            seen.Add(change);
            if (seen.Count == 2) break;
        }
        Assert.Equal([2L, 3L], seen.Select(c => c.Sequence));
        Assert.Equal(["node2", "node3"], seen.Select(c => c.Monitor.Node));
        Assert.Equal("node3", _feeds.Snapshot(1)!.Monitor.Node);
    }

    [Fact]
    public async Task Snapshot_KeepsTheLastStateRead_WhenALaterChangeOnlySaysTheClusterIsUnreachable()
    {
        _feeds.Track(1, "alpha");
        var state = new ClusterState { Nodes = [new ClusterNode { Name = "node1", Online = true }] };
        _feeds.Publish(1, seq => new ClusterChange(1, seq, Status(MonitorHealth.Watching, "node1"), state, [], null, null));
        _feeds.Publish(1, seq => new ClusterChange(1, seq, Status(MonitorHealth.Unreachable, null), null,
            [new MonitorUnreachable(T0, "alpha", "node1: refused")], null, null));

        var snapshot = (await _feeds.SubscribeAsync(1, CancellationToken.None)).Initial;

        Assert.Same(state, snapshot.State);
        Assert.Equal(ClusterHealth.Unreachable, snapshot.Health);
        var shown = Assert.Single(snapshot.RecentEvents);
        Assert.Equal((nameof(MonitorUnreachable), "No node of alpha answered: node1: refused"), (shown.Kind, shown.Description));
    }

    [Fact]
    public async Task CancelledSubscription_IsDropped_EvenIfNeverRead()
    {
        _feeds.Track(1, "alpha");
        using var stop = new CancellationTokenSource();
        var subscription = await _feeds.SubscribeAsync(1, stop.Token);
        await stop.CancelAsync();

        for (var i = 0; i < 1000; i++) Publish(1, "node1"); // more than a subscriber's backlog: nobody holds them

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { await foreach (var _ in subscription.Changes) { } });
    }

    private void Publish(long cluster, string node) =>
        _feeds.Publish(cluster, seq => new ClusterChange(cluster, seq, Status(MonitorHealth.Watching, node), null, [], null, null));

    private static MonitorStatus Status(MonitorHealth health, string? node) => new(health, node, $"watching from {node}", T0);
}
