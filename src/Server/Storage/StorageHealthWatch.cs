using System.Collections.Concurrent;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Probe;
using StorageHa.Shared.Console;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Storage;

/// <summary>
/// The storage health of every watched cluster: checked every <see cref="Interval"/> while at least one page watches it,
/// each report published to the cluster's live stream (so every dashboard and hub client sees it) with its changes as
/// events, which the history keeps. One check at a time per cluster, however many pages watch (singleton).
/// </summary>
public sealed class StorageHealthWatch(IServiceScopeFactory scopes, StorageHealthCheck check, ClusterFeeds feeds, ClusterHistoryStore history,
    TimeProvider time, ILogger<StorageHealthWatch> logger) : IDisposable
{
    /// <summary>A dead brick or a lost mount shows within this plus one check (well under a second on a LAN; a hung mount's 5 s timeouts at most).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private static readonly Asker Poller = new("storage", StorageHealthCheck.AuditAction);

    private readonly ConcurrentDictionary<long, StorageHealthReport> _latest = new();
    private readonly WatchedLoops _loops = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _checking = new();

    /// <summary>The last report of the cluster, if one was made.</summary>
    public StorageHealthReport? Latest(long clusterId) => _latest.GetValueOrDefault(clusterId);

    /// <summary>Starts checking the cluster (if no one watches it yet) until every watch is disposed.</summary>
    // A cluster that declares no storage costs an inventory read each time: Settings may declare it while the page is open.
    public IDisposable Watch(long clusterId) => _loops.Every(clusterId, Interval, time, CheckNowAsync, logger);

    /// <summary>
    /// Checks the cluster now and publishes the report with what changed; null when it declares no cluster filesystem.
    /// Two callers at once (the loop and the API) wait for each other, so each change is told once.
    /// </summary>
    public async Task<StorageHealthReport?> CheckNowAsync(long clusterId, CancellationToken ct)
    {
        var gate = _checking.GetOrAdd(clusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var (names, nodes, target) = await ClusterAsync(clusterId, ct);
            if (target is null) return null;
            var asked = await check.CheckAsync(nodes, target, Poller, ct);
            // Every node of the inventory, in its order: one the console cannot log in to is unknown, with why.
            var report = asked with
            {
                Nodes = [.. names.Select(name => asked.Nodes.FirstOrDefault(n => n.Node == name)
                    ?? new NodeStorageHealth(name) { Unreachable = nodes.Problem ?? "the console cannot log in to it" })],
            };
            var before = _latest.GetValueOrDefault(clusterId);
            _latest[clusterId] = report;
            var events = StorageDiff.Between(before is not null && before.MountPoint == report.MountPoint ? before : null, report);
            if (events.Count > 0) await history.KeepAsync(clusterId, events, logger, ct);
            feeds.PublishStorage(clusterId, report, events);
            return report;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The cluster's nodes, those the console can log in to, and what to check there (null: no storage declared).</summary>
    private async Task<(IReadOnlyList<string> Names, ClusterNodes Nodes, StorageHealthTarget? Target)> ClusterAsync(long clusterId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<IInventory>();
        var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var storage = (await inventory.GetSettingsAsync(clusterId, ct)).Storage;
        if (storage is null) return ([], new ClusterNodes(cluster.Name, []), null);
        var nodes = await inventory.ListNodesAsync(clusterId, ct);
        var access = ActivatorUtilities.CreateInstance<NodeAccess>(scope.ServiceProvider);
        return ([.. nodes.Select(n => n.Name)], await access.TargetsAsync(cluster.Name, nodes, ct), StorageHealthTarget.Of(storage));
    }

    public void Dispose() => _loops.Dispose();
}
