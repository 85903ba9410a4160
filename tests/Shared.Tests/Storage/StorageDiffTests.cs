using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>The storage's health levels, and its changes as the dashboard's timeline tells them.</summary>
public sealed class StorageDiffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    private static NodeStorageHealth Good(string node) => new(node)
    {
        Mount = new("localhost:/vol", "/srv/data", "fuse.glusterfs"), SizeBytes = 100L << 30, FreeBytes = 50L << 30,
        Inodes = 1000, FreeInodes = 900, Writable = true,
    };

    private static NodeStorageHealth Lost(string node) => new(node) { MountProblem = "nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here" };

    private static GlusterVolumeHealth Volume(params GlusterBrick[] bricks) => new("vol", "n1", "Started", "Replicate", bricks);
    private static GlusterBrick Online(string host, int heals = 0) => new($"{host}:/srv/brick/vol", true, null, heals);
    private static GlusterBrick Offline(string host) => new($"{host}:/srv/brick/vol", false, "its brick process does not run", null);

    private static StorageHealthReport Report(int second, GlusterVolumeHealth? volume, params NodeStorageHealth[] nodes) =>
        new(T0.AddSeconds(second), "/srv/data", StorageMounting.ByCluster, "glusterfs", nodes, volume);

    [Fact]
    public void AllMountedAndEveryBrickOnline_IsHealthy_AndTheFirstReportTellsNothing()
    {
        var report = Report(0, Volume(Online("n1"), Online("n2"), Online("n3")), Good("n1"), Good("n2"), Good("n3"));

        Assert.Equal(StorageHealthLevel.Healthy, report.Level);
        Assert.Empty(report.Reasons);
        Assert.Empty(StorageDiff.Between(null, report));
    }

    [Fact]
    public void ABrickGoingOffline_DegradesTheVolume_AWarningWithItsEvents()
    {
        var before = Report(0, Volume(Online("n1"), Online("n2"), Online("n3")), Good("n1"), Good("n2"), Good("n3"));
        var after = Report(3, Volume(Online("n1", heals: 2), Online("n2", heals: 2), Offline("n3")), Good("n1"), Good("n2"), Good("n3"));

        var events = StorageDiff.Between(before, after);

        Assert.Equal(StorageHealthLevel.Warning, after.Level);
        Assert.Equal(["volume vol: 1 of 3 bricks offline (n3:/srv/brick/vol: its brick process does not run), 4 entries waiting to heal"], after.Reasons);
        Assert.Equal(
            ["Brick n3:/srv/brick/vol of volume vol is offline: its brick process does not run",
             "Storage at /srv/data is degraded: volume vol: 1 of 3 bricks offline (n3:/srv/brick/vol: its brick process does not run), 4 entries waiting to heal"],
            events.Select(e => e.Description));
        Assert.All(events, e => Assert.Equal(T0.AddSeconds(3), e.At));
    }

    [Fact]
    public void TheBrickBackThenTheHealDone_AreTold_AndTheStorageIsHealthyAgain()
    {
        var degraded = Report(0, Volume(Online("n1", 2), Online("n2", 2), Offline("n3")), Good("n1"), Good("n2"), Good("n3"));
        var back = Report(3, Volume(Online("n1", 2), Online("n2", 2), Online("n3")), Good("n1"), Good("n2"), Good("n3"));
        var healed = Report(6, Volume(Online("n1"), Online("n2"), Online("n3")), Good("n1"), Good("n2"), Good("n3"));

        Assert.Equal(["Brick n3:/srv/brick/vol of volume vol is online again"], StorageDiff.Between(degraded, back).Select(e => e.Description));
        Assert.Equal(["Volume vol healed: no entries wait to heal", "Storage at /srv/data is healthy again"],
            StorageDiff.Between(back, healed).Select(e => e.Description));
    }

    [Fact]
    public void ANodeLosingTheMount_IsAnError_NamingTheNodeAndWhy_AndItsReturnIsTold()
    {
        var good = Report(0, null, Good("n1"), Good("n2"));
        var lost = Report(3, null, Good("n1"), Lost("n2"));
        var back = Report(6, null, Good("n1"), Good("n2"));

        Assert.Equal(StorageHealthLevel.Error, lost.Level);
        Assert.Equal(["n2: not mounted (nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here)"], lost.Reasons);
        var events = StorageDiff.Between(good, lost);
        var mountLost = Assert.IsType<StorageMountLost>(events[0]);
        Assert.Equal("n2", mountLost.Node);
        Assert.Equal("Storage at /srv/data is failing: n2: not mounted (nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here)",
            events[1].Description);
        Assert.Equal(["n2 has the storage at /srv/data mounted and writable again", "Storage at /srv/data is healthy again"],
            StorageDiff.Between(lost, back).Select(e => e.Description));
    }

    [Fact]
    public void ANodeThatDoesNotAnswer_IsUnknown_AWarning_NotALostMount()
    {
        var good = Report(0, null, Good("n1"), Good("n2"));
        var silent = Report(3, null, Good("n1"), new NodeStorageHealth("n2") { Unreachable = "n2: did not answer within 20 s" });

        Assert.Equal(StorageHealthLevel.Warning, silent.Level);
        Assert.Equal(["Storage at /srv/data is degraded: n2: unknown (n2: did not answer within 20 s)"], StorageDiff.Between(good, silent).Select(e => e.Description));
    }

    [Fact]
    public void DifferentDevicesOnTheNodes_AreAWarning_ForSambasFileid()
    {
        var report = Report(0, null, Good("n1"), Good("n2") with { Mount = new("10.0.0.2:/vol", "/srv/data", "fuse.glusterfs") });

        Assert.Equal(StorageHealthLevel.Warning, report.Level);
        Assert.Contains("the nodes mount different devices (n1: localhost:/vol, n2: 10.0.0.2:/vol)", Assert.Single(report.Reasons));
    }

    [Fact]
    public void LowSpaceOrInodes_AreWarnings()
    {
        var report = Report(0, null, Good("n1") with { FreeBytes = 200L << 20 }, Good("n2") with { FreeInodes = 10 });

        Assert.Equal(StorageHealthLevel.Warning, report.Level);
        Assert.Equal(["n1: mounted, writable, only 200 MiB free", "n2: mounted, writable, only 10 inodes free"], report.Reasons);
    }

    [Theory]
    [InlineData("localhost:/vol", "vol")]
    [InlineData("n1,n2,n3:/vol/subdir", "vol")]
    [InlineData("n1:vol", "vol")]
    [InlineData("/dev/sdb1", null)]
    [InlineData("n1:/", null)]
    public void TheGlusterVolume_IsNamedByTheDevice(string device, string? volume) => Assert.Equal(volume, GlusterVolume.OfDevice(device));
}
