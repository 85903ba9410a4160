using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Server.Storage;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Storage;
using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Storage;

/// <summary>
/// The storage health check over a real sshd, through sudo, on this machine: its root filesystem is a mounted, writable
/// filesystem; an empty directory is a mount point with nothing mounted; the gluster CLI without a glusterd is a volume
/// no node can tell about. A dead node is unknown, not failing. (Gluster's answers from a running volume: GlusterHealthReadTests.)
/// </summary>
public sealed class StorageHealthCheckTests(SshdFixture fixture) : IClassFixture<SshdFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-storage-").FullName;
    private static readonly Asker Asker = new("vera", StorageHealthCheck.AuditAction);

    [Fact]
    public async Task TheRootFilesystem_IsMountedAndWritable_WithItsSpace_AuditedAsTheAsker()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var target = new StorageHealthTarget("/", StorageMounting.ByServers, null, null);

        var report = await Check(ssh).CheckAsync(new ClusterNodes("nas", [ssh.PasswordTarget()]), target, Asker, CancellationToken.None);

        var node = Assert.Single(report.Nodes);
        Assert.True(node.Mounted, node.MountProblem);
        Assert.Equal("/", node.Mount!.MountPoint);
        Assert.True(node.Writable, node.WriteProblem);
        Assert.True(node.FreeBytes > 0 && node.Inodes > 0);
        Assert.Null(report.Volume);
        Assert.All(ssh.Audit.Entries, e => Assert.Equal(("vera", StorageHealthCheck.AuditAction), (e.Actor, e.Action)));
        Assert.Empty(Directory.GetFiles("/", ".storageha-health.*"));
    }

    [Fact]
    public async Task NothingMountedOnOneNode_IsAnErrorWithTheReason_ADeadNodeIsUnknown_AndTheClusterVolumeUnknownWithoutGlusterd()
    {
        RequiredTool.Require(new RequiredTool("gluster", "glusterfs-cli"));
        using var ssh = new SshLayer(fixture.Sshd);
        // Port 1 (tcpmux) listens nowhere here: the connection is refused, as to a node whose sshd is down.
        var dead = new SshTarget("node2", "127.0.0.1", 1, fixture.Sshd.User, SshAuth.WithPassword(fixture.Sshd.Password, "test password"), fixture.Sshd.HostKeyFingerprint);
        var target = StorageHealthTarget.Of(new StorageSpec { MountPoint = _dir, Mounting = StorageMounting.ByCluster, Device = "localhost:/vol" });

        var report = await Check(ssh).CheckAsync(new ClusterNodes("nas", [ssh.PasswordTarget(), dead]), target, Asker, CancellationToken.None);

        Assert.Equal(StorageHealthLevel.Error, report.Level);
        Assert.Equal($"not mounted (nothing is mounted at {_dir}: Pacemaker's Filesystem resource does not run here)", report.Nodes[0].Summary);
        Assert.StartsWith("unknown (", report.Nodes[1].Summary);
        Assert.Equal(StorageHealthLevel.Warning, report.Nodes[1].Level);
        var volume = report.Volume!;
        Assert.Equal("vol", volume.Volume);
        Assert.Null(volume.AskedNode);
        Assert.Contains("node1: ", volume.Problem);
        Assert.Contains("node2: ", volume.Problem);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    private static StorageHealthCheck Check(SshLayer ssh) => new(new LiveNodes(ssh.Runner, TimeProvider.System), TimeProvider.System);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
