using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Operations;

/// <summary>A cluster as an operation needs it: the state the monitor read last, and its nodes, the monitor's own node first.</summary>
/// <param name="Problem">Why some nodes cannot be logged in to (no credential, no accepted host key), if so.</param>
public sealed record OperationCluster(string Name, ClusterState State, IReadOnlyList<SshTarget> Nodes, string? Problem = null)
{
    /// <summary>Its nodes as the live-node finder asks them.</summary>
    public ClusterNodes Reach => new(Name, Nodes, Problem);
}

/// <summary>Finds the cluster an operation is for, with the nodes to run it on in the order to try them.</summary>
public sealed class OperationTargets(IMonitoredClusters clusters, ClusterFeeds feeds)
{
    public async Task<OperationCluster> ForAsync(long clusterId, CancellationToken ct)
    {
        var cluster = (await clusters.ListAsync(ct)).FirstOrDefault(c => c.Id == clusterId)
            ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var snapshot = feeds.Snapshot(clusterId);
        if (snapshot?.State is not { } state)
            throw new ConflictException("cluster", $"The console has not read the state of {cluster.Name} yet " +
                $"({snapshot?.Monitor.Message ?? "it is not watched yet"}); operations wait until it has.");
        // The node the monitor reads from answered within the last second; the others are the fallback.
        var reading = snapshot.Monitor.Node;
        return new OperationCluster(cluster.Name, state, [.. cluster.Nodes.OrderBy(n => n.Name == reading ? 0 : 1)], cluster.Problem);
    }
}
