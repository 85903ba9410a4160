using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Storage;
using StorageHa.Shared.Tests.Provisioning;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>The probe's mounts: read from mountinfo, and judged across the nodes before the plan runs.</summary>
public sealed class StorageMountsTests
{
    // /proc/self/mountinfo of this machine (Debian 12 host, 2026-12-06), first lines, plus a GlusterFS FUSE mount as Gluster 10.3 lists it.
    private const string HostMountinfo = """
        21 26 0:20 / /proc rw,relatime - proc proc rw
        22 26 0:21 / /sys rw,relatime - sysfs sysfs rw
        23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334808k,nr_inodes=3083702,mode=755
        24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k
        25 23 0:23 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
        26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
        31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        44 26 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
        45 44 0:4 net:[4026532173] /run/netns/sha-it-br rw shared:2 - nsfs nsfs rw
        """;

    [Fact]
    public void Mountinfo_ListsRealFilesystems_WithSourceMountPointAndType_SkippingTheKernelsOwn()
    {
        var mounts = Mountinfo.Parse(HostMountinfo.Split('\n'));

        Assert.Equal([new("/dev/vda", "/", "ext4"), new("/dev/vda", "/run/netns", "ext4")], mounts);
    }

    [Fact]
    public void Mountinfo_DecodesOctalEscapes_AndTheLastMountAtAPathIsTheOneSeen()
    {
        var mounts = Mountinfo.Parse([
            "90 26 254:0 / /srv/my\\040data rw,relatime shared:40 - ext4 /dev/vdb rw",
            "91 90 0:50 / /srv/my\\040data rw,relatime shared:41 - fuse.glusterfs localhost:/vol rw,user_id=0,group_id=0",
            "not a mountinfo line",
        ]);

        Assert.Equal(new MountedFilesystem("localhost:/vol", "/srv/my data", "fuse.glusterfs"), Mountinfo.At(mounts, "/srv/my data"));
        Assert.Null(Mountinfo.At(mounts, "/srv"));
    }

    [Fact]
    public void TheProbe_ReadsItsMountsSection_AndAnOlderProbeHasNone()
    {
        var facts = ProbeReport.Parse("@@storageha:mounts\n" + HostMountinfo + "\n@@storageha:end\n", DateTimeOffset.UnixEpoch);
        var older = ProbeReport.Parse("@@storageha:hostname\nnode1\n@@storageha:end\n", DateTimeOffset.UnixEpoch);

        Assert.Equal(["/", "/run/netns"], facts.Mounts!.Select(m => m.MountPoint));
        Assert.Null(older.Mounts);
    }

    private static NodeFacts Mounted(params MountedFilesystem[] mounts) => new() { Mounts = [new("/dev/vda", "/", "ext4"), .. mounts] };

    private static readonly StorageSpec ByServers = new() { MountPoint = "/srv/data" };
    private static readonly StorageSpec ByCluster = new() { MountPoint = "/srv/data", Mounting = StorageMounting.ByCluster, Device = "localhost:/vol" };

    [Fact]
    public void StorageTheServersMount_MissingOnANode_BlocksThePlan_NamingTheNode()
    {
        var check = StorageMounts.Check(ByServers, new Dictionary<string, NodeFacts>
        {
            ["n1"] = Mounted(new MountedFilesystem("localhost:/vol", "/srv/data", "fuse.glusterfs")),
            ["n2"] = Mounted(),
        });

        var blocker = Assert.Single(check.Blockers);
        Assert.StartsWith("n2: nothing is mounted at /srv/data, which the servers are to mount", blocker);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void StorageTheClusterMounts_NotMountedYet_IsAsExpected()
    {
        var check = StorageMounts.Check(ByCluster, new Dictionary<string, NodeFacts> { ["n1"] = Mounted(), ["n2"] = Mounted() });

        Assert.Empty(check.Blockers);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void DifferentDeviceStrings_OrTypes_AcrossNodes_AreWarnings_ForSambasFileid()
    {
        var check = StorageMounts.Check(ByServers, new Dictionary<string, NodeFacts>
        {
            ["n1"] = Mounted(new MountedFilesystem("10.0.0.1:/vol", "/srv/data", "fuse.glusterfs")),
            ["n2"] = Mounted(new MountedFilesystem("10.0.0.2:/vol", "/srv/data", "fuse.glusterfs")),
            ["n3"] = Mounted(new MountedFilesystem("nas:/export", "/srv/data", "nfs4")),
        });

        Assert.Empty(check.Blockers);
        Assert.Equal(2, check.Warnings.Count);
        Assert.StartsWith("The nodes mount different devices at /srv/data (n1: 10.0.0.1:/vol, n2: 10.0.0.2:/vol, n3: nas:/export): Samba's fileid module", check.Warnings[0]);
        Assert.StartsWith("The nodes mount different filesystem types at /srv/data (n1: fuse.glusterfs, n2: fuse.glusterfs, n3: nfs4)", check.Warnings[1]);
    }

    [Fact]
    public void ANodeProbedBeforeMountsWereRead_IsToBeProbedAgain()
    {
        var check = StorageMounts.Check(ByServers, new Dictionary<string, NodeFacts> { ["n1"] = new() });

        Assert.Empty(check.Blockers);
        Assert.Equal("n1 was probed before the console read mounts: probe it again, so the console knows whether /srv/data is mounted there", Assert.Single(check.Warnings));
    }

    [Fact]
    public void ThePlan_IsBlockedByANodeWithoutTheServersMount_AndWarnsOfDifferentDevices()
    {
        var spec = SpecExamples.ThreeNodes() with { Storage = new() { MountPoint = "/srv" } };
        var facts = SpecExamples.FactsFor(spec).ToDictionary(f => f.Key, f => f.Value with
        {
            Mounts = f.Key == "node3" ? [] : [new MountedFilesystem($"{f.Key}:/vol", "/srv", "fuse.glusterfs")],
        });

        var plan = PlanBuilder.Build(spec, facts);

        Assert.Contains(plan.Blockers, b => b.StartsWith("node3: nothing is mounted at /srv, which the servers are to mount", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.StartsWith("The nodes mount different devices at /srv (node1: node1:/vol, node2: node2:/vol)", StringComparison.Ordinal));
    }
}
