using StorageHa.Shared.Placement;

namespace StorageHa.Shared.Tests.Placement;

/// <summary>Every cluster shape the properties are checked on: 1–8 nodes, 0–32 VIPs, planned once.</summary>
internal static class PlacementCases
{
    public const int MaxNodes = 8;
    public const int MaxVips = 32;

    public static string[] Nodes(int n) => Enumerable.Range(1, n).Select(i => $"node{i}").ToArray();

    public static string[] Vips(int m) => Enumerable.Range(1, m).Select(i => $"192.0.2.{i}").ToArray();

    public static readonly IReadOnlyList<(int N, int M, PlacementPlan Plan)> All =
        (from n in Enumerable.Range(1, MaxNodes)
         from m in Enumerable.Range(0, MaxVips + 1)
         select (n, m, VipPlacement.Plan(Nodes(n), Vips(m)))).ToArray();

    /// <summary>Every set of failed nodes of size ≤ <paramref name="maxFailed"/> (all subsets when it is n).</summary>
    public static IEnumerable<string[]> FailureSets(PlacementPlan plan, int maxFailed) =>
        Enumerable.Range(0, Math.Min(maxFailed, plan.Nodes.Count) + 1).SelectMany(k => PlacementBalance.FailureSets(plan.Nodes, k));

    public static string Describe(int n, int m, IEnumerable<string> failed) =>
        $"{n} nodes, {m} VIPs, down: [{string.Join(",", failed)}]";

    public static IEnumerable<T[]> Permutations<T>(T[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany((first, i) =>
            Permutations(items.Where((_, j) => j != i).ToArray()).Select(rest => (T[])[first, .. rest]));
}
