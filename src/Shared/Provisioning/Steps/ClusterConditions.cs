using System.Globalization;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>
/// Something the plan waits for or checks in the cluster's state. The runner reads <see cref="Query"/> on the step's node
/// and parses it with <see cref="CrmMonParser"/>: no script greps XML.
/// </summary>
public abstract record ClusterCondition
{
    /// <summary>The cluster's state as the one crm_mon parser reads it.</summary>
    public static readonly IReadOnlyList<string> Query = ["crm_mon", "-1", "--output-as=xml"];

    /// <summary>Null when the state meets the condition; otherwise why not, in the admin's words.</summary>
    public abstract string? Unmet(ClusterState state);

    /// <summary>The condition in the admin's words ("quorate with 3 nodes online").</summary>
    public abstract string Describe();
}

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

/// <summary>The node is in standby with nothing running on it, or no longer in the cluster at all.</summary>
public sealed record Drained(string Node) : ClusterCondition
{
    public override string? Unmet(ClusterState state) => state.Node(Node) switch
    {
        null => null,
        { Standby: false } => $"{Node} is not in standby",
        { ResourcesRunning: > 0 and var running } => string.Create(CultureInfo.InvariantCulture, $"{Node} still runs {running} resource(s)"),
        _ => null,
    };

    public override string Describe() => $"{Node} in standby with nothing running on it (or gone from the cluster)";
}
