using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Placement;

/// <summary>
/// Deterministic, balanced VIP placement: for each VIP a full preference order of nodes, so that the "first online
/// node" is balanced with all nodes up (counts differ by ≤1), with any one node down (≤1) and any two down.
/// Pacemaker applies it through location scores alone, so failover and failback need no daemon and no console.
/// </summary>
public static class VipPlacement
{
    public static PlacementPlan Plan(IEnumerable<string> nodes, IEnumerable<PlacementVip> vips)
    {
        var (nodeOrder, vipOrder) = Canonical(nodes.ToArray(), vips.ToArray());
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

    public static PlacementPlan Plan(IEnumerable<string> nodes, IEnumerable<string> vips) =>
        Plan(nodes, vips.Select(v => new PlacementVip(v)));

    /// <summary>Validates the input and sorts it: nodes in natural name order, VIPs by address.</summary>
    internal static (string[] Nodes, PlacementVip[] Vips) Canonical(string[] nodes, PlacementVip[] vips)
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

        var nodeOrder = nodes.Order(NaturalOrder.Instance).ToArray();
        var vipOrder = vips.OrderBy(v => IPAddress.Parse(v.Address), AddressOrder.Instance).ToArray();
        return (nodeOrder, vipOrder);
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
