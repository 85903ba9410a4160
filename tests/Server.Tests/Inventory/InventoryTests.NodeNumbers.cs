using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Tests.Inventory;

/// <summary>Node numbers in the inventory: given once, when a node is added, and kept while other nodes leave and join.</summary>
public sealed partial class InventoryTests
{
    private ClusterSpecs Specs => _console.AsSystem<ClusterSpecs>(_scope);

    private Task<Node> AddNode(Cluster cluster, int i) =>
        _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = $"node{i}", Address = $"192.0.2.{10 + i}" });

    private async Task<IEnumerable<(string, int)>> Numbers(Cluster cluster) =>
        (await _inventory.ListNodesAsync(cluster.Id)).OrderBy(n => n.Number).Select(n => (n.Name, n.Number));

    [Fact]
    public async Task TheMigration_NumbersExistingNodes_InTheOrderTheyWereAdded_WithinEachCluster()
    {
        var db = new Database(Path.Combine(_console.DataDir, "before-numbers.db"));
        await using (var c = await db.OpenAsync())
        {
            // The schema as it was before node numbers, with nodes of two clusters added in turn.
            await c.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
            foreach (var (version, sql) in Migrator.Scripts().Where(s => s.Version < 4))
                await c.ExecuteAsync(sql + ";INSERT INTO schema_version VALUES (@version, '2026-01-01')", new { version });
            await c.ExecuteAsync("INSERT INTO clusters (id, name, purpose, created_at) VALUES (1, 'a', 'Both', '2026-01-01'), (2, 'b', 'Both', '2026-01-01')");
            await c.ExecuteAsync("""
                INSERT INTO nodes (id, cluster_id, name, address, ssh_port, ssh_user) VALUES
                  (10, 1, 'a-first', '192.0.2.1', 22, 'root'), (11, 2, 'b-first', '192.0.2.2', 22, 'root'),
                  (12, 1, 'a-second', '192.0.2.3', 22, 'root'), (14, 2, 'b-second', '192.0.2.4', 22, 'root'), (15, 1, 'a-third', '192.0.2.5', 22, 'root')
                """);
        }

        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var after = await db.OpenAsync();
        var numbered = await after.QueryAsync<(string Name, long Number)>("SELECT name, number FROM nodes ORDER BY id");
        Assert.Equal([("a-first", 1L), ("b-first", 1L), ("a-second", 2L), ("b-second", 2L), ("a-third", 3L)], numbered);
        Assert.Equal([3L, 2L], await after.QueryAsync<long>("SELECT highest_node_number FROM clusters ORDER BY id"));
    }

    [Fact]
    public async Task ANewNode_TakesTheHighestNumberPlusOne_AndTheOthersKeepTheirsWhenOneLeaves()
    {
        var cluster = await NewCluster();
        var other = await NewCluster("nas2");
        var added = new List<Node>();
        for (var i = 1; i <= 3; i++) added.Add(await AddNode(cluster, i));

        Assert.Equal([1, 2, 3], added.Select(n => n.Number));
        Assert.Equal(1, (await AddNode(other, 9)).Number);

        await _inventory.DeleteNodeAsync(added[1].Id);
        Assert.Equal([("node1", 1), ("node3", 3)], await Numbers(cluster));
        var back = await AddNode(cluster, 2);

        Assert.Equal(4, back.Number);
        Assert.Equal([("node1", 1), ("node3", 3), ("node2", 4)], await Numbers(cluster));
        Assert.Equal(4, (await _inventory.UpdateNodeAsync(back with { SshPort = 2222, Number = 99 })).Number);
        Assert.Equal(4, (await _inventory.GetNodeAsync(back.Id))!.Number);
    }

    [Fact]
    public async Task RemovingTheHighestNumber_KeepsItsCtdbLine_AndTheNextNodeTakesThatNumberAgain()
    {
        var cluster = await NewCluster();
        for (var i = 1; i <= 2; i++) await AddNode(cluster, i);
        var last = await AddNode(cluster, 3);

        await _inventory.DeleteNodeAsync(last.Id);

        var left = (await Specs.ExportAsync(cluster.Id))!;
        Assert.Equal(3, left.HighestNodeNumber);
        Assert.Equal("192.0.2.11\n192.0.2.12\n#\n", ConfigFiles.CtdbNodes(left));
        Assert.Equal(3, (await AddNode(cluster, 4)).Number);
        Assert.Equal("192.0.2.11\n192.0.2.12\n192.0.2.14\n", ConfigFiles.CtdbNodes((await Specs.ExportAsync(cluster.Id))!));
    }

    [Fact]
    public async Task Import_NeverLowersTheHighestNumber()
    {
        var cluster = await NewCluster();
        for (var i = 1; i <= 3; i++) await AddNode(cluster, i);
        var spec = (await Specs.ExportAsync(cluster.Id))!;

        await Specs.ImportAsync(cluster.Id, spec with { Nodes = spec.Nodes.Take(2).ToArray(), HighestNodeNumber = 0 });

        Assert.Equal(3, (await Specs.ExportAsync(cluster.Id))!.HighestNodeNumber);
    }

    [Fact]
    public async Task TheExportedSpec_ListsNodesByNumber_WithTheirNumbers_AndItsFilesKeepTheGap()
    {
        var cluster = await NewCluster();
        var added = new List<Node>();
        for (var i = 1; i <= 3; i++) added.Add(await AddNode(cluster, i));
        await _inventory.DeleteNodeAsync(added[1].Id);
        await AddNode(cluster, 2);

        var spec = (await Specs.ExportAsync(cluster.Id))!;

        Assert.Equal([("node1", 1), ("node3", 3), ("node2", 4)], spec.Nodes.Select(n => (n.Name, n.Number)));
        Assert.Equal("192.0.2.11\n#\n192.0.2.13\n192.0.2.12\n", ConfigFiles.CtdbNodes(spec));
    }

    [Fact]
    public async Task Import_StoresTheSpecsNumbers_EvenWhenKeptNodesTradeThem()
    {
        var cluster = await NewCluster();
        for (var i = 1; i <= 3; i++) await AddNode(cluster, i);
        var spec = (await Specs.ExportAsync(cluster.Id))!;
        var traded = spec with { Nodes = [spec.Nodes[0] with { Number = 2 }, spec.Nodes[1] with { Number = 1 }, new NodeSpec { Name = "node5", Address = "192.0.2.15", Number = 7 }] };

        await Specs.ImportAsync(cluster.Id, traded);

        Assert.Equal([("node2", 1), ("node1", 2), ("node5", 7)], await Numbers(cluster));
        Assert.Equal(8, (await AddNode(cluster, 6)).Number);
        Assert.Equal([1, 2, 7, 8], (await Specs.ExportAsync(cluster.Id))!.Nodes.Select(n => n.Number));
    }
}
