using StorageHa.Shared.Placement;

namespace StorageHa.Shared.Tests.Placement;

/// <summary>Where the node that joined last sorts among the names: placement must not care.</summary>
public enum Newest { SortsFirst, SortsInTheMiddle, SortsLast }

/// <summary>Every cluster shape the properties are checked on: 1–8 nodes, 0–32 VIPs, the newest node named to sort first, in the middle or last; planned once.</summary>
internal static class PlacementCases
{
    public const int MaxNodes = 8;
    public const int MaxVips = 32;

    public static readonly Newest[] EveryNaming = Enum.GetValues<Newest>();

    public static string[] Nodes(int n) => Enumerable.Range(1, n).Select(i => $"node{i}").ToArray();

    /// <summary>
    /// <paramref name="n"/> nodes in join order: node10, node20, … and last the newest, named node5 (sorts first),
    /// node15/node25/… (sorts in the middle) or node{10n} (sorts last).
    /// </summary>
    public static string[] JoinedNodes(int n, Newest newest)
    {
        var older = Enumerable.Range(1, n - 1).Select(i => i * 10).ToArray();
        var newcomer = newest switch
        {
            Newest.SortsFirst => 5,
            Newest.SortsInTheMiddle => (n - 1) / 2 * 10 + 5,
            _ => n * 10,
        };
        return [.. older.Select(i => $"node{i}"), $"node{newcomer}"];
    }

    public static string[] Vips(int m) => Enumerable.Range(1, m).Select(i => $"192.0.2.{i}").ToArray();

    public static readonly IReadOnlyList<(int N, int M, PlacementPlan Plan)> All =
        (from n in Enumerable.Range(1, MaxNodes)
         from m in Enumerable.Range(0, MaxVips + 1)
         from newest in EveryNaming
         select (n, m, VipPlacement.Plan(JoinedNodes(n, newest), Vips(m)))).ToArray();

    /// <summary>Every set of failed nodes of size ≤ <paramref name="maxFailed"/> (all subsets when it is n).</summary>
    public static IEnumerable<string[]> FailureSets(PlacementPlan plan, int maxFailed) =>
        Enumerable.Range(0, Math.Min(maxFailed, plan.Nodes.Count) + 1).SelectMany(k => PlacementBalance.FailureSets(plan.Nodes, k));

    public static string Describe(PlacementPlan plan, IEnumerable<string> failed) =>
        $"nodes in join order [{string.Join(",", plan.Nodes)}], {plan.Vips.Count} VIPs, down: [{string.Join(",", failed)}]";

    public static IEnumerable<T[]> Permutations<T>(T[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany((first, i) =>
            Permutations(items.Where((_, j) => j != i).ToArray()).Select(rest => (T[])[first, .. rest]));
}
