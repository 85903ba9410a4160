using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Api;

/// <summary>The REST API under /api: the same inventory and node access the pages use, behind the same login.</summary>
public static class ConsoleApi
{
    public static void MapConsoleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("StorageHa");
        var write = Roles.Operator;

        api.MapGet("/clusters", (IInventory inv, CancellationToken ct) => inv.ListClustersAsync(ct))
            .WithSummary("List the clusters");
        api.MapGet("/clusters/{id:long}", async (long id, IInventory inv, CancellationToken ct) =>
            await inv.GetClusterAsync(id, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {id}."))
            .WithSummary("One cluster");
        api.MapPost("/clusters", async (HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            var created = await inv.AddClusterAsync(await ApiJson.ReadAsync<Cluster>(req), ct);
            return Results.Created($"/api/clusters/{created.Id}", created);
        }).RequireAuthorization(write).Accepts<Cluster>("application/json")
            .WithSummary("Add a cluster (it starts with the default settings every new cluster gets)")
            .Example("""{"name":"nas1","description":"Finance file service","purpose":"Smb"}""");
        api.MapPut("/clusters/{id:long}", async (long id, HttpRequest req, IInventory inv, CancellationToken ct) =>
            await inv.UpdateClusterAsync(await ApiJson.ReadAsync<Cluster>(req) with { Id = id }, ct))
            .RequireAuthorization(write).Accepts<Cluster>("application/json")
            .WithSummary("Rename or describe a cluster");
        api.MapDelete("/clusters/{id:long}", async (long id, IInventory inv, CancellationToken ct) =>
        { await inv.DeleteClusterAsync(id, ct); return Results.NoContent(); }).RequireAuthorization(write)
            .WithSummary("Remove a cluster from the inventory (its nodes are left alone)");

        api.MapGet("/clusters/{id:long}/spec", async (long id, ClusterSpecs specs, CancellationToken ct) =>
            await specs.ExportAsync(id, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {id}."))
            .WithSummary("Export the whole cluster as one JSON document (credentials by name, no secrets)");
        api.MapPut("/clusters/{id:long}/spec", async (long id, HttpRequest req, ClusterSpecs specs, CancellationToken ct) =>
        {
            await specs.ImportAsync(id, await ApiJson.ReadAsync<ClusterSpec>(req), ct);
            return await specs.ExportAsync(id, ct);
        }).RequireAuthorization(write).Accepts<ClusterSpec>("application/json")
            .WithSummary("Import a whole cluster: it becomes exactly what the document says, in one transaction");

        // Nodes
        api.MapGet("/clusters/{id:long}/nodes", (long id, IInventory inv, CancellationToken ct) => inv.ListNodesAsync(id, ct))
            .WithSummary("List the cluster's nodes");
        api.MapGet("/clusters/{id:long}/nodes/{nodeId:long}", async (long id, long nodeId, IInventory inv, CancellationToken ct) =>
            await NodeOf(inv, id, nodeId, ct))
            .WithSummary("One node");
        api.MapPost("/clusters/{id:long}/nodes", async (long id, HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            var created = await inv.AddNodeAsync(await ApiJson.ReadAsync<Node>(req) with { ClusterId = id }, ct);
            return Results.Created($"/api/clusters/{id}/nodes/{created.Id}", created);
        }).RequireAuthorization(write).Accepts<Node>("application/json")
            .WithSummary("Add a node: name, address, SSH port and user, credential id")
            .Example("""{"name":"node1","address":"192.0.2.11","sshPort":22,"sshUser":"root","credentialId":3}""");
        api.MapPut("/clusters/{id:long}/nodes/{nodeId:long}", async (long id, long nodeId, HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            return await inv.UpdateNodeAsync(await ApiJson.ReadAsync<Node>(req) with { Id = nodeId, ClusterId = id }, ct);
        }).RequireAuthorization(write).Accepts<Node>("application/json")
            .WithSummary("Change a node (a new address or port drops its pinned host key)");
        api.MapDelete("/clusters/{id:long}/nodes/{nodeId:long}", async (long id, long nodeId, IInventory inv, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            await inv.DeleteNodeAsync(nodeId, ct);
            return Results.NoContent();
        }).RequireAuthorization(write)
            .WithSummary("Remove a node from the inventory");
        api.MapGet("/clusters/{id:long}/nodes/{nodeId:long}/hostkey", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            return await nodes.FetchHostKeyAsync(nodeId, ct);
        }).RequireAuthorization(write)
            .WithSummary("Connect and show the node's SSH host key fingerprint beside the pinned one");
        api.MapPost("/clusters/{id:long}/nodes/{nodeId:long}/hostkey", async (long id, long nodeId, HttpRequest req, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            var accept = await ApiJson.ReadAsync<AcceptHostKey>(req);
            await nodes.AcceptHostKeyAsync(nodeId, accept.Fingerprint, ct);
            return Results.NoContent();
        }).RequireAuthorization(write).Accepts<AcceptHostKey>("application/json")
            .WithSummary("Accept (pin) the node's host key: {\"fingerprint\":\"SHA256:…\"}");
        api.MapPost("/clusters/{id:long}/nodes/{nodeId:long}/confirm-credential", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            await nodes.ConfirmCredentialAsync(nodeId, ct);
            return await NodeOf(inv, id, nodeId, ct);
        }).RequireAuthorization(Roles.Admin)
            .WithSummary("Admins: let the node's credential be sent to where the node points now (address, port, SSH user, accepted host key)");
        api.MapPost("/clusters/{id:long}/nodes/{nodeId:long}/probe", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            return await nodes.ProbeAsync(nodeId, ct);
        }).RequireAuthorization(write)
            .WithSummary("Probe the node over SSH: OS, interfaces, packages, daemons, time, space, and what is missing");
        api.MapPost("/clusters/{id:long}/nodes/{nodeId:long}/install-key", async (long id, long nodeId, HttpRequest req, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            var once = await ApiJson.ReadAsync<OneTimePassword>(req);
            await nodes.InstallKeyAsync(nodeId, once.Password ?? "", ct);
            return Results.NoContent();
        }).RequireAuthorization(write).Accepts<OneTimePassword>("application/json")
            .WithSummary("Log in once with the node's password to add its key credential to authorized_keys (the password is kept nowhere)");
        api.MapPost("/clusters/{id:long}/nodes/{nodeId:long}/answering", async (long id, long nodeId, HttpRequest req, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            var check = await ApiJson.ReadAsync<AddressesToCheck>(req);
            return new AddressesToCheck(await nodes.AnsweringAsync(nodeId, check.Addresses ?? [], ct));
        }).RequireAuthorization(write).Accepts<AddressesToCheck>("application/json")
            .WithSummary("Which of up to 16 addresses something answers at, asked from the node (is a VIP free?)");
        api.MapGet("/clusters/{id:long}/nodes/{nodeId:long}/probe", async (long id, long nodeId, IInventory inv, INodeAccess nodes, CancellationToken ct) =>
        {
            await NodeOf(inv, id, nodeId, ct);
            return await nodes.GetLastProbeAsync(nodeId, ct) is { } facts ? Results.Ok(facts) : Results.NotFound();
        })
            .WithSummary("The node's last probe (404 before the first)");

        // Virtual IPs, shares, exports: the same four verbs each.
        MapChildren(api, "vips", """{"address":"192.0.2.101","prefix":24,"nic":"eth0"}""", (inv, id, ct) => inv.ListVirtualIpsAsync(id, ct),
            (inv, v, ct) => inv.AddVirtualIpAsync(v, ct), (inv, v, ct) => inv.UpdateVirtualIpAsync(v, ct), (inv, id, ct) => inv.DeleteVirtualIpAsync(id, ct),
            (v, cluster, id) => v with { ClusterId = cluster, Id = id }, v => v.Id);
        MapChildren(api, "shares", """
            {"name":"team","path":"/srv/cluster/team","comment":"Team files","readOnly":false,"guestOk":false,
             "validUsers":["@staff","LAB\\alice"],"readList":[],"writeList":["@\"LAB\\domain users\""],"adminUsers":["LAB\\alice"],
             "accessBasedEnumeration":true,"owner":"LAB\\alice","group":"@LAB\\staff","mode":"2770"}
            """,
            (inv, id, ct) => inv.ListSharesAsync(id, ct),
            (inv, v, ct) => inv.AddShareAsync(v, ct), (inv, v, ct) => inv.UpdateShareAsync(v, ct), (inv, id, ct) => inv.DeleteShareAsync(id, ct),
            (v, cluster, id) => v with { ClusterId = cluster, Id = id }, v => v.Id);
        api.MapGet("/clusters/{id:long}/principals", (long id, string? kind, string? search, IPrincipalDirectory directory, CancellationToken ct) =>
            directory.ListAsync(id, kind switch
            {
                "users" => PrincipalKind.User,
                "groups" => PrincipalKind.Group,
                _ => throw new InvalidInputException("kind", "must be users or groups"),
            }, search, ct))
            .WithSummary("The users or groups a share can name (?kind=users|groups&search=): local ones from the identity, a domain's from winbind on one live node (at most 200)")
            .Example(response: """{"principals":["LAB\\alice","LAB\\bob"],"reason":null,"truncated":false}""");
        MapChildren(api, "exports", """{"path":"/srv/cluster/nfs","clients":"192.0.2.0/24","access":"ReadWrite"}""", (inv, id, ct) => inv.ListExportsAsync(id, ct),
            (inv, v, ct) => inv.AddExportAsync(v, ct), (inv, v, ct) => inv.UpdateExportAsync(v, ct), (inv, id, ct) => inv.DeleteExportAsync(id, ct),
            (v, cluster, id) => v with { ClusterId = cluster, Id = id }, v => v.Id);

        api.MapGet("/audit", (IAuditLog audit, int? skip, int? take, string? search, CancellationToken ct) =>
            audit.QueryAsync(new AuditQuery(skip ?? 0, take ?? 100, search), ct))
            .WithSummary("The audit log, newest first: ?skip=&take=&search=");
    }

    public sealed record AcceptHostKey(string Fingerprint);

    /// <summary>The node's password, used once to install the console's key; never stored.</summary>
    public sealed record OneTimePassword(string? Password);

    /// <summary>Addresses to check from a node; the answer lists those something answers at.</summary>
    public sealed record AddressesToCheck(IReadOnlyList<string>? Addresses);

    /// <param name="example">A request body, shown in the OpenAPI document for adding and changing one.</param>
    private static void MapChildren<T>(RouteGroupBuilder api, string name, string example,
        Func<IInventory, long, CancellationToken, Task<IReadOnlyList<T>>> list,
        Func<IInventory, T, CancellationToken, Task<T>> add,
        Func<IInventory, T, CancellationToken, Task<T>> update,
        Func<IInventory, long, CancellationToken, Task> delete,
        Func<T, long, long, T> place, Func<T, long> idOf) where T : class
    {
        var route = $"/clusters/{{id:long}}/{name}";
        async Task<T> Existing(IInventory inv, long cluster, long itemId, CancellationToken ct) =>
            (await list(inv, cluster, ct)).FirstOrDefault(x => idOf(x) == itemId)
            ?? throw new KeyNotFoundException($"Cluster {cluster} has no {name} item with id {itemId}.");

        api.MapGet(route, (long id, IInventory inv, CancellationToken ct) => list(inv, id, ct)).WithSummary($"List the cluster's {name}");
        api.MapPost(route, async (long id, HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            if (await inv.GetClusterAsync(id, ct) is null) throw new KeyNotFoundException($"There is no cluster with id {id}.");
            var created = await add(inv, place(await ApiJson.ReadAsync<T>(req), id, 0), ct);
            return Results.Created($"/api{route.Replace("{id:long}", id.ToString(System.Globalization.CultureInfo.InvariantCulture))}/{idOf(created)}", created);
        }).RequireAuthorization(Roles.Operator).Accepts<T>("application/json").Produces<T>(StatusCodes.Status201Created).WithSummary($"Add to the cluster's {name}")
            .Example(example);
        api.MapGet(route + "/{itemId:long}", (long id, long itemId, IInventory inv, CancellationToken ct) => Existing(inv, id, itemId, ct)).WithSummary($"One of the cluster's {name}");
        api.MapPut(route + "/{itemId:long}", async (long id, long itemId, HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            await Existing(inv, id, itemId, ct);
            return await update(inv, place(await ApiJson.ReadAsync<T>(req), id, itemId), ct);
        }).RequireAuthorization(Roles.Operator).Accepts<T>("application/json").WithSummary($"Change one of the cluster's {name}");
        api.MapDelete(route + "/{itemId:long}", async (long id, long itemId, IInventory inv, CancellationToken ct) =>
        {
            await Existing(inv, id, itemId, ct);
            await delete(inv, itemId, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator).WithSummary($"Remove one of the cluster's {name}");
    }

    internal static async Task<Node> NodeOf(IInventory inv, long clusterId, long nodeId, CancellationToken ct) =>
        await inv.GetNodeAsync(nodeId, ct) is { } n && n.ClusterId == clusterId ? n
            : throw new KeyNotFoundException($"Cluster {clusterId} has no node with id {nodeId}.");
}
