namespace StorageHa.Shared.Placement;

/// <summary>
/// storhaug's "deterministic failover", kept only to measure ours against: VIP i's home is node i mod n and its
/// scores fall around the ring after it, so all VIPs of a failed node land on the same next node.
/// </summary>
public static class StorhaugRingPlacement
{
    /// <summary>The ring runs in join order, as ours does, so both are compared on the same input.</summary>
    public static PlacementPlan Plan(IReadOnlyList<string> nodesInJoinOrder, IEnumerable<string> vips)
    {
        var (nodeOrder, vipOrder) = VipPlacement.Validated(nodesInJoinOrder.ToArray(), vips.Select(v => new PlacementVip(v)).ToArray());
        var n = nodeOrder.Length;
        var preferences = vipOrder.Select((vip, i) => new VipPreference(
            vip.Address,
            Enumerable.Range(0, n).Select(step => nodeOrder[(i + step) % n]).ToArray(),
            [])).ToArray();
        return new PlacementPlan(nodeOrder, preferences);
    }
}
