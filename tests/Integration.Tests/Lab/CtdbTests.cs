using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class CtdbTests(LabFixture fixture)
{
    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task CtdbClone_UnderPacemaker_ReachesCtdbStatusAllOk()
    {
        const string ctdb = "ctdb";
        await _cluster.RunAsync("node1", "pcs", "resource", "create", ctdb, "ocf:heartbeat:CTDB",
            $"ctdb_recovery_lock={Path.Combine(Lab.SharedDirectory, "ctdb.lock")}",
            "ctdb_manages_samba=no", "ctdb_manages_winbind=no", "ctdb_logfile=/var/log/ctdb/log.ctdb",
            "op", "monitor", "interval=10s", "timeout=30s", "op", "start", "timeout=90s", "op", "stop", "timeout=100s", "clone");
        try
        {
            var status = "";
            await LabCluster.WaitUntilAsync("ctdb status: every node OK", TimeSpan.FromSeconds(150), async () =>
            {
                status = await _cluster.RunAsync("node1", "sh", "-c", "ctdb status 2>&1 || true");
                return Lab.Nodes.All(n => status.Contains($"{n.Address}       OK", StringComparison.Ordinal)) &&
                       status.Contains("Recovery mode:NORMAL", StringComparison.Ordinal);
            });
            foreach (var node in Lab.Nodes)
                Assert.Equal(Lab.Nodes.Count, (await _cluster.ViewFromAsync(node.Name)).NodesRunning(ctdb).Count);
            Assert.True(File.Exists(Path.Combine(Lab.SharedDirectory, "ctdb.lock")), "the recovery lock is not in the shared directory");
        }
        finally
        {
            await _cluster.DeleteAsync(ctdb);
        }
    }
}
