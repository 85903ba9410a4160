using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;
using StorageHa.Server.Audit;

namespace StorageHa.Server.Inventory;

/// <summary>Clusters, nodes, VIPs, shares and exports in SQLite: validated, one transaction per action, audited.</summary>
public sealed class SqliteInventory(Database db, ICurrentActor actor, TimeProvider time) : IInventory
{
    private const string NodeColumns = "id, cluster_id AS ClusterId, name, address, ssh_port AS SshPort, ssh_user AS SshUser, " +
        "credential_id AS CredentialId, host_key_fingerprint AS HostKeyFingerprint, last_probe_at AS LastProbeAt, number, " +
        CredentialBindings.AwaitsAdminSql + " AS CredentialAwaitsAdmin";

    // ---- clusters
    public async Task<IReadOnlyList<Cluster>> ListClustersAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Cluster>("SELECT id, name, purpose, description, created_at AS CreatedAt FROM clusters ORDER BY name")).ToList();
    }

    public async Task<Cluster?> GetClusterAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<Cluster>("SELECT id, name, purpose, description, created_at AS CreatedAt FROM clusters WHERE id = @clusterId", new { clusterId });
    }

    public Task<Cluster> AddClusterAsync(Cluster cluster, CancellationToken ct = default) =>
        Write("cluster.add", cluster.Name, cluster, InventoryValidation.Check, async (c, tx, v) =>
        {
            var created = time.GetUtcNow();
            var id = await Insert("name", $"A cluster named '{v.Name}' already exists.", () => c.ExecuteScalarAsync<long>(
                "INSERT INTO clusters (name, purpose, description, created_at, settings) VALUES (@Name, @Purpose, @Description, @created, @settings) RETURNING id",
                new { v.Name, Purpose = v.Purpose.ToString(), v.Description, created, settings = JsonSerializer.Serialize(ClusterSettings.ForNewCluster, SettingsJson) }, tx));
            return v with { Id = id, CreatedAt = created };
        }, ct);

    public Task<Cluster> UpdateClusterAsync(Cluster cluster, CancellationToken ct = default) =>
        Write("cluster.update", cluster.Name, cluster, InventoryValidation.Check, async (c, tx, v) =>
        {
            await Update(c, tx, "name", $"A cluster named '{v.Name}' already exists.", "cluster",
                "UPDATE clusters SET name = @Name, purpose = @Purpose, description = @Description WHERE id = @Id",
                new { v.Id, v.Name, Purpose = v.Purpose.ToString(), v.Description });
            return (await c.QuerySingleAsync<Cluster>("SELECT id, name, purpose, description, created_at AS CreatedAt FROM clusters WHERE id = @Id", new { v.Id }, tx));
        }, ct);

    public Task DeleteClusterAsync(long clusterId, CancellationToken ct = default) =>
        Delete("cluster.delete", "clusters", clusterId, "cluster", ct);

    public async Task<ClusterSettings> GetSettingsAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, string? Settings)?>("SELECT id, settings FROM clusters WHERE id = @clusterId", new { clusterId })
            ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        return row.Settings is null ? new ClusterSettings() : JsonSerializer.Deserialize<ClusterSettings>(row.Settings, SettingsJson)!;
    }

    public async Task<ClusterSettings> UpdateSettingsAsync(long clusterId, ClusterSettings settings, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var cluster = await GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var nodes = (await ListNodesAsync(clusterId, ct)).Select(n => new NodeSpec { Name = n.Name, Address = n.Address });
        var errors = settings.Validate(cluster.Name, nodes);
        if (errors.Count > 0) throw new InvalidInputException(errors);
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE clusters SET settings = @json WHERE id = @clusterId", new { json = JsonSerializer.Serialize(settings, SettingsJson), clusterId }, tx);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "cluster.settings", Target = cluster.Name });
            return 0;
        }, ct);
        return settings;
    }

    internal static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web);

    // ---- nodes
    public async Task<IReadOnlyList<Node>> ListNodesAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Node>($"SELECT {NodeColumns} FROM nodes WHERE cluster_id = @clusterId ORDER BY name", new { clusterId })).ToList();
    }

    public async Task<Node?> GetNodeAsync(long nodeId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<Node>($"SELECT {NodeColumns} FROM nodes WHERE id = @nodeId", new { nodeId });
    }

    public Task<Node> AddNodeAsync(Node node, CancellationToken ct = default) =>
        Write("node.add", node.Name, node, InventoryValidation.Check, async (c, tx, v) =>
        {
            await EnsureClusterExists(c, tx, v.ClusterId);
            await EnsureCredentialExists(c, tx, v.CredentialId);
            await EnsureNotAVirtualIp(c, tx, v.ClusterId, v.Address);
            await EnsureNodeIsNew(c, tx, v.ClusterId, v, exceptId: 0);
            // After every current node's number: the others keep theirs, and CTDB's node list grows by a line at its end.
            var number = await c.ExecuteScalarAsync<int>("SELECT coalesce(max(number), 0) + 1 FROM nodes WHERE cluster_id = @ClusterId", new { v.ClusterId }, tx);
            var id = await Insert("name", $"This cluster already has a node named '{v.Name}'.", () => ClusterRows.AddNodeAsync(c, tx, v with { Number = number }));
            await c.ExecuteAsync("UPDATE clusters SET highest_node_number = max(highest_node_number, @number) WHERE id = @ClusterId", new { v.ClusterId, number }, tx);
            return v with { Id = id, Number = number, HostKeyFingerprint = null, LastProbeAt = null };
        }, ct, Role.Operator);

    /// <summary>
    /// An operator's change of the node's address, port, user or credential leaves its credential unused until an admin confirms
    /// (see <see cref="CredentialBindings"/>); an admin's change of a bound node keeps it bound where the admin put it.
    /// </summary>
    public async Task<Node> UpdateNodeAsync(Node node, CancellationToken ct = default)
    {
        var admin = await CredentialBindings.AdminAsync(actor);
        return await Write("node.update", node.Name, node, InventoryValidation.Check, async (c, tx, v) =>
        {
            var old = await c.QuerySingleOrDefaultAsync<Node>($"SELECT {NodeColumns} FROM nodes WHERE id = @Id", new { v.Id }, tx)
                ?? throw new KeyNotFoundException($"There is no node with id {v.Id}.");
            var wasBound = (await CredentialBindings.BoundAsync(c, tx, [v.Id])).Count == 1;
            await EnsureCredentialExists(c, tx, v.CredentialId);
            await EnsureNotAVirtualIp(c, tx, old.ClusterId, v.Address);
            await EnsureNodeIsNew(c, tx, old.ClusterId, v, exceptId: v.Id);
            // A different address or port may be a different server: its key must be accepted again.
            var samePlace = string.Equals(old.Address, v.Address, StringComparison.OrdinalIgnoreCase) && old.SshPort == v.SshPort;
            var fingerprint = samePlace ? old.HostKeyFingerprint : null;
            await Update(c, tx, "name", $"This cluster already has a node named '{v.Name}'.", "node",
                "UPDATE nodes SET name = @Name, address = @Address, ssh_port = @SshPort, ssh_user = @SshUser, credential_id = @CredentialId, host_key_fingerprint = @fingerprint WHERE id = @Id",
                new { v.Id, v.Name, v.Address, v.SshPort, v.SshUser, v.CredentialId, fingerprint });
            if (admin is not null && wasBound) await CredentialBindings.ConfirmAsync(c, tx, [v.Id], admin, time.GetUtcNow());
            return await c.QuerySingleAsync<Node>($"SELECT {NodeColumns} FROM nodes WHERE id = @Id", new { v.Id }, tx);
        }, ct, Role.Operator);
    }

    public Task DeleteNodeAsync(long nodeId, CancellationToken ct = default) =>
        Delete("node.delete", "nodes", nodeId, "node", ct);

    // ---- virtual IPs
    public async Task<IReadOnlyList<VirtualIp>> ListVirtualIpsAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<VirtualIp>("SELECT id, cluster_id AS ClusterId, address, prefix, nic FROM virtual_ips WHERE cluster_id = @clusterId ORDER BY id", new { clusterId })).ToList();
    }

    public Task<VirtualIp> AddVirtualIpAsync(VirtualIp vip, CancellationToken ct = default) =>
        Write("vip.add", vip.Address, vip, InventoryValidation.Check, async (c, tx, v) =>
        {
            await EnsureClusterExists(c, tx, v.ClusterId);
            await EnsureNotANodeAddress(c, tx, v.ClusterId, v.Address);
            var id = await Insert("address", $"The virtual IP {v.Address} is already in this cluster.", () => ClusterRows.AddVirtualIpAsync(c, tx, v));
            return v with { Id = id };
        }, ct, Role.Operator);

    public Task<VirtualIp> UpdateVirtualIpAsync(VirtualIp vip, CancellationToken ct = default) =>
        Write("vip.update", vip.Address, vip, InventoryValidation.Check, async (c, tx, v) =>
        {
            var clusterId = await ClusterOf(c, tx, "virtual_ips", v.Id, "virtual IP");
            await EnsureNotANodeAddress(c, tx, clusterId, v.Address);
            await Update(c, tx, "address", $"The virtual IP {v.Address} is already in this cluster.", "virtual IP",
                "UPDATE virtual_ips SET address = @Address, prefix = @Prefix, nic = @Nic WHERE id = @Id", v);
            return v with { ClusterId = clusterId };
        }, ct, Role.Operator);

    public Task DeleteVirtualIpAsync(long vipId, CancellationToken ct = default) =>
        Delete("vip.delete", "virtual_ips", vipId, "virtual IP", ct);

    // ---- shares
    public async Task<IReadOnlyList<Share>> ListSharesAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ShareRow>($"SELECT {ShareRow.Columns} FROM shares WHERE cluster_id = @clusterId ORDER BY name", new { clusterId }))
            .Select(r => r.ToShare()).ToList();
    }

    public Task<Share> AddShareAsync(Share share, CancellationToken ct = default) =>
        Write("share.add", share.Name, share, InventoryValidation.Check, async (c, tx, v) =>
        {
            await EnsureClusterExists(c, tx, v.ClusterId);
            await EnsurePrincipalsExist(c, tx, v.ClusterId, v);
            await EnsureOnStorage(c, tx, v.ClusterId, v.Path);
            var id = await Insert("name", $"A share named '{v.Name}' already exists in this cluster.", () => ClusterRows.AddShareAsync(c, tx, v));
            return v with { Id = id };
        }, ct, Role.Operator);

    public Task<Share> UpdateShareAsync(Share share, CancellationToken ct = default) =>
        Write("share.update", share.Name, share, InventoryValidation.Check, async (c, tx, v) =>
        {
            var clusterId = await ClusterOf(c, tx, "shares", v.Id, "share");
            await EnsurePrincipalsExist(c, tx, clusterId, v);
            await EnsureOnStorage(c, tx, clusterId, v.Path);
            await Update(c, tx, "name", $"A share named '{v.Name}' already exists in this cluster.", "share",
                "UPDATE shares SET name = @Name, path = @Path, comment = @Comment, read_only = @ReadOnly, guest_ok = @GuestOk, " +
                ShareRow.PermissionAssignments + " WHERE id = @Id", ShareRow.Of(v));
            return v with { ClusterId = clusterId };
        }, ct, Role.Operator);

    public Task DeleteShareAsync(long shareId, CancellationToken ct = default) =>
        Delete("share.delete", "shares", shareId, "share", ct);

    // ---- exports
    public async Task<IReadOnlyList<Export>> ListExportsAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Export>("SELECT id, cluster_id AS ClusterId, path, clients, access FROM exports WHERE cluster_id = @clusterId ORDER BY path", new { clusterId })).ToList();
    }

    public Task<Export> AddExportAsync(Export export, CancellationToken ct = default) =>
        Write("export.add", export.Path, export, InventoryValidation.Check, async (c, tx, v) =>
        {
            await EnsureClusterExists(c, tx, v.ClusterId);
            await EnsureOnStorage(c, tx, v.ClusterId, v.Path);
            var id = await Insert("path", $"The path {v.Path} is already exported by this cluster.", () => ClusterRows.AddExportAsync(c, tx, v));
            return v with { Id = id };
        }, ct, Role.Operator);

    public Task<Export> UpdateExportAsync(Export export, CancellationToken ct = default) =>
        Write("export.update", export.Path, export, InventoryValidation.Check, async (c, tx, v) =>
        {
            var clusterId = await ClusterOf(c, tx, "exports", v.Id, "export");
            await EnsureOnStorage(c, tx, clusterId, v.Path);
            await Update(c, tx, "path", $"The path {v.Path} is already exported by this cluster.", "export",
                "UPDATE exports SET path = @Path, clients = @Clients, access = @Access WHERE id = @Id",
                new { v.Id, v.Path, v.Clients, Access = v.Access.ToString() });
            return v with { ClusterId = clusterId };
        }, ct, Role.Operator);

    public Task DeleteExportAsync(long exportId, CancellationToken ct = default) =>
        Delete("export.delete", "exports", exportId, "export", ct);

    // ---- the one write path: role check, validation, transaction, audit line in the same transaction
    private async Task<T> Write<T>(string action, string? target, T value, Func<T, IReadOnlyList<ValidationError>> check,
        Func<IDbConnection, IDbTransaction, T, Task<T>> change, CancellationToken ct, Role role = Role.Operator)
    {
        var who = await actor.RequireAsync(role);
        InventoryValidation.Ensure(value, check);
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var result = await change(c, tx, value);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = action, Target = target });
            return result;
        }, ct);
    }

    private async Task Delete(string action, string table, long id, string what, CancellationToken ct)
    {
        var who = await actor.RequireAsync(Role.Operator);
        await db.InTransactionAsync(async (c, tx) =>
        {
            int deleted;
            try { deleted = await c.ExecuteAsync($"DELETE FROM {table} WHERE id = @id", new { id }, tx); }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            { throw new ConflictException("id", $"This {what} is still in use and cannot be removed."); }
            if (deleted == 0) throw new KeyNotFoundException($"There is no {what} with id {id}.");
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = action, Target = $"{what} {id}" });
            return deleted;
        }, ct);
    }

    private static async Task<long> Insert(string field, string conflict, Func<Task<long>> insert)
    {
        try { return await insert(); }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.Ordinal))
        { throw new ConflictException(field, conflict); }
    }

    private static async Task Update(IDbConnection c, IDbTransaction tx, string field, string conflict, string what, string sql, object args)
    {
        int changed;
        try { changed = await c.ExecuteAsync(sql, args, tx); }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.Ordinal))
        { throw new ConflictException(field, conflict); }
        if (changed == 0) throw new KeyNotFoundException($"There is no such {what}.");
    }

    private static async Task<long> ClusterOf(IDbConnection c, IDbTransaction tx, string table, long id, string what) =>
        await c.QuerySingleOrDefaultAsync<long?>($"SELECT cluster_id FROM {table} WHERE id = @id", new { id }, tx)
            ?? throw new KeyNotFoundException($"There is no {what} with id {id}.");

    /// <summary>The users and groups a share names are the cluster's: its local ones, or its domain's (refused, naming the field, before anything is stored).</summary>
    private static async Task EnsurePrincipalsExist(IDbConnection c, IDbTransaction tx, long clusterId, Share share)
    {
        var identity = (await SettingsOf(c, tx, clusterId)).Identity;
        InventoryValidation.Ensure(share, s => SharePrincipals.Check(s, identity).ToList());
    }

    /// <summary>A share's or export's folder lies on the cluster filesystem, when the cluster declares one (refused, naming the field, before anything is stored).</summary>
    private static async Task EnsureOnStorage(IDbConnection c, IDbTransaction tx, long clusterId, string path)
    {
        if ((await SettingsOf(c, tx, clusterId)).Storage?.Outside(path) is { } outside) throw new InvalidInputException("path", outside);
    }

    private static async Task<ClusterSettings> SettingsOf(IDbConnection c, IDbTransaction tx, long clusterId)
    {
        var settings = await c.ExecuteScalarAsync<string?>("SELECT settings FROM clusters WHERE id = @clusterId", new { clusterId }, tx);
        return settings is null ? new ClusterSettings() : JsonSerializer.Deserialize<ClusterSettings>(settings, SettingsJson)!;
    }

    private static async Task EnsureClusterExists(IDbConnection c, IDbTransaction tx, long clusterId)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM clusters WHERE id = @clusterId", new { clusterId }, tx) == 0)
            throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
    }

    private static async Task EnsureCredentialExists(IDbConnection c, IDbTransaction tx, long? credentialId)
    {
        if (credentialId is { } id && await c.ExecuteScalarAsync<long>("SELECT count(*) FROM credentials WHERE id = @id", new { id }, tx) == 0)
            throw new InvalidInputException("credentialId", $"There is no credential with id {id}.");
    }

    private static async Task EnsureNotAVirtualIp(IDbConnection c, IDbTransaction tx, long clusterId, string address)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM virtual_ips WHERE cluster_id = @clusterId AND address = @address", new { clusterId, address }, tx) > 0)
            throw new ConflictException("address", $"{address} is a virtual IP of this cluster; a node needs its own fixed address.");
    }

    private static async Task EnsureNotANodeAddress(IDbConnection c, IDbTransaction tx, long clusterId, string address)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM nodes WHERE cluster_id = @clusterId AND address = @address", new { clusterId, address }, tx) > 0)
            throw new ConflictException("address", $"{address} is the address of a node of this cluster; a virtual IP must be a free address.");
    }

    private static async Task EnsureNodeIsNew(IDbConnection c, IDbTransaction tx, long clusterId, Node n, long exceptId)
    {
        var args = new { clusterId, n.Name, n.Address, exceptId };
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM nodes WHERE cluster_id = @clusterId AND name = @Name AND id <> @exceptId", args, tx) > 0)
            throw new ConflictException("name", $"This cluster already has a node named '{n.Name}'.");
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM nodes WHERE cluster_id = @clusterId AND address = @Address AND id <> @exceptId", args, tx) > 0)
            throw new ConflictException("address", $"This cluster already has a node at {n.Address}.");
    }
}
