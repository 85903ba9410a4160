using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Inventory;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Tests.Inventory;

public sealed partial class InventoryTests : IDisposable
{
    private readonly TestConsole _console = new();
    private readonly IServiceScope _scope;
    private readonly SqliteInventory _inventory;

    public InventoryTests()
    {
        _ = _console.Server; // starts the host: migrations run
        _scope = _console.Services.CreateScope();
        _inventory = _console.AsSystem<SqliteInventory>(_scope);
    }

    public void Dispose() { _scope.Dispose(); _console.Dispose(); }

    private Task<Cluster> NewCluster(string name = "nas1") => _inventory.AddClusterAsync(new Cluster { Name = name, Purpose = ClusterPurpose.Both });

    [Fact]
    public async Task Migrations_FromAnEmptyFile_CreateEveryTable_AndAreIdempotent()
    {
        var path = Path.Combine(_console.DataDir, "fresh.db");
        var db = new Database(path);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await db.OpenAsync();
        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        Assert.Superset(new HashSet<string> { "clusters", "nodes", "virtual_ips", "shares", "exports", "credentials", "users", "api_tokens", "audit_log", "schema_version" }, tables);
        Assert.Equal(Migrator.Scripts().Count, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version"));
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Nodes_CanBeAddedReadUpdatedAndRemoved()
    {
        var cluster = await NewCluster();
        var added = await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        Assert.Equal("node1", (await _inventory.GetNodeAsync(added.Id))!.Name);

        var moved = await _inventory.UpdateNodeAsync(added with { Address = "192.0.2.21", SshPort = 2222 });
        Assert.Equal(2222, (await _inventory.GetNodeAsync(added.Id))!.SshPort);
        Assert.Equal("192.0.2.21", moved.Address);

        await _inventory.DeleteNodeAsync(added.Id);
        Assert.Empty(await _inventory.ListNodesAsync(cluster.Id));
    }

    [Fact]
    public async Task VirtualIpsSharesAndExports_RoundTripEveryField()
    {
        var cluster = await NewCluster();
        await _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "fd00::100", Prefix = 64, Nic = "eth1" });
        await _inventory.AddShareAsync(new Share { ClusterId = cluster.Id, Name = "projects", Path = "/srv/projects", Comment = "Team files", ReadOnly = true, GuestOk = true, ValidUsers = SmbPrincipal.ParseList("alice @staff") });
        await _inventory.AddExportAsync(new Export { ClusterId = cluster.Id, Path = "/srv/nfs", Clients = "192.0.2.0/24,fd00::/8", Access = ExportAccess.ReadOnly });

        var vip = Assert.Single(await _inventory.ListVirtualIpsAsync(cluster.Id));
        Assert.Equal(("fd00::100", 64, "eth1"), (vip.Address, vip.Prefix, vip.Nic));
        var share = Assert.Single(await _inventory.ListSharesAsync(cluster.Id));
        Assert.Equal(("projects", "/srv/projects", "Team files", true, true, "alice @staff"), (share.Name, share.Path, share.Comment, share.ReadOnly, share.GuestOk, SmbPrincipal.RenderList(share.ValidUsers)));
        var export = Assert.Single(await _inventory.ListExportsAsync(cluster.Id));
        Assert.Equal(("/srv/nfs", "192.0.2.0/24,fd00::/8", ExportAccess.ReadOnly), (export.Path, export.Clients, export.Access));
    }

    [Fact]
    public async Task DuplicateNodeName_IsRejected_NamingTheField()
    {
        var cluster = await NewCluster();
        await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        var e = await Assert.ThrowsAsync<ConflictException>(() => _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "NODE1", Address = "192.0.2.12" }));
        Assert.Equal("name", e.Field);
        Assert.Contains("node1", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DuplicateNodeAddress_IsRejected_NamingTheField()
    {
        var cluster = await NewCluster();
        await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        var e = await Assert.ThrowsAsync<ConflictException>(() => _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node2", Address = "192.0.2.11" }));
        Assert.Equal("address", e.Field);
    }

    [Fact]
    public async Task DuplicateVirtualIp_IsRejected()
    {
        var cluster = await NewCluster();
        await _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "192.0.2.100" });
        var e = await Assert.ThrowsAsync<ConflictException>(() => _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "192.0.2.100" }));
        Assert.Contains("already", e.Message);
    }

    [Fact]
    public async Task VirtualIpThatIsANodeAddress_IsRejected_AndTheReverseToo()
    {
        var cluster = await NewCluster();
        await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        var e = await Assert.ThrowsAsync<ConflictException>(() => _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "192.0.2.11" }));
        Assert.Contains("address of a node", e.Message);

        await _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "192.0.2.100" });
        var reverse = await Assert.ThrowsAsync<ConflictException>(() => _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node2", Address = "192.0.2.100" }));
        Assert.Contains("virtual IP", reverse.Message);
    }

    [Fact]
    public async Task InvalidInput_IsRejectedBeforeAnythingIsStored()
    {
        var cluster = await NewCluster();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "bad;name", Address = "10.0.0.256", SshPort = 0 }));
        Assert.Equal(["address", "name", "sshPort"], e.Errors.Select(x => x.Field).Order());
        Assert.Empty(await _inventory.ListNodesAsync(cluster.Id));
    }

    [Fact]
    public async Task ChangingANodesAddress_DropsItsPinnedHostKey()
    {
        var cluster = await NewCluster();
        var node = await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        await using (var c = await _console.Database.OpenAsync())
            await c.ExecuteAsync("UPDATE nodes SET host_key_fingerprint = 'SHA256:abc' WHERE id = @Id", new { node.Id });

        await _inventory.UpdateNodeAsync(node with { SshUser = "admin" });
        Assert.Equal("SHA256:abc", (await _inventory.GetNodeAsync(node.Id))!.HostKeyFingerprint);
        await _inventory.UpdateNodeAsync(node with { Address = "192.0.2.99" });
        Assert.Null((await _inventory.GetNodeAsync(node.Id))!.HostKeyFingerprint);
    }

    [Fact]
    public async Task EveryChange_IsInTheAuditLog_WithItsActor()
    {
        var cluster = await NewCluster("audited");
        await _inventory.AddShareAsync(new Share { ClusterId = cluster.Id, Name = "docs", Path = "/srv/docs" });
        await using var c = await _console.Database.OpenAsync();
        var actions = (await c.QueryAsync<(string Actor, string Action)>("SELECT actor, action FROM audit_log ORDER BY id")).ToList();
        Assert.Contains(("system", "cluster.add"), actions);
        Assert.Contains(("system", "share.add"), actions);
    }

    [Fact]
    public async Task DeletingACluster_RemovesEverythingInIt()
    {
        var cluster = await NewCluster();
        await _inventory.AddNodeAsync(new Node { ClusterId = cluster.Id, Name = "node1", Address = "192.0.2.11" });
        await _inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = cluster.Id, Address = "192.0.2.100" });
        await _inventory.DeleteClusterAsync(cluster.Id);
        await using var c = await _console.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM virtual_ips)"));
    }

    [Fact]
    public async Task SpecImport_IsAllOrNothing_AndExportGivesItBack()
    {
        var cluster = await NewCluster();
        var specs = _console.AsSystem<ClusterSpecs>(_scope);
        var spec = new ClusterSpec
        {
            Name = "nas1", Purpose = ClusterPurpose.Smb,
            Nodes = [new NodeSpec { Name = "node1", Address = "192.0.2.11" }, new NodeSpec { Name = "node2", Address = "192.0.2.12" }],
            VirtualIps = [new VirtualIpSpec { Address = "192.0.2.100" }],
            Shares = [new ShareSpec { Name = "docs", Path = "/srv/docs" }],
        };
        await specs.ImportAsync(cluster.Id, spec);
        var back = (await specs.ExportAsync(cluster.Id))!;
        Assert.Equal(["node1", "node2"], back.Nodes.Select(n => n.Name));
        Assert.Equal("192.0.2.100", Assert.Single(back.VirtualIps).Address);

        var broken = spec with { Shares = [new ShareSpec { Name = "docs", Path = "/srv/../etc" }], VirtualIps = [new VirtualIpSpec { Address = "192.0.2.11" }] };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => specs.ImportAsync(cluster.Id, broken));
        Assert.Contains(e.Errors, x => x.Field == "shares[0].path");
        Assert.Contains(e.Errors, x => x.Field == "virtualIps[0].address");
        Assert.Equal("/srv/docs", Assert.Single((await specs.ExportAsync(cluster.Id))!.Shares).Path);
    }
}
