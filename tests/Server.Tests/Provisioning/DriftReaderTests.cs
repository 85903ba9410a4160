using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// Drift read over a real sshd, from a "node" whose Pacemaker tools read a CIB file (CIB_file in its sessions): the real
/// <c>cibadmin --query</c> answers, and the report compares it with the spec's plan.
/// </summary>
public sealed class DriftReaderTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-drift-").FullName;
    private string CibFile => Path.Combine(_dir, "cib.xml");
    private TestSshd _sshd = null!;

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        _sshd = await TestSshd.StartAsync(new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["CIB_file"] = CibFile,
        });
    }

    [Fact]
    public async Task ClusterWithoutTheSpecsConfiguration_ListsWhatIsMissing_AndTheBuiltOne_IsInSync()
    {
        var plan = PlanBuilder.Build(Spec(), new Dictionary<string, StorageHa.Shared.Probe.NodeFacts>());
        using var ssh = new SshLayer(_sshd);

        await WriteCibAsync(await OfflineCib.EmptyAsync());
        var empty = await Reader(ssh).ReadAsync(OneNode(ssh), plan, "alice");
        await WriteCibAsync((await OfflineCib.ApplyAsync(plan, runChecks: false)).CibXml);
        var built = await Reader(ssh).ReadAsync(OneNode(ssh), plan, "alice");

        Assert.Contains(empty.Items, i => i.Kind == DriftKind.Missing && i.Resource == ResourceIds.Vip("192.0.2.101") && i.ReapplyFixes);
        Assert.Contains(empty.Items, i => i.Kind == DriftKind.Missing && i.Resource == ResourceIds.Ctdb);
        Assert.True(built.InSync, string.Join("; ", built.Items.Select(i => $"{i.Kind} {i.Resource}: {i.What}")));
        Assert.Contains(ssh.Audit.Entries, e => e.Actor == "alice" && e.Command == "cibadmin --query");
    }

    [Fact]
    public async Task NodeWithoutACib_IsAnErrorNamingTheNode_NotAnEmptyReport()
    {
        var plan = PlanBuilder.Build(Spec(), new Dictionary<string, StorageHa.Shared.Probe.NodeFacts>());
        using var ssh = new SshLayer(_sshd);

        var error = await Assert.ThrowsAsync<NoLiveNodeException>(() => Reader(ssh).ReadAsync(OneNode(ssh), plan, "alice"));

        Assert.Contains("node1: cibadmin --query exited", error.Message);
        Assert.Equal(NodeFailureKind.NoAnswer, Assert.Single(error.Failures).Kind);
    }

    private static DriftReader Reader(SshLayer ssh) => new(new LiveNodes(ssh.Runner, TimeProvider.System));

    private static ClusterNodes OneNode(SshLayer ssh) => new("nas", [ssh.PasswordTarget()]);

    private async Task WriteCibAsync(string xml)
    {
        await File.WriteAllTextAsync(CibFile, xml);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(CibFile, (UnixFileMode)0x1A4);
    }

    private static ClusterSpec Spec() => new()
    {
        Name = "nas",
        Purpose = ClusterPurpose.Smb,
        Nodes = [new NodeSpec { Name = "n1", Address = "192.0.2.11" }, new NodeSpec { Name = "n2", Address = "192.0.2.12" }],
        VirtualIps = [new VirtualIpSpec { Address = "192.0.2.101" }],
        Shares = [new ShareSpec { Name = "data", Path = "/srv/data" }],
        SharedState = new SharedStateSpec { RecoveryLock = "/srv/state/ctdb/reclock" },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
    };

    public async Task DisposeAsync()
    {
        await _sshd.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
