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
        return 0;
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
                var plan = VipPlacement.Plan(Enumerable.Range(1, n).Select(i => $"n{i}"), Enumerable.Range(1, m).Select(i => $"10.0.0.{i}"));
                row.Add(PlacementBalance.WorstSpread(plan, 2).ToString());
            }
            output.WriteLine($"n={n}: {string.Join("", row)}");
        }
        return 0;
    }
}
