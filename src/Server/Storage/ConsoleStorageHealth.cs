using StorageHa.Server.Auth;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Storage;

/// <summary>The storage health as the pages and the API ask for it: viewers may; a report from the last check interval is answered again.</summary>
public sealed class ConsoleStorageHealth(IInventory inventory, StorageHealthWatch watch, ICurrentActor actor, TimeProvider time) : IStorageHealth
{
    public async Task<StorageHealthReport> CheckAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        if (watch.Latest(clusterId) is { } recent && time.GetUtcNow() - recent.CheckedAt < StorageHealthWatch.Interval * 2
            && (await inventory.GetSettingsAsync(clusterId, ct)).Storage?.MountPoint == recent.MountPoint)
            return recent;
        return await watch.CheckNowAsync(clusterId, ct)
            ?? throw new KeyNotFoundException($"Cluster {cluster.Name} declares no cluster filesystem (Settings → Storage).");
    }

    public async Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return watch.Watch(clusterId);
    }
}
