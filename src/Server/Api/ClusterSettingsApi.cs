using System.Text.Json.Nodes;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Api;

/// <summary>
/// /api/clusters/{id}/settings: the cluster's Settings tab (VIP NIC, corosync token, shared state paths, fencing, NetBIOS,
/// CTDB tunables) without PUTting the whole spec. PUT replaces them; PATCH changes only the fields it names.
/// </summary>
public static class ClusterSettingsApi
{
    private const string SettingsExample =
        """{"nic":"eth0","corosync":{"tokenMs":null},"sharedState":{"recoveryLock":"/srv/cluster-state/ctdb/reclock","ganeshaState":"/srv/cluster-state/ganesha"},"fencing":{"devices":[{"name":"ipmi-node1","agent":"fence_ipmilan","options":{"ip":"192.0.2.201","username":"fence"},"nodes":["node1"]}],"noFencingAcknowledged":false},"netBios":false,"ctdbTunables":{"KeepaliveInterval":1,"KeepaliveLimit":3,"MonitorInterval":2,"RerecoveryTimeout":2}}""";

    /// <summary>
    /// The local users and groups, and the highest id ever given, as stored: their routes are their only writers (they change
    /// the nodes first), so settings sent back from an old form can never drop an account or hand out a uid twice.
    /// </summary>
    private static ClusterSettings KeepingLocalAccounts(ClusterSettings sent, ClusterSettings stored) => sent with
    {
        Identity = sent.Identity with { Users = stored.Identity.Users, Groups = stored.Identity.Groups, HighestLocalId = stored.Identity.HighestLocalId },
    };

    public static void MapClusterSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}/settings").RequireAuthorization().WithTags("Clusters");

        api.MapGet("", (long id, IInventory inv, CancellationToken ct) => inv.GetSettingsAsync(id, ct))
            .WithSummary("The cluster's settings")
            .WithDescription("A new cluster starts with CTDB tunables that fail over as fast as corosync (the same the wizard shows).")
            .Example(response: SettingsExample);

        api.MapPut("", async (long id, HttpRequest req, IInventory inv, CancellationToken ct) =>
            await inv.UpdateSettingsAsync(id, KeepingLocalAccounts(await ApiJson.ReadAsync<ClusterSettings>(req), await inv.GetSettingsAsync(id, ct)), ct))
            .RequireAuthorization(Roles.Operator).Accepts<ClusterSettings>("application/json")
            .WithSummary("Replace the cluster's settings (a field left out takes its empty value: no NIC, no tunables, …)")
            .WithDescription("Checked against the cluster's nodes (e.g. a fence device's nodes must be the cluster's); each error is named by field, e.g. sharedState.recoveryLock, and nothing is stored. " +
                "identity.users, identity.groups and identity.highestLocalId change only through the users and groups routes: here they are kept as they are.")
            .Example(SettingsExample, SettingsExample);

        api.MapPatch("", async (long id, HttpRequest req, IInventory inv, CancellationToken ct) =>
        {
            var patch = await ApiJson.ReadAsync<JsonObject>(req);
            var settings = ApiJson.ToNode(await inv.GetSettingsAsync(id, ct)).AsObject();
            ApiJson.MergePatch(settings, patch);
            return await inv.UpdateSettingsAsync(id, KeepingLocalAccounts(ApiJson.Convert<ClusterSettings>(settings), await inv.GetSettingsAsync(id, ct)), ct);
        }).RequireAuthorization(Roles.Operator).Accepts<JsonObject>("application/merge-patch+json", "application/json").Produces<ClusterSettings>()
            .WithSummary("Change some of the cluster's settings (JSON merge patch, RFC 7396)")
            .WithDescription("Only the fields named change; objects merge field by field, null removes a field (e.g. one CTDB tunable). The result is validated as a whole, as PUT is.")
            .Example("""{"nic":"eth1","ctdbTunables":{"MonitorInterval":5,"RerecoveryTimeout":null}}""", SettingsExample);
    }
}
