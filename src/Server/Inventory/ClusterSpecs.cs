using System.Data;
using System.Text.Json;
using Dapper;
using StorageHa.Shared.Console;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Inventory;

/// <summary>A whole cluster as one JSON document: export it, or import it in one transaction.</summary>
public sealed class ClusterSpecs(Database db, IInventory reader, ICurrentActor actor, TimeProvider time)
{
    public async Task<ClusterSpec?> ExportAsync(long clusterId, CancellationToken ct = default)
    {
        var cluster = await reader.GetClusterAsync(clusterId, ct);
        if (cluster is null) return null;
        await using var c = await db.OpenAsync(ct);
        var credentials = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM credentials")).ToDictionary(x => x.Id, x => x.Name);
        var settings = await reader.GetSettingsAsync(clusterId, ct);
        return settings.ApplyTo(new ClusterSpec
        {
            Name = cluster.Name,
            Purpose = cluster.Purpose,
            Description = cluster.Description,
            HighestNodeNumber = await c.ExecuteScalarAsync<int>("SELECT highest_node_number FROM clusters WHERE id = @clusterId", new { clusterId }),
            // In the order they joined (their numbers): placement keeps VIPs where they are when a node is added.
            Nodes = (await reader.ListNodesAsync(clusterId, ct)).OrderBy(n => n.Number).Select(n => new NodeSpec
            {
                Name = n.Name, Address = n.Address, SshPort = n.SshPort, SshUser = n.SshUser, Number = n.Number,
                Credential = n.CredentialId is { } id ? credentials.GetValueOrDefault(id) : null,
            }).ToList(),
            VirtualIps = (await reader.ListVirtualIpsAsync(clusterId, ct)).Select(v => new VirtualIpSpec { Address = v.Address, Prefix = v.Prefix, Nic = v.Nic }).ToList(),
            Shares = (await reader.ListSharesAsync(clusterId, ct)).Select(ShareSpec.Of).ToList(),
            Exports = (await reader.ListExportsAsync(clusterId, ct)).Select(e => new ExportSpec { Path = e.Path, Clients = e.Clients, Access = e.Access }).ToList(),
        });
    }

    /// <summary>
    /// Makes the cluster exactly what the spec says. Nodes that stay at the same address keep their pinned host key; a node whose
    /// address, port, user or credential the spec changes keeps its credential bound only when an admin imports it (else it awaits an admin).
    /// </summary>
    public async Task ImportAsync(long clusterId, ClusterSpec spec, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Shared.Inventory.Role.Operator);
        var admin = await CredentialBindings.AdminAsync(actor);
        var errors = spec.Validate();
        if (errors.Count > 0) throw new InvalidInputException(errors);
        await db.InTransactionAsync(async (c, tx) =>
        {
            // Before the change, which the unique name would otherwise stop halfway.
            if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM clusters WHERE name = @Name AND id <> @clusterId", new { spec.Name, clusterId }, tx) > 0)
                throw new ConflictException("name", $"Another cluster is already named '{spec.Name}'; the spec was not imported.");
            if (await c.ExecuteAsync("UPDATE clusters SET name = @Name, purpose = @Purpose, description = @Description, settings = @settings WHERE id = @clusterId",
                    new { spec.Name, Purpose = spec.Purpose.ToString(), spec.Description, settings = JsonSerializer.Serialize(ClusterSettings.Of(spec), SqliteInventory.SettingsJson), clusterId }, tx) == 0)
                throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
            var bound = admin is null ? [] : await CredentialBindings.BoundAsync(c, tx,
                await c.QueryAsync<long>("SELECT id FROM nodes WHERE cluster_id = @clusterId", new { clusterId }, tx));
            await ReplaceNodes(c, tx, clusterId, spec.Nodes);
            if (admin is not null) await CredentialBindings.ConfirmAsync(c, tx, bound, admin, time.GetUtcNow());
            // Never lowered: a node that left keeps its line in CTDB's node list.
            await c.ExecuteAsync("UPDATE clusters SET highest_node_number = max(highest_node_number, @highest) WHERE id = @clusterId",
                new { highest = spec.HighestNumberEver(), clusterId }, tx);
            await c.ExecuteAsync("DELETE FROM virtual_ips WHERE cluster_id = @clusterId; DELETE FROM shares WHERE cluster_id = @clusterId; DELETE FROM exports WHERE cluster_id = @clusterId", new { clusterId }, tx);
            foreach (var v in spec.VirtualIps) await ClusterRows.AddVirtualIpAsync(c, tx, v.ToVirtualIp(clusterId));
            foreach (var s in spec.Shares) await ClusterRows.AddShareAsync(c, tx, s.ToShare(clusterId));
            foreach (var e in spec.Exports) await ClusterRows.AddExportAsync(c, tx, e.ToExport(clusterId));
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "cluster.import-spec", Target = spec.Name });
            return 0;
        }, ct);
    }

    private static async Task ReplaceNodes(IDbConnection c, IDbTransaction tx, long clusterId, IReadOnlyList<NodeSpec> nodes)
    {
        var existing = (await c.QueryAsync<(long Id, string Name, string Address, long SshPort)>(
            "SELECT id, name, address, ssh_port FROM nodes WHERE cluster_id = @clusterId", new { clusterId }, tx)).ToList();
        var added = new List<(NodeSpec Node, long? CredentialId)>();
        var kept = existing.Where(e => nodes.Any(n => string.Equals(e.Name, n.Name, StringComparison.OrdinalIgnoreCase))).Select(e => e.Id).ToHashSet();
        // Remove first, so a node may take the address of one that left.
        foreach (var gone in existing.Where(e => !kept.Contains(e.Id)))
            await c.ExecuteAsync("DELETE FROM nodes WHERE id = @Id", new { gone.Id }, tx);
        // Out of the way first, so that kept nodes may trade numbers and addresses without meeting the unique indexes halfway
        // (a '#' never begins an address the rules accept).
        await c.ExecuteAsync("UPDATE nodes SET number = -number, address = '#' || id WHERE cluster_id = @clusterId", new { clusterId }, tx);
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            long? credentialId = n.Credential is null ? null
                : await c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM credentials WHERE name = @Credential", new { n.Credential }, tx)
                    ?? throw new InvalidInputException($"nodes[{i}].credential", $"There is no credential named '{n.Credential}'.");
            var same = existing.FirstOrDefault(e => string.Equals(e.Name, n.Name, StringComparison.OrdinalIgnoreCase));
            if (same.Id == 0) { added.Add((n, credentialId)); continue; }
            var samePlace = string.Equals(same.Address, n.Address, StringComparison.OrdinalIgnoreCase) && same.SshPort == n.SshPort;
            await c.ExecuteAsync(
                "UPDATE nodes SET name = @Name, address = @Address, ssh_port = @SshPort, ssh_user = @SshUser, credential_id = @credentialId, number = @Number" +
                (samePlace ? "" : ", host_key_fingerprint = NULL") + " WHERE id = @Id",
                new { n.Name, n.Address, n.SshPort, n.SshUser, credentialId, n.Number, same.Id }, tx);
        }
        foreach (var (n, credentialId) in added) await ClusterRows.AddNodeAsync(c, tx, n.ToNode(clusterId, credentialId));
    }
}
