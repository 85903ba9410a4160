using StorageHa.Shared.Console;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Tests.Operations;

/// <summary>Which node an operation runs on first: the one the monitor reads from, since it answered a moment ago.</summary>
public sealed class OperationTargetsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly ClusterFeeds _feeds = new(TimeProvider.System);

    [Fact]
    public async Task TheMonitorsNode_IsTriedFirst_ThenTheOthersInInventoryOrder()
    {
        Publish(monitorNode: "node3");
        var cluster = await Targets("node1", "node2", "node3").ForAsync(7, CancellationToken.None);
        Assert.Equal(["node3", "node1", "node2"], cluster.Nodes.Select(n => n.Name));
        Assert.Equal("lab", cluster.Name);
    }

    [Fact]
    public async Task WithoutAMonitorNode_TheInventoryOrderStands()
    {
        Publish(monitorNode: null);
        var cluster = await Targets("node1", "node2").ForAsync(7, CancellationToken.None);
        Assert.Equal(["node1", "node2"], cluster.Nodes.Select(n => n.Name));
    }

    [Fact]
    public async Task BeforeTheFirstRead_OperationsWait_SayingWhy()
    {
        _feeds.Track(7, "lab");
        var refused = await Assert.ThrowsAsync<ConflictException>(() => Targets("node1").ForAsync(7, CancellationToken.None));
        Assert.StartsWith("The console has not read the state of lab yet", refused.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Targets("node1").ForAsync(8, CancellationToken.None));
    }

    private void Publish(string? monitorNode) =>
        _feeds.Publish(7, seq => new ClusterChange(7, seq, new MonitorStatus(MonitorHealth.Watching, monitorNode, "watching", T0),
            new ClusterState { Nodes = [new ClusterNode { Name = "node1", Online = true }] }, [], null, null));

    private OperationTargets Targets(params string[] nodes) =>
        new(new Inventory([new MonitoredCluster(7, "lab", [.. nodes.Select(n => new SshTarget(n, "127.0.0.1", 22, "root", SshAuth.WithPassword("-"), null))])]), _feeds);

    /// <summary>The clusters as the inventory would list them (the console's own interface, not an outside system).</summary>
    private sealed class Inventory(IReadOnlyList<MonitoredCluster> clusters) : IMonitoredClusters
    {
        public Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct) => Task.FromResult(clusters);
    }
}
