using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Serving;

/// <summary>The serve check on demand: the spec's check run on every node at once over SSH, kept as the cluster's latest.</summary>
public sealed class ConsoleServeChecks(IInventory inventory, ClusterSpecs specs, NodeAccess nodes, ISshRunner ssh, ServeCheckStore store,
    ICurrentActor actor, TimeProvider time) : IServeChecks
{
    /// <summary>Each tree connect and port is bounded on the node (30 s, 3 s); this bounds a node that hangs as a whole.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(2);

    public async Task<ServeReport?> LastAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await store.LastAsync(clusterId, ct);
    }

    public async Task<ServeReport> RunAsync(long clusterId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var spec = await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        if (spec.Nodes.Count == 0) throw new ConflictException("nodes", $"{spec.Name} has no nodes to check.");
        var inventoryNodes = await inventory.ListNodesAsync(clusterId, ct);
        var command = ServeCheck.Command(spec);
        var perNode = await Task.WhenAll(spec.Nodes.Select(async node =>
        {
            try
            {
                var target = await nodes.TargetAsync(inventoryNodes.Single(n => n.Name == node.Name), ct);
                var ran = await ssh.RunAsync(target, command, new SshRunOptions { Actor = who, AuditAction = "serve.check", Timeout = NodeTimeout }, ct);
                return ServeCheck.Parse(node.Name, ran.StdOut + ran.StdErr);
            }
            catch (Exception ex) when (ex is NodeSshException or InvalidInputException)
            {
                return (IReadOnlyList<ServeResult>)[new ServeResult(node.Name, ServeSubject.Node, node.Name, false, ex.Message)];
            }
        }));
        var report = new ServeReport(time.GetUtcNow(), perNode.SelectMany(r => r).ToArray());
        await store.SaveAsync(clusterId, report, ct);
        return report;
    }
}
