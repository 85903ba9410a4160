using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>
/// The live 2.1.5 healthy snapshot (vip1 on node2, vip2 on node3, vip3 and dummy1 on node1, DC node3) and edits of
/// it that stand for what crm_mon shows next. A recording from the lab replaces these when the dashboard work adds it.
/// </summary>
internal static class LiveSnapshots
{
    public static ClusterState Healthy => CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-healthy.xml"));

    public static ClusterState WithNode(this ClusterState state, string name, Func<ClusterNode, ClusterNode> change) =>
        state with { Nodes = state.Nodes.Select(n => n.Name == name ? change(n) : n).ToValueList() };

    /// <summary>Puts a primitive on <paramref name="nodes"/> (none: stopped).</summary>
    public static ClusterState WithResource(this ClusterState state, string id, params string[] nodes) =>
        state with
        {
            Resources = state.Resources.Select(r => r is PrimitiveResource p && p.Id == id
                ? p with
                {
                    Nodes = nodes.ToValueList(), Active = nodes.Length > 0,
                    Role = nodes.Length > 0 ? ResourceRole.Started : ResourceRole.Stopped,
                }
                : r).ToValueList(),
        };

    public static ClusterState WithSummary(this ClusterState state, Func<ClusterSummary, ClusterSummary> change) =>
        state with { Summary = change(state.Summary) };
}
