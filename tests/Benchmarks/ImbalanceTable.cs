using StorageHa.Shared.Placement;

namespace StorageHa.Benchmarks;

/// <summary>Worst-case spread (most − fewest VIPs on a live node) of our placement against storhaug's ring.</summary>
internal static class ImbalanceTable
{
    public static int Print(TextWriter output)
    {
        output.WriteLine("worst spread over every failure set, n ≤ 8 nodes, m ≤ 32 VIPs: ours / storhaug ring");
        output.WriteLine("nodes | 0 down | 1 down | 2 down | worst m for 2 down (ours)");
        for (var n = 1; n <= 8; n++)
        {
            var ours = new int[3];
            var ring = new int[3];
            var worstM = 0;
            for (var m = 1; m <= 32; m++)
            {
                var nodes = Enumerable.Range(1, n).Select(i => $"n{i}").ToArray();
                var vips = Enumerable.Range(1, m).Select(i => $"10.0.0.{i}").ToArray();
                var plan = VipPlacement.Plan(nodes, vips);
                var storhaug = StorhaugRingPlacement.Plan(nodes, vips);
                for (var k = 0; k <= 2 && k < n; k++)
                {
                    var o = PlacementBalance.WorstSpread(plan, k);
                    if (k == 2 && o > ours[2]) worstM = m;
                    ours[k] = Math.Max(ours[k], o);
                    ring[k] = Math.Max(ring[k], PlacementBalance.WorstSpread(storhaug, k));
                }
            }
            string Cell(int k) => k < n ? $"{ours[k]} / {ring[k]}" : "–";
            output.WriteLine($"{n,5} | {Cell(0),6} | {Cell(1),6} | {Cell(2),6} | {(n > 2 ? worstM.ToString() : "–")}");
        }
        output.WriteLine();
        PrintJoins(output);
        output.WriteLine();
        PrintAdditions(output);
        return 0;
    }

    /// <summary>
    /// A node joins n → n+1, named to sort first, in the middle or last: the most VIPs moved beyond the fewest balance
    /// requires, over m ≤ 32. Ours in join order; ours on the names sorted instead (what it did before join order); the ring.
    /// </summary>
    private static void PrintJoins(TextWriter output)
    {
        output.WriteLine("a node joins, n → n+1, m ≤ 32: worst extra VIPs moved beyond the fewest balance requires");
        output.WriteLine("newest sorts: first / middle / last — ours (join order) | ours by sorted names | storhaug ring");
        for (var n = 1; n < 8; n++)
        {
            var cells = new[] { Joined.First, Joined.Middle, Joined.Last }.Select(newest =>
            {
                var nodes = Nodes(n + 1, newest);
                var sorted = nodes.Order(NaturalOrder.Instance).ToArray();
                var worst = (Ours: 0, Sorted: 0, Ring: 0);
                for (var m = 1; m <= 32; m++)
                {
                    var vips = Enumerable.Range(1, m).Select(i => $"10.0.0.{i}").ToArray();
                    worst.Ours = Math.Max(worst.Ours, ExtraMoves(VipPlacement.Plan(nodes[..^1], vips), VipPlacement.Plan(nodes, vips)));
                    worst.Sorted = Math.Max(worst.Sorted, ExtraMoves(VipPlacement.Plan(sorted.Where(x => x != nodes[^1]).ToArray(), vips), VipPlacement.Plan(sorted, vips)));
                    worst.Ring = Math.Max(worst.Ring, ExtraMoves(StorhaugRingPlacement.Plan(nodes[..^1], vips), StorhaugRingPlacement.Plan(nodes, vips)));
                }
                return worst;
            }).ToArray();
            output.WriteLine($"{n} → {n + 1}: {string.Join(" / ", cells.Select(c => c.Ours))} | {string.Join(" / ", cells.Select(c => c.Sorted))} | {string.Join(" / ", cells.Select(c => c.Ring))}");
        }
    }

    /// <summary>
    /// A VIP is added after the others (its address sorts last too), all nodes up: how many existing VIPs change node,
    /// at worst over m ≤ 32, and how many of the 32 additions move any. Each such move is a failover for its clients.
    /// </summary>
    private static void PrintAdditions(TextWriter output)
    {
        output.WriteLine("a VIP is added, m-1 → m ≤ 32, all nodes up: existing VIPs that change node");
        output.WriteLine("nodes | worst | additions that move any (of 32)");
        for (var n = 1; n <= 8; n++)
        {
            var nodes = Enumerable.Range(1, n).Select(i => $"n{i}").ToArray();
            var (worst, disturbing) = (0, 0);
            var before = VipPlacement.Plan(nodes, Array.Empty<string>()).RunningNodes([]);
            for (var m = 1; m <= 32; m++)
            {
                var after = VipPlacement.Plan(nodes, Enumerable.Range(1, m).Select(i => $"10.0.0.{i}")).RunningNodes([]);
                var moved = before.Count(p => after[p.Key] != p.Value);
                (worst, disturbing) = (Math.Max(worst, moved), disturbing + (moved > 0 ? 1 : 0));
                before = after;
            }
            output.WriteLine($"{n,5} | {worst,5} | {disturbing,2}");
        }
    }

    private enum Joined { First, Middle, Last }

    /// <summary>n10, n20, … in join order, then the newest: n5, n15/n25/…, or n{10n}.</summary>
    private static string[] Nodes(int n, Joined newest) =>
        [.. Enumerable.Range(1, n - 1).Select(i => $"n{i * 10}"),
         $"n{newest switch { Joined.First => 5, Joined.Middle => (n - 1) / 2 * 10 + 5, _ => n * 10 }}"];

    /// <summary>VIPs that moved with all nodes up, minus the fewest moves balance requires.</summary>
    private static int ExtraMoves(PlacementPlan before, PlacementPlan after)
    {
        var was = before.RunningNodes([]);
        return after.RunningNodes([]).Count(p => p.Value != was[p.Key]) - PlacementBalance.FewestMovesWhenANodeJoins(before);
    }
}

internal static class DoubleFailureCells
{
    public static int Print(TextWriter output)
    {
        for (var n = 3; n <= 8; n++)
        {
            var row = new List<string>();
            for (var m = 1; m <= 32; m++)
            {
                var plan = VipPlacement.Plan(Enumerable.Range(1, n).Select(i => $"n{i}").ToArray(), Enumerable.Range(1, m).Select(i => $"10.0.0.{i}"));
                row.Add(PlacementBalance.WorstSpread(plan, 2).ToString());
            }
            output.WriteLine($"n={n}: {string.Join("", row)}");
        }
        return 0;
    }
}
