using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Auth;
using StorageHa.Server.Drills;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Drills;

/// <summary>What the drill tests share: a migrated inventory in a temporary directory with the cluster "nas", its live feed, the cluster in memory, the drill store.</summary>
internal sealed class DrillsInMemory : IDisposable
{
    public static readonly ClaimsPrincipal Olga = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "olga"), .. Roles.ClaimsFor(Role.Operator)], "test"));

    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-drills-").FullName;
    public ClusterFeeds Feeds { get; } = new(TimeProvider.System);
    public FakeDrillCluster Cluster { get; private set; } = null!;
    public DrillStore Store { get; private set; } = null!;
    public SqliteInventory Inventory { get; private set; } = null!;

    public static async Task<DrillsInMemory> CreateAsync()
    {
        var drills = new DrillsInMemory();
        var db = new Database(Path.Combine(drills._dir, "storageha.db"));
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        drills.Inventory = new SqliteInventory(db, new SystemActor(), TimeProvider.System);
        var id = (await drills.Inventory.AddClusterAsync(new Cluster { Name = "nas" })).Id;
        drills.Feeds.Track(id, "nas");
        drills.Cluster = new FakeDrillCluster(drills.Feeds, id);
        drills.Cluster.Publish();
        drills.Store = new DrillStore(db);
        return drills;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
