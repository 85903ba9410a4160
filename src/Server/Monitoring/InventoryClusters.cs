using StorageHa.Shared.Console;
using StorageHa.Server.Probe;

namespace StorageHa.Server.Monitoring;

/// <summary>Where the monitors come from: every cluster of the inventory, with the nodes the console can log in to.</summary>
public interface IMonitoredClusters
{
    Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct);
}

/// <summary>Reads clusters and nodes from the inventory, in a scope of its own (the monitors outlive any request).</summary>
public sealed class InventoryClusters(IServiceScopeFactory scopes) : IMonitoredClusters
{
    public async Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<IInventory>();
        var access = ActivatorUtilities.CreateInstance<NodeAccess>(scope.ServiceProvider);
        var clusters = new List<MonitoredCluster>();
        foreach (var cluster in await inventory.ListClustersAsync(ct))
        {
            var nodes = await access.TargetsAsync(cluster.Name, await inventory.ListNodesAsync(cluster.Id, ct), ct);
            clusters.Add(new MonitoredCluster(cluster.Id, cluster.Name, nodes.Nodes, nodes.Problem));
        }
        return clusters;
    }
}
