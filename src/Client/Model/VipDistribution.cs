using StorageHa.Shared.State;

namespace StorageHa.Client.Model;

/// <summary>The VIPs one node holds at a moment (none is an answer too: a node that holds nothing takes the next failover's load).</summary>
public sealed record NodeVips(string Node, NodeStatus Status, IReadOnlyList<string> Vips);

/// <summary>
/// How the VIPs are spread over the nodes at one moment, from a crm_mon state: each node (in the cluster's order) with the
/// VIPs running on it, and the VIPs running nowhere.
/// </summary>
public sealed record VipDistribution(IReadOnlyList<NodeVips> Nodes, IReadOnlyList<string> NotRunning)
{
    public static VipDistribution Of(ClusterState state)
    {
        var vips = state.VirtualIps;
        return new VipDistribution(
            [.. state.Nodes.Select(n => new NodeVips(n.Name, n.Status, [.. vips.Where(v => v.IsRunning && v.Node == n.Name).Select(v => v.Id)]))],
            [.. vips.Where(v => !v.IsRunning).Select(v => v.Id).Distinct()]);
    }

    public int VipCount => Nodes.Sum(n => n.Vips.Count) + NotRunning.Count;

    /// <summary>The VIPs on <paramref name="node"/> (none when it is not in this moment's state).</summary>
    public IReadOnlyList<string> On(string node) => Nodes.FirstOrDefault(n => n.Node == node)?.Vips ?? [];
}

/// <summary>A distribution with the moment it shows, in the admin's words ("now", "before", "during", "after").</summary>
public sealed record VipMoment(string Label, VipDistribution Distribution);
