using StorageHa.Shared.Console;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Small cluster states for the dashboard tests: three nodes, one VIP, written the way crm_mon would describe them.</summary>
internal static class DashboardStates
{
    public static ClusterState State(string? vipOn, string? offline = null) => new()
    {
        Summary = new ClusterSummary { HasQuorum = true, DcPresent = true, DcName = "node2" },
        Nodes = [.. new[] { "node1", "node2", "node3" }.Select(n => new ClusterNode { Name = n, Online = n != offline, IsDc = n == "node2" })],
        Resources =
        [
            new PrimitiveResource { Id = "vip1", Agent = "ocf:heartbeat:IPaddr2", Role = vipOn is null ? ResourceRole.Stopped : ResourceRole.Started, Active = vipOn is not null, Nodes = vipOn is null ? [] : [vipOn] },
            new PrimitiveResource { Id = "smbd", Agent = "lsb:smbd", Role = ResourceRole.Started, Active = true, Nodes = ["node3"] },
        ],
    };

    public static ClusterSnapshot Snapshot(long id, string name, ClusterState? state, MonitorHealth health = MonitorHealth.Watching) =>
        new(id, name, 0, new MonitorStatus(health, health == MonitorHealth.Watching ? "node3" : null, health == MonitorHealth.Watching ? "watching from node3" : "no node answered", DateTimeOffset.UnixEpoch), state, null, [], []);

    public static ClusterChange Change(long id, long sequence, ClusterState? state, params ClusterEvent[] events) =>
        new(id, sequence, new MonitorStatus(MonitorHealth.Watching, "node3", "watching from node3", DateTimeOffset.UnixEpoch), state, events, null, null);
}
