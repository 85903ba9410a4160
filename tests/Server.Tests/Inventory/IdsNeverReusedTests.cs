using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Inventory;

/// <summary>An id names one thing for ever: a deleted cluster's, node's or user's id is never given to the next one.</summary>
public sealed class IdsNeverReusedTests : IDisposable
{
    private readonly TestConsole _console = new();
    private readonly IServiceScope _scope;
    private readonly SqliteInventory _inventory;

    public IdsNeverReusedTests()
    {
        _ = _console.Server;
        _scope = _console.Services.CreateScope();
        _inventory = _console.AsSystem<SqliteInventory>(_scope);
    }

    public void Dispose() { _scope.Dispose(); _console.Dispose(); }

    [Fact]
    public async Task ADeletedClustersId_IsNeverGivenAgain()
    {
        var first = await _inventory.AddClusterAsync(new Cluster { Name = "nas1" });
        await _inventory.DeleteClusterAsync(first.Id);
        var next = await _inventory.AddClusterAsync(new Cluster { Name = "nas2" });
        Assert.True(next.Id > first.Id, $"the new cluster got id {next.Id}, the deleted one had {first.Id}");
    }

    [Fact]
    public async Task ADeletedNodesId_IsNeverGivenAgain()
    {
        var cluster = await _inventory.AddClusterAsync(new Cluster { Name = "nas1" });
        var node = await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        await _inventory.DeleteNodeAsync(node.Id);
        var next = await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        Assert.True(next.Id > node.Id, $"the new node got id {next.Id}, the deleted one had {node.Id}");
    }

    [Fact]
    public async Task ADeletedUsersId_IsNeverGivenAgain()
    {
        var users = _console.AsSystem<UserDirectory>(_scope);
        var alice = await users.CreateAsync("alice", TestConsole.AdminPassword, Role.Operator);
        await users.DeleteAsync(alice.Id);
        var bob = await users.CreateAsync("bob", TestConsole.AdminPassword, Role.Operator);
        Assert.True(bob.Id > alice.Id, $"bob got id {bob.Id}, the deleted alice had {alice.Id}");
    }

    [Fact]
    public async Task EveryTableWithItsOwnId_CountsWithAutoincrement()
    {
        await using var c = await _console.Database.OpenAsync();
        var tables = await c.QueryAsync<(string Name, string Sql)>(
            "SELECT m.name, m.sql FROM sqlite_master AS m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'id' AND pk = 1)");
        Assert.All(tables, t => Assert.True(t.Sql.Contains("AUTOINCREMENT", StringComparison.Ordinal), $"{t.Name} may give a deleted row's id again"));
        Assert.Contains(tables, t => t.Name == "clusters");
    }

    [Fact]
    public async Task MigratingAVersion6Database_KeepsEveryRowAndId_AndTheLinksBetweenThem_WithAddressesInTheirOneSpelling()
    {
        var db = new Database(Path.Combine(_console.DataDir, "v6.db"));
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
            foreach (var (version, sql) in Migrator.Scripts().Where(s => s.Version <= 6))
                await c.ExecuteAsync(sql + ";INSERT INTO schema_version VALUES (@version, '2026-01-01')", new { version });
            await c.ExecuteAsync("""
                INSERT INTO clusters (id, name, purpose, created_at, settings, highest_node_number) VALUES (3, 'nas1', 'Smb', '2026-01-01', '{"nic":"eth0"}', 4);
                INSERT INTO credentials (id, name, kind, secret, created_at) VALUES (5, 'key', 'PrivateKey', 'sealed', '2026-01-01');
                INSERT INTO nodes (id, cluster_id, name, address, ssh_port, ssh_user, credential_id, host_key_fingerprint, number)
                    VALUES (7, 3, 'node1', '192.0.2.11', 22, 'root', 5, 'SHA256:abc', 4);
                INSERT INTO virtual_ips (id, cluster_id, address, prefix) VALUES (8, 3, '192.0.2.101', 24), (20, 3, '2001:DB8:0::5', 64), (21, 3, '::ffff:10.0.0.5', 24);
                INSERT INTO shares (id, cluster_id, name, path, guest_ok) VALUES (9, 3, 'team', '/srv/team', 1);
                INSERT INTO exports (id, cluster_id, path, clients, access) VALUES (10, 3, '/srv/nfs', '*', 'ReadOnly');
                INSERT INTO users (id, user_name, password_hash, role, created_at) VALUES (11, 'admin', 'hash', 'Admin', '2026-01-01');
                INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (12, 11, 'script', 'h', '2026-01-01');
                INSERT INTO audit_log (id, at, actor, action) VALUES (13, '2026-01-01', 'admin', 'cluster.add');
                INSERT INTO cluster_events (id, cluster_id, at, kind, description) VALUES (14, 3, '2026-01-01', 'NodeOnline', 'node1 came online');
                INSERT INTO failovers (id, cluster_id, started_at, trigger, outages, events) VALUES (15, 3, '2026-01-01', 'NodeLost', '[]', '[]');
                INSERT INTO provisioning_jobs (id, cluster_id, kind, state, started_by, started_at, steps) VALUES (16, 3, 'Apply', 'Succeeded', 'admin', '2026-01-01', '[]');
                INSERT INTO cluster_secrets (cluster_id, name, secret) VALUES (3, 'hacluster', 'sealed');
                INSERT INTO serve_checks (cluster_id, checked_at, report) VALUES (3, '2026-01-01', '{}');
                """);
        }

        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var after = await db.OpenAsync();
        Assert.Equal(("nas1", "{\"nic\":\"eth0\"}", 4L), await after.QuerySingleAsync<(string, string, long)>("SELECT name, settings, highest_node_number FROM clusters WHERE id = 3"));
        Assert.Equal((3L, 5L, "SHA256:abc", 4L), await after.QuerySingleAsync<(long, long, string, long)>("SELECT cluster_id, credential_id, host_key_fingerprint, number FROM nodes WHERE id = 7"));
        Assert.Equal(["192.0.2.101", "2001:db8::5", "10.0.0.5"], await after.QueryAsync<string>("SELECT address FROM virtual_ips ORDER BY id"));
        foreach (var (table, id) in new[] { ("virtual_ips", 8), ("shares", 9), ("exports", 10), ("users", 11), ("api_tokens", 12), ("audit_log", 13), ("cluster_events", 14), ("failovers", 15), ("provisioning_jobs", 16) })
            Assert.Equal(1L, await after.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE id = @id", new { id }));
        Assert.Empty(await after.QueryAsync("SELECT * FROM pragma_foreign_key_check"));
        Assert.Equal(1L, await after.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));

        // The links still hold: removing the cluster takes its nodes, VIPs, secrets and history with it; a used credential stays.
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => after.ExecuteAsync("DELETE FROM credentials WHERE id = 5"));
        await after.ExecuteAsync("DELETE FROM clusters WHERE id = 3");
        Assert.Equal(0L, await after.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM virtual_ips) + (SELECT count(*) FROM cluster_secrets) + (SELECT count(*) FROM serve_checks) + (SELECT count(*) FROM provisioning_jobs)"));
        await after.ExecuteAsync("DELETE FROM users WHERE id = 11");
        Assert.Equal(0L, await after.ExecuteScalarAsync<long>("SELECT count(*) FROM api_tokens"));

        // And the highest id each table had is not given again.
        Assert.Equal(12L, await after.ExecuteScalarAsync<long>("INSERT INTO users (user_name, password_hash, role, created_at) VALUES ('x', 'h', 'Viewer', '2026-01-02') RETURNING id"));
        Assert.Equal(4L, await after.ExecuteScalarAsync<long>("INSERT INTO clusters (name, purpose, created_at) VALUES ('nas2', 'Nfs', '2026-01-02') RETURNING id"));
    }
}
