using StorageHa.Shared.State;

namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>
/// This node's partition has quorum and each of <paramref name="Nodes"/> is online in it: a cluster formed of exactly
/// those nodes, or a node back in its cluster (the lab waits for these through storageha-node cluster-state).
/// </summary>
public sealed record QuorateWithOnline(IReadOnlyList<string> Nodes) : ClusterCondition
{
    public override string? Unmet(ClusterState state)
    {
        if (!state.Summary.HasQuorum) return "no quorum";
        var offline = Nodes.Where(n => state.Node(n)?.Online != true).ToList();
        return offline.Count == 0 ? null : $"quorate, but not online: {string.Join(", ", offline)}";
    }

    public override string Describe() => $"quorate with {string.Join(", ", Nodes)} online";
}
