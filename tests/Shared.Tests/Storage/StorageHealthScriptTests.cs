using StorageHa.Shared.Inventory;
using StorageHa.Shared.Storage;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>
/// storage-health.sh run for real on this machine: in a private mount namespace (unshare -m) a bind mount stands for the
/// cluster filesystem, so nothing outside the test sees it; the parser reads what the script printed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageHealthScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();
    private readonly StorageHealthTarget _target;

    public StorageHealthScriptTests()
    {
        Directory.CreateDirectory(_run.PathOf("disk"));
        Directory.CreateDirectory(_run.PathOf("data"));
        _target = new StorageHealthTarget(_run.PathOf("data"), StorageMounting.ByServers, null, null);
    }

    /// <summary>The script in its own mount namespace, after <paramref name="prepare"/> (shell commands; $D is the disk, $M the mount point).</summary>
    private NodeStorageHealth Check(string prepare, StorageHealthTarget? target = null)
    {
        target ??= _target;
        var result = _run.Run(["unshare", "-m", "--propagation", "private", "sh", "-c", $"D=\"$1\" M=\"$2\"; shift 2; {prepare}\nexec \"$@\"", "storageha-test",
            _run.PathOf("disk"), target.MountPoint, .. target.NodeCommand]);
        Assert.True(result.Succeeded, result.Error);
        return NodeStorageRead.Parse("node1", result.Output, target);
    }

    [Fact]
    public void AMountedWritableFilesystem_IsHealthy_WithItsSpaceAndInodes_AndTheProbeFileIsGone()
    {
        var node = Check("mount --bind \"$D\" \"$M\"");

        Assert.True(node.Mounted, node.MountProblem);
        Assert.Equal(_target.MountPoint, node.Mount!.MountPoint);
        Assert.True(node.SizeBytes > 0 && node.FreeBytes > 0 && node.FreeBytes <= node.SizeBytes);
        Assert.True(node.Inodes > 0 && node.FreeInodes > 0);
        Assert.True(node.Writable, node.WriteProblem);
        Assert.Equal(StorageHealthLevel.Healthy, node.Level);
        Assert.Equal("mounted, writable", node.Summary);
        Assert.Empty(Directory.GetFileSystemEntries(_run.PathOf("disk")));
    }

    [Fact]
    public void AReadOnlyMount_IsAnError_InTheWordsOfTheWrite()
    {
        var node = Check("mount --bind \"$D\" \"$M\" && mount -o remount,bind,ro \"$M\"");

        Assert.True(node.Mounted);
        Assert.False(node.Writable);
        Assert.Contains("Read-only file system", node.WriteProblem);
        Assert.Equal(StorageHealthLevel.Error, node.Level);
    }

    [Fact]
    public void NothingMounted_IsAnError_SayingWhy_AndNothingIsWrittenToTheNodesOwnDisk()
    {
        var byServers = Check(":");
        var byCluster = Check(":", _target with { Mounting = StorageMounting.ByCluster, FsType = "glusterfs" });
        var missing = Check(":", _target with { MountPoint = _run.PathOf("nowhere") });

        Assert.Equal($"not mounted (nothing is mounted at {_target.MountPoint})", byServers.Summary);
        Assert.Equal($"nothing is mounted at {_target.MountPoint}: Pacemaker's Filesystem resource does not run here", byCluster.MountProblem);
        Assert.Equal($"{_run.PathOf("nowhere")} does not exist on the node", missing.MountProblem);
        Assert.All([byServers, byCluster, missing], n => Assert.Equal(StorageHealthLevel.Error, n.Level));
        Assert.Null(byServers.Writable);
        Assert.Empty(Directory.GetFileSystemEntries(_run.PathOf("data")));
    }

    [Fact]
    public void AMountOfAnotherTypeThanTheClusterMounts_IsNotTheClusterFilesystem()
    {
        var node = Check("mount --bind \"$D\" \"$M\"", _target with { Mounting = StorageMounting.ByCluster, FsType = "glusterfs" });

        Assert.False(node.Mounted);
        Assert.Matches(@"^/dev/\S+ is mounted there as ext4, not glusterfs$", node.MountProblem);
    }

    public void Dispose() => _run.Dispose();
}
