using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// The inventory as pages see it, kept in memory with the inventory's duplicate rules, so page tests can check what
/// was stored. The SQLite inventory itself is tested against real SQLite in Server.Tests.
/// </summary>
public sealed class InMemoryInventory : IInventory
{
    private long _nextId = 100;

    public List<Cluster> Clusters { get; } = [];
    public List<Node> Nodes { get; } = [];
    public List<VirtualIp> VirtualIps { get; } = [];
    public List<Share> Shares { get; } = [];
    public List<Export> Exports { get; } = [];

    public Task<IReadOnlyList<Cluster>> ListClustersAsync(CancellationToken ct = default) => List(Clusters);
    public Task<Cluster?> GetClusterAsync(long clusterId, CancellationToken ct = default) => Task.FromResult(Clusters.FirstOrDefault(c => c.Id == clusterId));

    public Task<Cluster> AddClusterAsync(Cluster cluster, CancellationToken ct = default)
    {
        if (Clusters.Any(c => c.Name.Equals(cluster.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ConflictException("name", $"A cluster named {cluster.Name} already exists.");
        var added = cluster with { Id = ++_nextId };
        Settings[added.Id] = ClusterSettings.ForNewCluster;
        return Add(Clusters, added);
    }

    public Task<Cluster> UpdateClusterAsync(Cluster cluster, CancellationToken ct = default) => Replace(Clusters, cluster, c => c.Id);
    public Task DeleteClusterAsync(long clusterId, CancellationToken ct = default) => Remove(Clusters, c => c.Id == clusterId);

    public Dictionary<long, ClusterSettings> Settings { get; } = [];
    public Task<ClusterSettings> GetSettingsAsync(long clusterId, CancellationToken ct = default) => Task.FromResult(Settings.GetValueOrDefault(clusterId) ?? new ClusterSettings());

    /// <summary>Errors the next settings update is refused with, as the server's 400 names them (its checks beyond the spec's rules).</summary>
    public IReadOnlyList<ValidationError>? RefuseSettings { get; set; }

    public Task<ClusterSettings> UpdateSettingsAsync(long clusterId, ClusterSettings settings, CancellationToken ct = default)
    {
        if (RefuseSettings is { } refusal) throw new InvalidInputException(refusal);
        var cluster = Clusters.Single(c => c.Id == clusterId);
        var errors = settings.Validate(cluster.Name, Nodes.Where(n => n.ClusterId == clusterId).Select(n => new NodeSpec { Name = n.Name, Address = n.Address }));
        if (errors.Count > 0) throw new InvalidInputException(errors);
        Settings[clusterId] = settings;
        return Task.FromResult(settings);
    }

    public Task<IReadOnlyList<Node>> ListNodesAsync(long clusterId, CancellationToken ct = default) => List(Nodes.Where(n => n.ClusterId == clusterId));
    public Task<Node?> GetNodeAsync(long nodeId, CancellationToken ct = default) => Task.FromResult(Nodes.FirstOrDefault(n => n.Id == nodeId));

    public Task<Node> AddNodeAsync(Node node, CancellationToken ct = default)
    {
        RefuseDuplicate(node);
        var number = Nodes.Where(n => n.ClusterId == node.ClusterId).Select(n => n.Number).DefaultIfEmpty(0).Max() + 1;
        return Add(Nodes, node with { Id = ++_nextId, Number = number });
    }

    public Task<Node> UpdateNodeAsync(Node node, CancellationToken ct = default)
    {
        RefuseDuplicate(node);
        var old = Nodes.Single(n => n.Id == node.Id);
        var moved = old.Address != node.Address || old.SshPort != node.SshPort;
        return Replace(Nodes, node with { Number = old.Number, HostKeyFingerprint = moved ? null : old.HostKeyFingerprint }, n => n.Id);
    }

    public Task DeleteNodeAsync(long nodeId, CancellationToken ct = default) => Remove(Nodes, n => n.Id == nodeId);

    public Task<IReadOnlyList<VirtualIp>> ListVirtualIpsAsync(long clusterId, CancellationToken ct = default) => List(VirtualIps.Where(v => v.ClusterId == clusterId));
    public Task<VirtualIp> AddVirtualIpAsync(VirtualIp vip, CancellationToken ct = default) => Add(VirtualIps, vip with { Id = ++_nextId });
    public Task<VirtualIp> UpdateVirtualIpAsync(VirtualIp vip, CancellationToken ct = default) => Replace(VirtualIps, vip, v => v.Id);
    public Task DeleteVirtualIpAsync(long vipId, CancellationToken ct = default) => Remove(VirtualIps, v => v.Id == vipId);

    public Task<IReadOnlyList<Share>> ListSharesAsync(long clusterId, CancellationToken ct = default) => List(Shares.Where(s => s.ClusterId == clusterId));
    public Task<Share> AddShareAsync(Share share, CancellationToken ct = default) => Add(Shares, share with { Id = ++_nextId });
    public Task<Share> UpdateShareAsync(Share share, CancellationToken ct = default) => Replace(Shares, share, s => s.Id);
    public Task DeleteShareAsync(long shareId, CancellationToken ct = default) => Remove(Shares, s => s.Id == shareId);

    public Task<IReadOnlyList<Export>> ListExportsAsync(long clusterId, CancellationToken ct = default) => List(Exports.Where(e => e.ClusterId == clusterId));
    public Task<Export> AddExportAsync(Export export, CancellationToken ct = default) => Add(Exports, export with { Id = ++_nextId });
    public Task<Export> UpdateExportAsync(Export export, CancellationToken ct = default) => Replace(Exports, export, e => e.Id);
    public Task DeleteExportAsync(long exportId, CancellationToken ct = default) => Remove(Exports, e => e.Id == exportId);

    private void RefuseDuplicate(Node node)
    {
        var others = Nodes.Where(n => n.ClusterId == node.ClusterId && n.Id != node.Id).ToList();
        if (others.FirstOrDefault(n => n.Name.Equals(node.Name, StringComparison.OrdinalIgnoreCase)) is { } sameName)
            throw new ConflictException("name", $"This cluster already has a node named {sameName.Name}.");
        if (others.FirstOrDefault(n => n.Address.Equals(node.Address, StringComparison.OrdinalIgnoreCase)) is { } sameAddress)
            throw new ConflictException("address", $"Node {sameAddress.Name} already has the address {node.Address}.");
    }

    private static Task<IReadOnlyList<T>> List<T>(IEnumerable<T> items) => Task.FromResult<IReadOnlyList<T>>(items.ToList());

    private static Task<T> Add<T>(List<T> items, T item)
    {
        items.Add(item);
        return Task.FromResult(item);
    }

    private static Task<T> Replace<T>(List<T> items, T item, Func<T, long> id)
    {
        var index = items.FindIndex(i => id(i) == id(item));
        if (index < 0)
            throw new KeyNotFoundException();
        items[index] = item;
        return Task.FromResult(item);
    }

    private static Task Remove<T>(List<T> items, Predicate<T> match)
    {
        items.RemoveAll(match);
        return Task.CompletedTask;
    }
}
