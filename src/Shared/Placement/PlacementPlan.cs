namespace StorageHa.Shared.Placement;

/// <summary>A VIP to place; <see cref="OnlyOn"/> limits it to some nodes (e.g. only they have its NIC).</summary>
public sealed record PlacementVip(string Address, IReadOnlyCollection<string>? OnlyOn = null);

/// <summary>A Pacemaker location score: <c>location VIP prefers NODE=SCORE</c>.</summary>
public readonly record struct NodeScore(string Node, int Score);

/// <summary>
/// Where one VIP wants to run: <see cref="Nodes"/> best first. <see cref="Avoided"/> are nodes it must never run
/// on (-INFINITY), because the cluster is symmetric and would otherwise use them once every preferred node is down.
/// </summary>
public sealed record VipPreference(string Vip, IReadOnlyList<string> Nodes, IReadOnlyList<string> Avoided)
{
    /// <summary>Gap between neighbouring ranks, leaving room for other constraints without reordering.</summary>
    public const int ScoreStep = 100;

    /// <summary>Descending scores: with resource-stickiness=0 Pacemaker runs the VIP on its first online node.</summary>
    public IReadOnlyList<NodeScore> Scores =>
        Nodes.Select((node, rank) => new NodeScore(node, (Nodes.Count - rank) * ScoreStep)).ToArray();
}

/// <summary>Every VIP's preference over the cluster's nodes; <see cref="Nodes"/> in join order, VIPs in address order.</summary>
public sealed record PlacementPlan(IReadOnlyList<string> Nodes, IReadOnlyList<VipPreference> Vips)
{
    /// <summary>
    /// Where each VIP runs while <paramref name="failedNodes"/> are down: its first node that is up, or null when
    /// none of its nodes is. This is what Pacemaker does with these scores and stickiness 0.
    /// </summary>
    public IReadOnlyDictionary<string, string?> RunningNodes(IEnumerable<string> failedNodes)
    {
        var failed = failedNodes.ToHashSet(StringComparer.Ordinal);
        var running = new Dictionary<string, string?>(Vips.Count, StringComparer.Ordinal);
        foreach (var vip in Vips)
            running[vip.Vip] = vip.Nodes.FirstOrDefault(node => !failed.Contains(node));
        return running;
    }

    /// <summary>How many VIPs each node that is up runs while <paramref name="failedNodes"/> are down.</summary>
    public IReadOnlyDictionary<string, int> VipCounts(IEnumerable<string> failedNodes)
    {
        var failed = failedNodes.ToHashSet(StringComparer.Ordinal);
        var counts = Nodes.Where(n => !failed.Contains(n)).ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        foreach (var node in RunningNodes(failed).Values)
            if (node is not null) counts[node]++;
        return counts;
    }
}
