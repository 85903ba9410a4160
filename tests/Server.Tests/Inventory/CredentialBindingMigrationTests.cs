using Dapper;
using Microsoft.Data.Sqlite;
using StorageHa.Server.Inventory;

namespace StorageHa.Server.Tests.Inventory;

/// <summary>Upgrading a console: the nodes an admin set up before credentials were bound keep working where they are.</summary>
public sealed class CredentialBindingMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("storageha-migration-").FullName;

    [Fact]
    public async Task NodesWithACredentialAndAnAcceptedHostKey_AreBoundWhereTheyAre_OthersAwaitAnAdmin()
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_folder, "before.db")}");
        await c.OpenAsync();
        var scripts = Migrator.Scripts();
        var bindings = scripts.Single(s => s.Sql.Contains("CREATE TABLE credential_bindings", StringComparison.Ordinal));
        foreach (var (_, sql) in scripts.Where(s => s.Version < bindings.Version)) await c.ExecuteAsync(sql);
        await c.ExecuteAsync("""
            INSERT INTO clusters (id, name, purpose, created_at) VALUES (1, 'nas', 'Both', '2025-01-01');
            INSERT INTO credentials (id, name, kind, secret, created_at) VALUES (5, 'node-password', 'Password', 'sealed', '2025-01-01');
            INSERT INTO nodes (cluster_id, name, address, ssh_port, ssh_user, credential_id, host_key_fingerprint, number) VALUES
                (1, 'node1', '192.0.2.11', 2222, 'storage', 5, 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og', 1),
                (1, 'node2', '192.0.2.12', 22, 'root', 5, NULL, 2),
                (1, 'node3', '192.0.2.13', 22, 'root', NULL, 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og', 3);
            """);

        await c.ExecuteAsync(bindings.Sql);

        var bound = (await c.QueryAsync<(string Node, long Credential, string Address, long Port, string User, string Key)>(
            "SELECT n.name, b.credential_id, b.address, b.ssh_port, b.ssh_user, b.host_key_fingerprint FROM credential_bindings b JOIN nodes n ON n.id = b.node_id")).ToList();
        Assert.Equal([("node1", 5L, "192.0.2.11", 2222L, "storage", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")], bound);
        // node2 had no accepted host key: once one is pinned (by an operator), its credential waits for an admin.
        await c.ExecuteAsync("UPDATE nodes SET host_key_fingerprint = 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og' WHERE name = 'node2'");
        Assert.Equal(["node2"], await c.QueryAsync<string>($"SELECT name FROM nodes WHERE {CredentialBindings.AwaitsAdminSql} ORDER BY name"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
