namespace StorageHa.Server.Monitoring;

/// <summary>Runs one <see cref="ClusterMonitor"/> per cluster of the inventory, starting and stopping them as clusters come and go.</summary>
public sealed class MonitorService(IMonitoredClusters source, CrmMonReader reader, ClusterFeeds feeds, ClusterHistoryStore history,
    MonitorOptions options, TimeProvider time, ILoggerFactory loggers, StateWatch? watch = null) : BackgroundService
{
    private readonly Dictionary<long, (ClusterMonitor Monitor, CancellationTokenSource Stop, Task Running)> _monitors = [];
    private readonly ILogger _logger = loggers.CreateLogger<MonitorService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await SyncAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError(e, "Could not read the clusters to monitor from the inventory");
                }
                await Task.Delay(options.InventoryRescan, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            foreach (var (_, stop, _) in _monitors.Values) await stop.CancelAsync();
            await Task.WhenAll(_monitors.Values.Select(m => m.Running));
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var clusters = await source.ListAsync(ct);
        foreach (var cluster in clusters)
        {
            if (_monitors.TryGetValue(cluster.Id, out var known))
            {
                known.Monitor.Update(cluster);
                feeds.Track(cluster.Id, cluster.Name);
                continue;
            }
            feeds.Track(cluster.Id, cluster.Name, await history.ListFailoversAsync(cluster.Id, 20, ct),
                await history.ListEventsAsync(cluster.Id, take: 200, ct: ct));
            var monitor = new ClusterMonitor(cluster, reader, feeds, history, options, time, loggers.CreateLogger<ClusterMonitor>(), watch);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _monitors[cluster.Id] = (monitor, stop, RunAsync(monitor, cluster.Name, stop.Token));
        }
        foreach (var gone in _monitors.Keys.Except(clusters.Select(c => c.Id)).ToList())
        {
            var (_, stop, running) = _monitors[gone];
            _monitors.Remove(gone);
            await stop.CancelAsync();
            await running;
            feeds.Forget(gone);
        }
    }

    private async Task RunAsync(ClusterMonitor monitor, string name, CancellationToken ct)
    {
        await Task.Yield();
        try { await monitor.RunAsync(ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) { _logger.LogError(e, "The monitor of cluster {Cluster} stopped", name); }
    }
}
