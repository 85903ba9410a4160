using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>
/// Ganesha cannot export a FUSE mount through its VFS backend (no kernel file handles): an export on a GlusterFS volume
/// the cluster mounts goes through Gluster's backend, at its directory inside the volume, and clients keep the path they know.
/// </summary>
public sealed class GaneshaOnGlusterTests
{
    private static StorageSpec Gluster(string device) =>
        new() { Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster", Type = ClusterFilesystem.GlusterFs, Device = device };

    [Theory]
    [InlineData("localhost:/vol", "localhost", "vol", "/")]
    [InlineData("gl1,gl2,gl3:/vol/", "gl1", "vol", "/")]
    [InlineData("gl1:/vol/projects/2026", "gl1", "vol", "/projects/2026")]
    public void AGlusterDevice_NamesItsFirstServer_ItsVolume_AndTheMountedDirectory(string device, string server, string volume, string subdirectory)
    {
        Assert.Equal(new GlusterVolumeAddress(server, volume, subdirectory), GlusterVolumeAddress.Parse(device));
    }

    [Theory]
    [InlineData("vol")]
    [InlineData(":/vol")]
    [InlineData("host:/")]
    [InlineData(null)]
    public void WhatIsNoGlusterDevice_HasNoAddress(string? device) => Assert.Null(GlusterVolumeAddress.Parse(device));

    [Theory]
    [InlineData("localhost:/vol", "/srv/cluster/data", "/data")]
    [InlineData("localhost:/vol", "/srv/cluster", "/")]
    [InlineData("localhost:/vol/nas", "/srv/cluster/data/x", "/nas/data/x")]
    [InlineData("localhost:/vol/nas", "/srv/cluster", "/nas")]
    public void AnExportOnTheVolume_GoesThroughGlustersBackend_AtItsPathInsideTheVolume(string device, string export, string inVolume)
    {
        var backend = ConfigFiles.GaneshaBackend(Gluster(device), export);

        Assert.Contains("Name = GLUSTER;", backend);
        Assert.Contains($"volpath = \"{inVolume}\";", backend);
        Assert.Contains($"Volume = \"{GlusterVolumeAddress.Parse(device)!.Volume}\";", backend);
    }

    [Fact]
    public void AnExportElsewhere_OrOnAFilesystemTheServersMount_StaysOnTheVfsBackend()
    {
        Assert.Equal("\tFSAL {\n\t\tName = VFS;\n\t}\n", ConfigFiles.GaneshaBackend(Gluster("localhost:/vol"), "/srv/other"));
        Assert.Contains("Name = VFS;", ConfigFiles.GaneshaBackend(new StorageSpec { MountPoint = "/srv/cluster" }, "/srv/cluster/data"));
        Assert.Contains("Name = VFS;", ConfigFiles.GaneshaBackend(null, "/srv/data"));
    }
}
