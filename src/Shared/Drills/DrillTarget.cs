using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Drills;

public enum DrillTargetKind
{
    /// <summary>One VIP: moved to another online node, moved back, then its move cleared.</summary>
    Vip,
    /// <summary>One node: put in standby (its VIPs move away), then taken out of standby.</summary>
    Node,
}

/// <summary>What a drill rehearses the failover of: one VIP (by its address) or one node (by its name).</summary>
public sealed record DrillTarget(DrillTargetKind Kind, string Name)
{
    /// <summary>The target from a request that names a VIP or a node, not both; throws <see cref="InvalidInputException"/> otherwise.</summary>
    public static DrillTarget From(string? vip, string? node)
    {
        var (hasVip, hasNode) = (!string.IsNullOrWhiteSpace(vip), !string.IsNullOrWhiteSpace(node));
        if (hasVip == hasNode)
            throw new InvalidInputException(hasVip ? "node" : "vip", hasVip
                ? "a drill moves one VIP or one node: give \"vip\" or \"node\", not both"
                : "is required: the VIP's address to move, or (as \"node\") the node to put in standby");
        if (hasVip)
        {
            if (InputRules.IpAddress(vip) is { } wrong) throw new InvalidInputException("vip", wrong);
            return new DrillTarget(DrillTargetKind.Vip, System.Net.IPAddress.Parse(vip!).ToString());
        }
        if (InputRules.Name(node) is { } badName && InputRules.HostAddress(node) is not null) throw new InvalidInputException("node", badName);
        return new DrillTarget(DrillTargetKind.Node, node!);
    }

    public static DrillTarget Vip(string address) => new(DrillTargetKind.Vip, address);
    public static DrillTarget Node(string name) => new(DrillTargetKind.Node, name);

    /// <summary>The VIP's Pacemaker resource; null for a node drill.</summary>
    public string? VipResource => Kind == DrillTargetKind.Vip ? ResourceIds.Vip(Name) : null;

    /// <summary>"VIP 192.0.2.101" or "node node2".</summary>
    public string Display => Kind == DrillTargetKind.Vip ? $"VIP {Name}" : $"node {Name}";

    /// <summary>What the drill does, for the confirmation and the report.</summary>
    public string Plan => Kind == DrillTargetKind.Vip
        ? $"Move VIP {Name} to another online node, move it back, then clear the move"
        : $"Put {Name} in standby (its VIPs move to the other nodes), then take it out of standby";

    /// <summary>Why this target cannot be drilled in <paramref name="state"/>: an unknown VIP or node, no other online node to move to.</summary>
    public IReadOnlyList<string> Check(ClusterState state) => Kind switch
    {
        DrillTargetKind.Vip when state.VirtualIps.All(v => v.Id != VipResource) =>
            [$"{Name} is not a VIP of this cluster (its VIPs: {Names(state.VirtualIps.Select(v => v.Id))})"],
        DrillTargetKind.Vip when state.WhereRuns(VipResource!) is null => [$"VIP {Name} runs nowhere: there is nothing to move"],
        DrillTargetKind.Vip when AwayNode(state) is null => [$"VIP {Name} has no other online node to move to"],
        DrillTargetKind.Node when state.Node(Name) is null =>
            [$"'{Name}' is not a node of this cluster (its nodes: {Names(state.Nodes.Select(n => n.Name))})"],
        DrillTargetKind.Node when state.Nodes.All(n => n.Name == Name || n.Status != NodeStatus.Online) =>
            [$"{Name} is the only online node: its VIPs would have nowhere to go"],
        _ => [],
    };

    /// <summary>
    /// Where a VIP drill moves the VIP: the online node, other than its holder, that runs the fewest VIPs (then by name), so
    /// the drill does not pile VIPs onto one node. Null for a node drill or when there is none.
    /// </summary>
    public string? AwayNode(ClusterState state)
    {
        if (VipResource is not { } vip || state.WhereRuns(vip) is not { } holder) return null;
        return state.Nodes.Where(n => n.Name != holder && n.Status == NodeStatus.Online)
            .OrderBy(n => state.VirtualIps.Count(v => v.Node == n.Name)).ThenBy(n => n.Name, StringComparer.Ordinal)
            .FirstOrDefault()?.Name;
    }

    private static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}
