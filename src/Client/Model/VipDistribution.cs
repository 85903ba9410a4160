using StorageHa.Shared.Drills;
using StorageHa.Shared.State;

namespace StorageHa.Client.Model;

/// <summary>The VIPs one node holds at a moment (none is an answer too: a node that holds nothing takes the next failover's load).</summary>
public sealed record NodeVips(string Node, IReadOnlyList<string> Vips);

/// <summary>
/// How the VIPs are spread over the nodes at one moment, from a crm_mon state: each node (in the cluster's order) with the
/// VIPs running on it, and the VIPs running nowhere.
/// </summary>
public sealed record VipDistribution(IReadOnlyList<NodeVips> Nodes, IReadOnlyList<string> NotRunning)
{
    public static VipDistribution Of(ClusterState state)
    {
        var vips = state.VirtualIps;
        return new VipDistribution(
            [.. state.Nodes.Select(n => new NodeVips(n.Name, [.. vips.Where(v => v.IsRunning && v.Node == n.Name).Select(v => v.Id)]))],
            [.. vips.Where(v => !v.IsRunning).Select(v => v.Id).Distinct()]);
    }

    /// <summary>
    /// A drill's three moments (before, during: after the away phase, after) from where its report saw each VIP; the nodes in
    /// <paramref name="nodes"/>' order first (the cluster's, so a node that held none keeps its place), then any other.
    /// </summary>
    public static IReadOnlyList<VipMoment> OfDrill(DrillReport report, IReadOnlyList<string> nodes)
    {
        var all = nodes.Concat(report.Vips.SelectMany(v => new[] { v.Before, v.During, v.After }).OfType<string>()).Distinct().ToList();
        VipMoment Moment(string label, Func<DrillVipResult, string?> where) => new(label, new VipDistribution(
            [.. all.Select(n => new NodeVips(n, [.. report.Vips.Where(v => where(v) == n).Select(v => v.Vip)]))],
            [.. report.Vips.Where(v => where(v) is null).Select(v => v.Vip)]));
        return [Moment("before", v => v.Before), Moment("during", v => v.During), Moment("after", v => v.After)];
    }

    public int VipCount => Nodes.Sum(n => n.Vips.Count) + NotRunning.Count;

    /// <summary>The VIPs on <paramref name="node"/> (none when it is not in this moment's state).</summary>
    public IReadOnlyList<string> On(string node) => Nodes.FirstOrDefault(n => n.Node == node)?.Vips ?? [];
}

/// <summary>A distribution with the moment it shows, in the admin's words ("now", "before", "during", "after").</summary>
public sealed record VipMoment(string Label, VipDistribution Distribution);
