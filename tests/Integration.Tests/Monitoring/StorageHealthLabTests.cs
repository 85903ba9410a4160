using System.Diagnostics;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Server.Storage;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Storage;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Monitoring;

/// <summary>
/// The storage health check over SSH on the lab's nodes, as the console runs it: a node's own disk (its private
/// /var/lib/pacemaker, a bind mount) is mounted and writable; the lab's shared directory, which is no mount point in
/// the namespace nodes, is a storage the servers did not mount. A second or so for three nodes, on the running lab.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class StorageHealthLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task EachNodesMount_IsReadOverSsh_MountedAndWritable_OrNotMountedWithTheReason()
    {
        await using var monitor = await LabMonitor.StartAsync(Lab, [.. Lab.Nodes.Select(n => n.Name)]);
        using var pool = new SshConnectionPool();
        var check = new StorageHealthCheck(new LiveNodes(new SshRunner(pool, monitor.Audit, TimeProvider.System), TimeProvider.System), TimeProvider.System);
        var asker = new Asker("lab-test", StorageHealthCheck.AuditAction);
        var nodes = new ClusterNodes(Lab.ClusterName, monitor.Cluster.Nodes);

        var nodesOwn = new StorageHealthTarget("/var/lib/pacemaker", StorageMounting.ByServers, null, null);
        await check.CheckAsync(nodes, nodesOwn, asker, CancellationToken.None); // the first also logs in to every node
        var clock = Stopwatch.StartNew();
        var own = await check.CheckAsync(nodes, nodesOwn, asker, CancellationToken.None);
        var took = clock.Elapsed;
        var shared = await check.CheckAsync(nodes, new StorageHealthTarget(Lab.SharedDirectory, StorageMounting.ByServers, null, null), asker, CancellationToken.None);

        Assert.True(own.Level == StorageHealthLevel.Healthy, $"{own.Level}: {string.Join("; ", own.Reasons)}");
        Assert.All(own.Nodes, n => Assert.Equal("mounted, writable", n.Summary));
        Assert.All(own.Nodes, n => Assert.True(n.FreeBytes > 0 && n.FreeInodes > 0));
        Assert.Equal(StorageHealthLevel.Error, shared.Level);
        Assert.All(shared.Nodes, n => Assert.Equal($"not mounted (nothing is mounted at {Lab.SharedDirectory})", n.Summary));
        Assert.Empty(Directory.GetFiles(Lab.SharedDirectory, ".storageha-health.*"));
        output.WriteLine($"one storage health check of {own.Nodes.Count} nodes (mount, df, df -i, a write; connections open): {took.TotalSeconds:0.000} s");
    }
}
