using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.Drills;

/// <summary>A healthy three-node cluster with two VIPs (node1 and node2 hold one each), and its probes' view.</summary>
internal static class DrillFixtures
{
    public const string Vip1 = "10.99.0.100";
    public const string Vip2 = "10.99.0.101";
    public static readonly DateTimeOffset T0 = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static ClusterState Healthy(string vip1On = "node1", string vip2On = "node2") => new()
    {
        Summary = new ClusterSummary { HasQuorum = true, DcPresent = true, DcName = "node1" },
        Nodes = [Node("node1"), Node("node2"), Node("node3")],
        Resources =
        [
            Primitive("vip-" + Vip1, "ocf:heartbeat:IPaddr2", vip1On), Primitive("tickle-" + Vip1, "ocf:storageha:tickle", vip1On),
            Primitive("vip-" + Vip2, "ocf:heartbeat:IPaddr2", vip2On), Primitive("tickle-" + Vip2, "ocf:storageha:tickle", vip2On),
        ],
    };

    public static ClusterNode Node(string name) => new() { Name = name, Online = true, Kind = NodeKind.Member };

    public static PrimitiveResource Primitive(string id, string agent, string? on) => new()
    {
        Id = id, Agent = agent, Role = on is null ? ResourceRole.Stopped : ResourceRole.Started, Active = on is not null, Nodes = on is null ? [] : [on],
    };

    /// <summary>Every VIP service served now.</summary>
    public static IReadOnlyList<ServiceTransition> AllServed() =>
        [.. new[] { Vip1, Vip2 }.SelectMany(v => new[] { FileService.Smb, FileService.Nfs }.Select(s => new ServiceTransition(v, s, ServingState.Served, At(0))))];
}
