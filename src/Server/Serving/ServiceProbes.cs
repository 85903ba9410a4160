using StorageHa.Shared.Console;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>
/// Probes every VIP of every monitored cluster for the services its purpose names (SMB, NFS), from the console, as a client
/// would; follows the inventory as the monitors do, and hands each completed failover to the <see cref="ClientOutageRecorder"/>.
/// </summary>
public sealed class ServiceProbes(IServiceScopeFactory scopes, ClusterFeeds feeds, ClientOutageRecorder outages, ServiceProbeOptions options,
    MonitorOptions monitoring, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrent, options.MaxConcurrent);
    private readonly Dictionary<long, ClusterServiceProbes> _clusters = [];
    private readonly ILogger _logger = loggers.CreateLogger<ServiceProbes>();

    /// <summary>The probes of a cluster, when it has any.</summary>
    public ClusterServiceProbes? Of(long clusterId)
    {
        lock (_clusters) return _clusters.GetValueOrDefault(clusterId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        var recording = outages.RunAsync(this, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var waiting = false;
                try { waiting = await SyncAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError(e, "Could not read the VIPs to probe from the inventory");
                }
                // A cluster the monitors do not track yet is probed from the next round, soon.
                await Task.Delay(waiting ? TimeSpan.FromSeconds(1) : monitoring.InventoryRescan, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            List<ClusterServiceProbes> all;
            lock (_clusters) { all = [.. _clusters.Values]; _clusters.Clear(); }
            foreach (var cluster in all) await cluster.DisposeAsync();
            await recording;
        }
    }

    /// <summary>Brings the probes in line with the inventory; true when a cluster waits for its monitor.</summary>
    private async Task<bool> SyncAsync(CancellationToken ct)
    {
        var wanted = await TargetsAsync(ct);
        var tracked = feeds.Tracked.ToHashSet();
        var waiting = false;
        foreach (var (clusterId, targets) in wanted)
        {
            if (!tracked.Contains(clusterId)) { waiting = true; continue; }
            ClusterServiceProbes? probes;
            lock (_clusters)
            {
                if (!_clusters.TryGetValue(clusterId, out probes))
                    _clusters[clusterId] = probes = new ClusterServiceProbes(clusterId, options, _slots, feeds, time, _logger);
            }
            await probes.ProbeAsync(targets);
        }
        List<ClusterServiceProbes> gone;
        lock (_clusters)
        {
            gone = [.. _clusters.Values.Where(c => !wanted.ContainsKey(c.ClusterId))];
            foreach (var cluster in gone) _clusters.Remove(cluster.ClusterId);
        }
        foreach (var cluster in gone) await cluster.DisposeAsync();
        return waiting;
    }

    private async Task<Dictionary<long, IReadOnlyCollection<ProbeTarget>>> TargetsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<IInventory>();
        var targets = new Dictionary<long, IReadOnlyCollection<ProbeTarget>>();
        foreach (var cluster in await inventory.ListClustersAsync(ct))
        {
            var services = cluster.Purpose switch
            {
                ClusterPurpose.Smb => [FileService.Smb],
                ClusterPurpose.Nfs => [FileService.Nfs],
                _ => new[] { FileService.Smb, FileService.Nfs },
            };
            targets[cluster.Id] = [.. (await inventory.ListVirtualIpsAsync(cluster.Id, ct)).SelectMany(vip =>
            {
                var onNetwork = ClusterServiceProbes.OnConsoleNetwork(vip.Address, vip.Prefix);
                return services.Select(s => new ProbeTarget(vip.Address, s, ProbeConnection.DefaultPort(s), onNetwork));
            })];
        }
        return targets;
    }
}
