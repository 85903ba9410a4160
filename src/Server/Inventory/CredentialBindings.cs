using System.Data;
using Dapper;
using StorageHa.Server.Auth;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Inventory;

/// <summary>
/// Where each node's credential may be sent, as an admin confirmed it (address, port, SSH user, pinned host key).
/// Operators may move a node; only an admin's confirmation lets its credential follow.
/// </summary>
public static class CredentialBindings
{
    /// <summary>SQL, on a row of nodes: the node has a credential and a pinned host key that no admin bound together.</summary>
    public const string AwaitsAdminSql =
        "(nodes.credential_id IS NOT NULL AND nodes.host_key_fingerprint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credential_bindings b " +
        "WHERE b.node_id = nodes.id AND b.credential_id = nodes.credential_id AND b.address = nodes.address COLLATE BINARY " +
        "AND b.ssh_port = nodes.ssh_port AND b.ssh_user = nodes.ssh_user AND b.host_key_fingerprint = nodes.host_key_fingerprint))";

    /// <summary>The place an admin bound the node's credential to, or null when never.</summary>
    public static async Task<CredentialBinding?> OfAsync(IDbConnection c, long nodeId, long credentialId, IDbTransaction? tx = null)
    {
        var row = await c.QuerySingleOrDefaultAsync<(string Address, long Port, string User, string Fingerprint)?>(
            "SELECT address, ssh_port, ssh_user, host_key_fingerprint FROM credential_bindings WHERE node_id = @nodeId AND credential_id = @credentialId",
            new { nodeId, credentialId }, tx);
        return row is { } b ? new CredentialBinding(b.Address, (int)b.Port, b.User, b.Fingerprint) : null;
    }

    /// <summary>The admin's name when the actor is an admin, whose own changes to a node confirm where its credential goes; else null.</summary>
    public static async Task<string?> AdminAsync(ICurrentActor actor)
    {
        var user = await actor.GetUserAsync();
        return user.Identity?.IsAuthenticated == true && Roles.Of(user) == Role.Admin ? user.Identity.Name ?? "unknown" : null;
    }

    /// <summary>Binds each node's credential to where the node points now (nodes without a credential or pinned key are left).</summary>
    /// <returns>How many nodes were bound.</returns>
    public static Task<int> ConfirmAsync(IDbConnection c, IDbTransaction tx, IEnumerable<long> nodeIds, string admin, DateTimeOffset at) =>
        c.ExecuteAsync(
            "INSERT INTO credential_bindings (node_id, credential_id, address, ssh_port, ssh_user, host_key_fingerprint, confirmed_by, confirmed_at) " +
            "SELECT id, credential_id, address, ssh_port, ssh_user, host_key_fingerprint, @admin, @at FROM nodes " +
            "WHERE id IN @nodeIds AND credential_id IS NOT NULL AND host_key_fingerprint IS NOT NULL " +
            "ON CONFLICT (node_id) DO UPDATE SET credential_id = excluded.credential_id, address = excluded.address, ssh_port = excluded.ssh_port, " +
            "ssh_user = excluded.ssh_user, host_key_fingerprint = excluded.host_key_fingerprint, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at",
            new { nodeIds = nodeIds.ToArray(), admin, at }, tx);

    /// <summary>The nodes among these whose credential an admin has bound to where they point now.</summary>
    public static async Task<IReadOnlyList<long>> BoundAsync(IDbConnection c, IDbTransaction tx, IEnumerable<long> nodeIds) =>
        (await c.QueryAsync<long>($"SELECT id FROM nodes WHERE id IN @nodeIds AND credential_id IS NOT NULL AND host_key_fingerprint IS NOT NULL AND NOT {AwaitsAdminSql}",
            new { nodeIds = nodeIds.ToArray() }, tx)).ToList();
}
