using StorageHa.Client.Services;
using StorageHa.Server.Auth;

namespace StorageHa.Server.Api;

/// <summary>The node helper per node: GET asks the node which storageha-node it runs, POST installs the bundled one.</summary>
public static class NodeHelperApi
{
    public static void MapNodeHelperApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}/nodes/{nodeId:long}/helper").RequireAuthorization(Roles.Operator).WithTags("StorageHa");
        api.MapGet("", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await ConsoleApi.NodeOf(inv, id, nodeId, ct);
            return await nodes.GetHelperAsync(nodeId, ct);
        });
        api.MapPost("", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await ConsoleApi.NodeOf(inv, id, nodeId, ct);
            return await nodes.DeployHelperAsync(nodeId, ct);
        });
    }
}
