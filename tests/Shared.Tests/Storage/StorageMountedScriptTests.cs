using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>
/// storage-mounted.sh run for real by /bin/sh with the real findmnt on this machine's own mounts (a directory with nothing
/// on it, a missing one, the read-only /proc); a writable network mount is the namespace lab's (StorageCheckLabTests),
/// here a findmnt stub stands in for one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageMountedScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();

    [Fact]
    public void ADirectoryWithNothingMountedOnIt_Fails_SayingTheDataWouldLandOnTheNodesOwnDisk()
    {
        var directory = Directory.CreateDirectory(_run.PathOf("srv", "cluster")).FullName;

        var result = _run.Run(NodeCommands.StorageMounted(directory, 0));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{directory} is not a mount point: nothing is mounted there, so the data would land on this node's own disk", result.Error.Trim());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void AMissingDirectory_Fails_SayingItDoesNotExist()
    {
        var result = _run.Run(NodeCommands.StorageMounted(_run.PathOf("nowhere"), 0));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{_run.PathOf("nowhere")} does not exist", result.Error.Trim());
    }

    [Fact]
    public void AMountWhereNoFileCanBeCreated_Fails_SayingWhatIsMountedAndThatItIsNotWritable()
    {
        var result = _run.Run(NodeCommands.StorageMounted("/proc", 0));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/proc is mounted (proc proc) but not writable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AWritableMount_PrintsItsSourceAndType_AndLeavesNoFileBehind()
    {
        var directory = Directory.CreateDirectory(_run.PathOf("mnt")).FullName;
        _run.Stub("findmnt", "echo 'localhost:/vol fuse.glusterfs'");

        var result = _run.Run(NodeCommands.StorageMounted(directory, 0));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new MountedFilesystem("localhost:/vol", "fuse.glusterfs"), MountedFilesystem.Parse(result.Output));
        Assert.Equal([$"findmnt -rn -o SOURCE,FSTYPE --mountpoint {directory}"], _run.Calls);
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void WhileTheClusterIsStillMounting_ItAsksOnceASecond_UntilTheMountIsThere()
    {
        var directory = Directory.CreateDirectory(_run.PathOf("mnt")).FullName;
        // Mounted from the third question on.
        _run.Stub("findmnt", $"[ \"$(wc -l < '{_run.PathOf("calls")}')\" -ge 3 ] && echo 'localhost:/vol fuse.glusterfs'");

        var result = _run.Run(NodeCommands.StorageMounted(directory, 10));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, _run.Calls.Count);
    }

    public void Dispose() => _run.Dispose();
}
