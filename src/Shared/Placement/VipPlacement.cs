using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Placement;

/// <summary>
/// Deterministic, balanced VIP placement: for each VIP a full preference order of nodes, so that the "first online
/// node" is balanced with all nodes up (counts differ by ≤1), with any one node down (≤1) and any two down.
/// Pacemaker applies it through location scores alone, so failover and failback need no daemon and no console.
/// <para>The nodes come in join order (the order they joined the cluster, first member first) and the plan is built
/// in that order, so a node that joins takes only its share of VIPs whatever its name. Same input, same plan: the
/// same node names in the same join order and the same VIPs, each limited to the same set of nodes; the order of
/// the VIPs and of each VIP's <see cref="PlacementVip.OnlyOn"/> does not matter, and the names themselves only
/// label the join positions (renaming nodes renames the plan).</para>
/// </summary>
public static class VipPlacement
{
    /// <param name="nodesInJoinOrder">The cluster's nodes, the first to join first; without a known join order,
    /// <see cref="NaturalOrder"/> of the names is the usual stand-in (node1, node2, … joined in that order).</param>
    /// <param name="vips">The VIPs, in any order.</param>
    public static PlacementPlan Plan(IReadOnlyList<string> nodesInJoinOrder, IEnumerable<PlacementVip> vips)
    {
        var (nodeOrder, vipOrder) = Validated(nodesInJoinOrder.ToArray(), vips.ToArray());
        var index = nodeOrder.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var allowed = vipOrder.Select(v =>
        {
            var mask = new bool[nodeOrder.Length];
            if (v.OnlyOn is null) Array.Fill(mask, true);
            else foreach (var node in v.OnlyOn) mask[index[node]] = true;
            return mask;
        }).ToArray();

        var lists = PreferenceConstruction.Build(nodeOrder.Length, allowed);
        var preferences = vipOrder.Select((vip, v) => new VipPreference(
            vip.Address,
            lists[v].Select(n => nodeOrder[n]).ToArray(),
            nodeOrder.Where((_, n) => !allowed[v][n]).ToArray())).ToArray();
        return new PlacementPlan(nodeOrder, preferences);
    }

    public static PlacementPlan Plan(IReadOnlyList<string> nodesInJoinOrder, IEnumerable<string> vips) =>
        Plan(nodesInJoinOrder, vips.Select(v => new PlacementVip(v)));

    /// <summary>Validates the input and puts the VIPs in address order; the nodes keep their join order.</summary>
    internal static (string[] Nodes, PlacementVip[] Vips) Validated(string[] nodes, PlacementVip[] vips)
    {
        var errors = new List<ValidationError>();
        if (nodes.Length == 0) errors.Add(new("nodes", "at least one node is required"));
        if (nodes.Length > PreferenceConstruction.MaxNodes)
            errors.Add(new("nodes", $"at most {PreferenceConstruction.MaxNodes} nodes can be placed, got {nodes.Length}"));
        var seenNodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nodes.Length; i++)
        {
            if (InputRules.Name(nodes[i]) is { } problem) errors.Add(new($"nodes[{i}]", $"'{nodes[i]}' {problem}"));
            else if (!seenNodes.Add(nodes[i])) errors.Add(new($"nodes[{i}]", $"'{nodes[i]}' is listed twice"));
        }
        var seenVips = new HashSet<IPAddress>();
        for (var i = 0; i < vips.Length; i++)
        {
            var vip = vips[i];
            if (InputRules.IpAddress(vip.Address) is { } problem) errors.Add(new($"vips[{i}]", problem));
            else if (!seenVips.Add(IPAddress.Parse(vip.Address))) errors.Add(new($"vips[{i}]", $"'{vip.Address}' is listed twice"));
            if (vip.OnlyOn is null) continue;
            if (vip.OnlyOn.Count == 0) errors.Add(new($"vips[{i}].onlyOn", "must name at least one node"));
            foreach (var node in vip.OnlyOn.Where(n => !nodes.Contains(n, StringComparer.Ordinal)))
                errors.Add(new($"vips[{i}].onlyOn", $"'{node}' is not one of the nodes"));
        }
        if (errors.Count > 0) throw new InvalidInputException(errors);

        var vipOrder = vips.OrderBy(v => IPAddress.Parse(v.Address), AddressOrder.Instance).ToArray();
        return (nodes, vipOrder);
    }

    /// <summary>IPv4 before IPv6, then by the address bytes: the order an admin reads a VIP list in.</summary>
    private sealed class AddressOrder : IComparer<IPAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            var byFamily = (x!.AddressFamily == AddressFamily.InterNetworkV6).CompareTo(y!.AddressFamily == AddressFamily.InterNetworkV6);
            return byFamily != 0 ? byFamily : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
        }
    }
}
