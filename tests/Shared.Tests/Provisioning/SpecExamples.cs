using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>A small valid SMB+NFS spec on 192.0.2.0/24 and the facts of its nodes, for tests that change one thing.</summary>
internal static class SpecExamples
{
    public static ClusterSpec ThreeNodes(int vips = 2) => new()
    {
        Name = "lab",
        Purpose = ClusterPurpose.Both,
        Nodes = [.. Enumerable.Range(1, 3).Select(i => new NodeSpec { Name = $"node{i}", Address = $"192.0.2.1{i}" })],
        VirtualIps = [.. Enumerable.Range(1, vips).Select(i => new VirtualIpSpec { Address = $"192.0.2.10{i}", Prefix = 24 })],
        SharedState = new() { RecoveryLock = "/srv/state/ctdb/reclock", GaneshaState = "/srv/state/ganesha" },
        Shares = [new() { Name = "data", Path = "/srv/data" }],
        Exports = [new() { Path = "/srv/data", Clients = "192.0.2.0/24" }],
        Fencing = new() { NoFencingAcknowledged = true },
    };

    public static NodeFacts Facts(string address, int prefix = 24, string init = "boot.sh", string osId = "debian", string? osLike = null,
        IEnumerable<string>? packages = null) => new()
    {
        OsId = osId,
        OsLike = osLike,
        InitProcess = init,
        Interfaces = [new("eth0", null, true, [$"{address}/{prefix}"])],
        Packages = [.. (packages ?? NodeProbe.Packages).Select(p => new PackageState(p, "1.0"))],
    };

    public static IReadOnlyDictionary<string, NodeFacts> FactsFor(ClusterSpec spec, string init = "boot.sh", string osId = "debian", string? osLike = null) =>
        spec.Nodes.ToDictionary(n => n.Name, n => Facts(n.Address, init: init, osId: osId, osLike: osLike));
}
