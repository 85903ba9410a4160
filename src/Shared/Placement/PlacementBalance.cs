namespace StorageHa.Shared.Placement;

/// <summary>How even a plan stays under failures: the worst spread (most minus fewest VIPs on a node that is up).</summary>
public static class PlacementBalance
{
    /// <summary>The worst spread over every set of exactly <paramref name="failures"/> failed nodes.</summary>
    public static int WorstSpread(PlacementPlan plan, int failures) =>
        FailureSets(plan.Nodes, failures).Max(failed => Spread(plan, failed));

    public static int Spread(PlacementPlan plan, IReadOnlyCollection<string> failed)
    {
        var counts = plan.VipCounts(failed).Values.ToArray();
        return counts.Length == 0 ? 0 : counts.Max() - counts.Min();
    }

    /// <summary>
    /// The fewest VIPs that must move when a node joins <paramref name="before"/> (all nodes up) so counts differ by at
    /// most one again: the newcomer needs ⌊m/(n+1)⌋, and every node above ⌈m/(n+1)⌉ must give up the excess.
    /// </summary>
    public static int FewestMovesWhenANodeJoins(PlacementPlan before)
    {
        var counts = before.VipCounts([]).Values.ToArray();
        var (total, nodes) = (counts.Sum(), counts.Length + 1);
        return Math.Max(total / nodes, counts.Sum(c => Math.Max(0, c - (total + nodes - 1) / nodes)));
    }

    /// <summary>Every set of exactly <paramref name="size"/> nodes, each set and the sets in the order of <paramref name="nodes"/>.</summary>
    public static IEnumerable<string[]> FailureSets(IReadOnlyList<string> nodes, int size)
    {
        if (size == 0) { yield return []; yield break; }
        for (var first = 0; first <= nodes.Count - size; first++)
            foreach (var rest in FailureSets(nodes.Skip(first + 1).ToArray(), size - 1))
                yield return [nodes[first], .. rest];
    }
}
