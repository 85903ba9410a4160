using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Monitoring;

public sealed class ClusterHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-history-").FullName;
    private string DbPath => Path.Combine(_dir, "storageha.db");
    private long _clusterId;

    public async Task InitializeAsync()
    {
        var db = new Database(DbPath);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        _clusterId = (await new SqliteInventory(db, new SystemActor(), TimeProvider.System).AddClusterAsync(new Cluster { Name = "lab" })).Id;
    }

    [Fact]
    public async Task EventsAndFailovers_SurviveARestart_WithEachVipsOutage()
    {
        var left = new ClusterEventRecord { At = T0, Kind = nameof(NodeLeft), Description = "node1 left the cluster", Node = "node1" };
        var moved = new ClusterEventRecord { At = T0.AddSeconds(9), Kind = nameof(ResourceMoved), Description = "vip1 moved node1 → node2", Node = "node1", ToNode = "node2", Resource = "vip1", IsVirtualIp = true };
        var failover = new FailoverSummary(T0, T0.AddSeconds(9), "node1 left the cluster", "node1",
            [new VipOutage("vip1", "node1", "node2", T0, T0.AddSeconds(9))], [left, moved]);
        await new ClusterHistoryStore(new Database(DbPath)).AppendAsync(_clusterId, [left], null);
        await new ClusterHistoryStore(new Database(DbPath)).AppendAsync(_clusterId, [moved], failover);

        var restarted = new ClusterHistoryStore(new Database(DbPath)); // a new console process on the same file

        var stored = Assert.Single(await restarted.ListFailoversAsync(_clusterId));
        Assert.Equal(TimeSpan.FromSeconds(9), stored.Duration);
        Assert.Equal(failover.Outages, stored.Outages);
        Assert.Equal([left, moved], stored.Events.Select(e => e with { Id = 0 }));
        Assert.Equal([left, moved], (await restarted.ListEventsAsync(_clusterId)).Select(e => e with { Id = 0 }));
        Assert.Equal([moved], (await restarted.ListEventsAsync(_clusterId, since: T0.AddSeconds(1))).Select(e => e with { Id = 0 }));
    }

    [Fact]
    public async Task RemovingTheCluster_RemovesItsHistory()
    {
        var db = new Database(DbPath);
        await new ClusterHistoryStore(db).AppendAsync(_clusterId,
            [new ClusterEventRecord { At = T0, Kind = nameof(NodeLeft), Description = "node1 left the cluster" }], null);

        await new SqliteInventory(db, new SystemActor(), TimeProvider.System).DeleteClusterAsync(_clusterId);

        Assert.Empty(await new ClusterHistoryStore(db).ListEventsAsync(_clusterId));
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
