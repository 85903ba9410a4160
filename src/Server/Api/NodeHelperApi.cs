using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>The node helper per node and per cluster: GET asks the nodes which storageha-node they run, POST installs the bundled one.</summary>
public static class NodeHelperApi
{
    public static void MapNodeHelperApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}").RequireAuthorization(Roles.Operator).WithTags("StorageHa");
        api.MapGet("/nodes/{nodeId:long}/helper", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await ConsoleApi.NodeOf(inv, id, nodeId, ct);
            return await nodes.GetHelperAsync(nodeId, ct);
        })
            .WithSummary("Which storageha-node the node runs, beside the bundled one");
        api.MapPost("/nodes/{nodeId:long}/helper", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await ConsoleApi.NodeOf(inv, id, nodeId, ct);
            return await nodes.DeployHelperAsync(nodeId, ct);
        })
            .WithSummary("Deploy the bundled storageha-node and its OCF agents to one node (nothing uploaded when it already has them)");
        api.MapGet("/helper", (long id, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
            EachNodeAsync(id, inv, ct, nodeId => nodes.GetHelperAsync(nodeId, ct)))
            .WithSummary("Which storageha-node each node of the cluster runs");
        api.MapPost("/helper", (long id, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
            EachNodeAsync(id, inv, ct, nodeId => nodes.DeployHelperAsync(nodeId, ct)))
            .WithSummary("Deploy the node helper to every node of the cluster, node by node (one failing does not stop the others)");
    }

    /// <summary>One node's answer in a cluster-wide call: its status, or why it could not be reached or installed.</summary>
    public sealed record NodeHelperOnNode(long NodeId, string Node, NodeHelperStatus? Status, string? Error);

    // Node by node, so a node that is down or refuses does not stop the others; current nodes are only checked.
    private static async Task<IReadOnlyList<NodeHelperOnNode>> EachNodeAsync(long clusterId, IInventory inv, CancellationToken ct, Func<long, Task<NodeHelperStatus>> act)
    {
        if (await inv.GetClusterAsync(clusterId, ct) is null) throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var results = new List<NodeHelperOnNode>();
        foreach (var node in await inv.ListNodesAsync(clusterId, ct))
        {
            try { results.Add(new(node.Id, node.Name, await act(node.Id), null)); }
            catch (Exception ex) when (ex is NodeSshException or InvalidInputException) { results.Add(new(node.Id, node.Name, null, ex.Message)); }
        }
        return results;
    }
}
