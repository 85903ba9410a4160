using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>The cluster filesystem in a spec: what the admin may write, and the shared state that must lie on it.</summary>
public sealed class StorageSpecTests
{
    private static ClusterSpec Spec(StorageSpec storage, SharedStateSpec? state = null) =>
        new() { Name = "nas", Storage = storage, SharedState = state };

    private static StorageSpec Gluster(string device = "localhost:/vol", string? options = null) =>
        new() { Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster", Type = ClusterFilesystem.GlusterFs, Device = device, Options = options };

    [Fact]
    public void AGlusterVolumeTheClusterMounts_WithItsBackupServers_IsValid()
    {
        Assert.Empty(Spec(Gluster(options: "backup-volfile-servers=n2:n3,log-level=WARNING"),
            new() { RecoveryLock = "/srv/cluster/ctdb/reclock", GaneshaState = "/srv/cluster/ganesha" }).Validate());
    }

    [Fact]
    public void AFilesystemTheServersMount_NeedsOnlyItsMountPoint()
    {
        Assert.Empty(Spec(new() { MountPoint = "/srv/cluster" }).Validate());
        Assert.Contains(Spec(new() { MountPoint = "/srv/cluster", Device = "localhost:/vol" }).Validate(), e => e.Field == "storage.device");
    }

    [Theory]
    [InlineData("srv/cluster", "must be an absolute path (starting with '/')")]
    [InlineData("/", "must be the cluster filesystem's own directory, not '/'")]
    [InlineData("/srv/../etc", "must not contain '..'")]
    public void AMountPointThatIsNoDirectoryOfItsOwn_IsRefused(string mountPoint, string message)
    {
        var error = Assert.Single(Spec(new() { MountPoint = mountPoint }).Validate());
        Assert.Equal(("storage.mountPoint", message), (error.Field, error.Message));
    }

    [Theory]
    [InlineData("vol")]
    [InlineData("localhost:vol")]
    [InlineData(":/vol")]
    [InlineData("host name:/vol")]
    [InlineData("localhost:/vol;reboot")]
    [InlineData("localhost:/$(id)")]
    public void AGlusterDeviceNotOfTheFormServerColonVolume_IsRefused(string device)
    {
        Assert.Contains(Spec(Gluster(device)).Validate(), e => e.Field == "storage.device");
    }

    [Theory]
    [InlineData("n1,n2,[fd00::3]:6789:/data", ClusterFilesystem.CephFs)]
    [InlineData("192.0.2.50:/exports/nas", ClusterFilesystem.Nfs)]
    [InlineData("/dev/vg_cluster/lv_data", ClusterFilesystem.Gfs2)]
    public void EachFilesystemTakesItsOwnDeviceForm(string device, ClusterFilesystem type)
    {
        Assert.Empty(Spec(Gluster(device) with { Type = type }).Validate());
    }

    [Fact]
    public void GfsOnANetworkDevice_IsRefused_NamingTheBlockDevice()
    {
        var error = Assert.Single(Spec(Gluster() with { Type = ClusterFilesystem.Gfs2 }).Validate());
        Assert.Equal("storage.device", error.Field);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("ro,'x'")]
    [InlineData("x=$(id)")]
    [InlineData(",ro")]
    public void MountOptionsWithSpacesQuotesOrShellCharacters_AreRefused(string options)
    {
        Assert.Contains(Spec(Gluster(options: options)).Validate(), e => e.Field == "storage.options");
    }

    [Fact]
    public void AnUnknownFilesystemType_IsRefused()
    {
        Assert.Contains(Spec(Gluster() with { Type = (ClusterFilesystem)42 }).Validate(), e => e.Field == "storage.type");
    }

    [Fact]
    public void TheRecoveryLockAndGaneshasState_MustLieOnTheClusterFilesystem()
    {
        var errors = Spec(Gluster(), new() { RecoveryLock = "/var/lib/ctdb/reclock", GaneshaState = "/srv/cluster-other/ganesha" }).Validate();

        Assert.Equal(["sharedState.recoveryLock", "sharedState.ganeshaState"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("/srv/cluster", true)]
    [InlineData("/srv/cluster/data", true)]
    [InlineData("/srv/clusterdata", false)]
    [InlineData("/srv", false)]
    public void HoldsAPath_OnlyAtOrUnderItsMountPoint(string path, bool held)
    {
        Assert.Equal(held, new StorageSpec { MountPoint = "/srv/cluster" }.Holds(path));
    }

    [Fact]
    public void EveryFilesystemSaysWhatItNeeds_AndOnlyGlusterIsProvenHere()
    {
        Assert.All(ClusterFilesystems.All, k => Assert.Contains("kmod", k.DebianPackages));
        Assert.Equal([ClusterFilesystem.GlusterFs], ClusterFilesystems.All.Where(k => k.Proven).Select(k => k.Filesystem));
        Assert.Equal(Enum.GetValues<ClusterFilesystem>(), ClusterFilesystems.All.Select(k => k.Filesystem));
    }
}
