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

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Watched> _watched = [];
    private readonly ConcurrentDictionary<long, StorageHealthReport> _latest = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _checking = new();

    /// <summary>The last report of the cluster, if one was made.</summary>
    public StorageHealthReport? Latest(long clusterId) => _latest.GetValueOrDefault(clusterId);

    /// <summary>Starts checking the cluster (if no one watches it yet) until every watch is disposed.</summary>
    public IDisposable Watch(long clusterId)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(clusterId, out var watched))
            {
                var stop = new CancellationTokenSource();
                _watched[clusterId] = watched = new Watched(stop);
                _ = Task.Run(() => LoopAsync(clusterId, stop.Token));
            }
            watched.Watchers++;
            return new Release(this, clusterId);
        }
    }

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
            if (events.Count > 0)
            {
                foreach (var e in events) logger.LogInformation("Cluster {Cluster}: {Event}", clusterId, e.Description);
                await StoreAsync(clusterId, events, ct);
            }
            feeds.PublishStorage(clusterId, report, events);
            return report;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task LoopAsync(long clusterId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // A cluster that declares no storage costs an inventory read: Settings may declare it while the page is open.
                await CheckNowAsync(clusterId, ct);
                await Task.Delay(Interval, time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (KeyNotFoundException) { return; } // the cluster left the inventory
            catch (Exception e)
            {
                // The inventory or the history failed, not a node (the check turns those into its report): try again later.
                logger.LogWarning(e, "Cluster {Cluster}: the storage health check failed", clusterId);
                try { await Task.Delay(Interval, time, ct); } catch (OperationCanceledException) { return; }
            }
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

    private async Task StoreAsync(long clusterId, IReadOnlyList<ClusterEvent> events, CancellationToken ct)
    {
        try
        {
            await history.AppendAsync(clusterId, [.. events.Select(ClusterEventRecord.From)], null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The live view matters more than the history, as for the monitors.
            logger.LogError(e, "Cluster {Cluster}: could not store {Count} storage events", clusterId, events.Count);
        }
    }

    private void Unwatch(long clusterId)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(clusterId, out var watched) || --watched.Watchers > 0) return;
            _watched.Remove(clusterId);
            watched.Stop.Cancel();
            watched.Stop.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var watched in _watched.Values) { watched.Stop.Cancel(); watched.Stop.Dispose(); }
            _watched.Clear();
        }
    }

    private sealed class Watched(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public int Watchers { get; set; }
    }

    private sealed class Release(StorageHealthWatch owner, long clusterId) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Unwatch(clusterId);
        }
    }
}
