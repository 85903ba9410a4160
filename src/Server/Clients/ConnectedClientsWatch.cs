using System.Collections.Concurrent;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;

namespace StorageHa.Server.Clients;

/// <summary>
/// The connected clients of every watched cluster: read every <see cref="Interval"/> while at least one page or hub
/// client watches it, each reading published to the cluster's live stream with the clients that left or arrived as
/// events, which the history keeps. One reading at a time per cluster, however many watch (singleton).
/// </summary>
public sealed class ConnectedClientsWatch(IServiceScopeFactory scopes, IMonitoredClusters clusters, ConnectedClientsCheck check, ClusterFeeds feeds, ClusterHistoryStore history,
    TimeProvider time, ILogger<ConnectedClientsWatch> logger) : IDisposable
{
    /// <summary>Clients moving in a failover show within this plus one reading: the failover itself takes seconds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static readonly Asker Poller = new("clients", ConnectedClientsCheck.AuditAction);

    private readonly WatchedLoops _loops = new();
    private readonly ConcurrentDictionary<long, ConnectedClientsReport> _latest = new();
    // The clients last known per node, which the next reading is compared with (a node's blind moment keeps its clients).
    private readonly ConcurrentDictionary<long, ConnectedClientsReport> _known = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _reading = new();

    public ConnectedClientsReport? Latest(long clusterId) => _latest.GetValueOrDefault(clusterId);

    /// <summary>Starts reading the cluster's clients (if no one watches it yet) until every watch is disposed.</summary>
    public IDisposable Watch(long clusterId) => _loops.Every(clusterId, Interval, time, ReadNowAsync, logger);

    /// <summary>Reads the clients now and publishes them with who left and arrived; two callers at once wait for each other, so each change is told once.</summary>
    public async Task<ConnectedClientsReport> ReadNowAsync(long clusterId, CancellationToken ct)
    {
        var gate = _reading.GetOrAdd(clusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var (names, nodes, vips) = await ClusterAsync(clusterId, ct);
            var report = await check.ReadAsync(names, nodes, vips, Poller, ct);
            // No node the console may log in to (no credential or host key yet): nothing was read, nothing to tell the pages.
            if (nodes.Nodes.Count == 0) return report;
            var known = _known.GetValueOrDefault(clusterId);
            var events = ClientsDiff.Between(known, report);
            _known[clusterId] = ClientsDiff.Known(known, report);
            _latest[clusterId] = report;
            if (events.Count > 0) await history.KeepAsync(clusterId, events, logger, ct);
            feeds.PublishClients(clusterId, report, events);
            return report;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The cluster's node names, those the console can log in to, and its VIPs.</summary>
    private async Task<(IReadOnlyList<string> Names, ClusterNodes Nodes, IReadOnlyList<string> Vips)> ClusterAsync(long clusterId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<IInventory>();
        var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var nodes = await inventory.ListNodesAsync(clusterId, ct);
        var vips = await inventory.ListVirtualIpsAsync(clusterId, ct);
        // The nodes as the monitors and operations reach them (the one place that turns the inventory into SSH targets).
        var reach = (await clusters.ListAsync(ct)).FirstOrDefault(c => c.Id == clusterId);
        return ([.. nodes.Select(n => n.Name)], new ClusterNodes(cluster.Name, reach?.Nodes ?? [], reach?.Problem), [.. vips.Select(v => v.Address)]);
    }

    public void Dispose() => _loops.Dispose();
}
