using StorageHa.Shared.Console;
using StorageHa.Server.Probe;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Validation;

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
            var targets = new List<SshTarget>();
            var problems = new List<string>();
            foreach (var node in await inventory.ListNodesAsync(cluster.Id, ct))
            {
                try { targets.Add(await access.TargetAsync(node, ct)); }
                catch (Exception e) when (e is InvalidInputException or KeyNotFoundException or CredentialNotConfirmedException) { problems.Add(e.Message); }
            }
            clusters.Add(new MonitoredCluster(cluster.Id, cluster.Name, targets, problems.Count == 0 ? null : string.Join(" ", problems)));
        }
        return clusters;
    }
}
