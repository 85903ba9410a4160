using System.Xml.Linq;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Tests.Provisioning;

namespace StorageHa.Shared.Tests.Storage;

/// <summary>
/// The cluster filesystem in the plan. Mounted by the cluster: a cloned Filesystem resource in a first batch, mounted and
/// checked on every node before the shared state is made on it, with every service after it and only where it is
/// mounted. Mounted by the servers: checked on every node before anything is written or started. Either way the data
/// that does not lie on it is named.
/// </summary>
public sealed class StoragePlanTests
{
    private static readonly StorageSpec Volume = new()
    {
        Mounting = StorageMounting.ByCluster, MountPoint = "/srv", Type = ClusterFilesystem.GlusterFs,
        Device = "localhost:/vol", Options = "backup-volfile-servers=node2:node3",
    };

    private static ClusterSpec Spec(StorageSpec? storage = null) => SpecExamples.ThreeNodes() with { Storage = storage ?? Volume };

    private static Plan Build(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts>? facts = null) => PlanBuilder.Build(spec, facts ?? SpecExamples.FactsFor(spec));

    private static List<string> Ids(Plan plan) => plan.Steps.Select(s => s.Id).ToList();

    private static XElement Written(Plan plan, string id) => ((EditCib)plan.Steps.Single(s => s.Id == "cib-" + id).Action).Written!;

    private static IEnumerable<string> Pairs(XElement holder) => holder.Elements("nvpair").Select(n => $"{n.Attribute("name")!.Value}={n.Attribute("value")!.Value}");

    [Fact]
    public void MountedByTheCluster_IsAClonedFilesystemResource_WithTheSpecsDeviceMountPointTypeAndOptions()
    {
        var clone = Written(Build(Spec()), "cluster-fs");

        Assert.Equal(("clone", ResourceIds.StorageClone), (clone.Name.LocalName, clone.Attribute("id")!.Value));
        Assert.Equal(["interleave=true"], Pairs(clone.Element("meta_attributes")!));
        var primitive = clone.Element("primitive")!;
        Assert.Equal(["ocf", "heartbeat", "Filesystem"], new[] { "class", "provider", "type" }.Select(a => primitive.Attribute(a)!.Value));
        Assert.Equal(["device=localhost:/vol", "directory=/srv", "fstype=glusterfs", "options=backup-volfile-servers=node2:node3"],
            Pairs(primitive.Element("instance_attributes")!));
    }

    [Fact]
    public void TheMountIsWatchedByWritingAFile_SoAHungOrReadOnlyMountFails_WithTheAgentsStartAndStopTimeouts()
    {
        var operations = Written(Build(Spec()), "cluster-fs").Descendants("op").ToDictionary(o => o.Attribute("name")!.Value);

        var monitor = operations["monitor"];
        Assert.Equal(("10s", "40s"), (monitor.Attribute("interval")!.Value, monitor.Attribute("timeout")!.Value));
        Assert.Equal(["OCF_CHECK_LEVEL=20"], Pairs(monitor.Element("instance_attributes")!));
        Assert.Equal("60s", operations["start"].Attribute("timeout")!.Value);
        Assert.Equal("60s", operations["stop"].Attribute("timeout")!.Value);
    }

    [Fact]
    public void WithoutOptions_TheResourceHasNone_AndTheSettingsStepWantsExactlyThree()
    {
        var plan = Build(Spec(Volume with { Options = null }));

        Assert.DoesNotContain(Written(plan, "cluster-fs").Descendants("nvpair"), n => n.Attribute("name")!.Value == "options");
        var settings = (EditCib)plan.Steps.Single(s => s.Id == "cib-cluster-fs-settings").Action;
        Assert.Equal(CibSubjectKind.StorageSettings, settings.Subject.Kind);
        Assert.Contains("count(instance_attributes/nvpair)=3", settings.CheckXPath);
    }

    [Theory]
    [InlineData("ctdb", ResourceIds.CtdbClone)]
    [InlineData("samba", "smbd-clone")]
    [InlineData("ganesha", ResourceIds.GaneshaClone)]
    public void EveryService_StartsAfterTheMount_AndRunsOnlyWhereItIsMounted(string name, string clone)
    {
        var plan = Build(Spec());

        var order = Written(plan, $"storage-then-{name}");
        Assert.Equal((ResourceIds.StorageClone, clone), (order.Attribute("first")!.Value, order.Attribute("then")!.Value));
        var together = Written(plan, $"{name}-with-storage");
        Assert.Equal((clone, ResourceIds.StorageClone, "INFINITY"),
            (together.Attribute("rsc")!.Value, together.Attribute("with-rsc")!.Value, together.Attribute("score")!.Value));
    }

    [Fact]
    public void AClusterInADomain_RunsWinbindOnlyWhereTheFilesystemIsMounted_AfterIt()
    {
        var spec = Spec() with { Identity = new() { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = new() { Realm = "LAB.TEST", Workgroup = "LAB" } } };

        var plan = Build(spec);

        Assert.Equal(ResourceIds.WinbindClone, Written(plan, "storage-then-winbind").Attribute("then")!.Value);
        Assert.Equal(ResourceIds.WinbindClone, Written(plan, "winbind-with-storage").Attribute("rsc")!.Value);
    }

    [Fact]
    public void TheMountComesFirst_InABatchOfItsOwn_CheckedOnEveryNode_ThenTheSharedStateIsMadeOnIt_ThenTheServices()
    {
        var plan = Build(Spec());
        var ids = Ids(plan);

        string[] inOrder = ["storage-mount-point", "start-cluster", "quorum", "cib-fetch-storage", "cib-properties", "cib-cluster-fs",
            "cib-cluster-fs-settings", "cib-push-storage", StoragePlan.CheckStepId, "shared-state", "cib-fetch", "cib-ctdb", "cib-push"];
        Assert.Equal(inOrder, ids.Where(inOrder.Contains));
        Assert.Equal(ids.IndexOf("cib-push-storage") + 1, ids.IndexOf(StoragePlan.CheckStepId));
        var check = plan.Steps.Single(s => s.Id == StoragePlan.CheckStepId);
        Assert.Equal(StepTarget.AllNodes, check.Target);
        Assert.Equal(new CheckMounted("/srv", 120), check.Action);
        var mountPoint = plan.Steps.Single(s => s.Id == "storage-mount-point");
        Assert.Equal(StepTarget.AllNodes, mountPoint.Target);
        Assert.Equal(["mkdir", "-p", "/srv"], mountPoint.Argv);
    }

    [Fact]
    public void MountedByTheServers_IsCheckedOnEveryNode_BeforeAnythingIsWrittenOrStarted_AndTheClusterMountsNothing()
    {
        var plan = Build(Spec(new StorageSpec { MountPoint = "/srv" }));
        var ids = Ids(plan);

        Assert.Equal(ids.IndexOf("software") + 1, ids.IndexOf(StoragePlan.CheckStepId));
        Assert.True(ids.IndexOf(StoragePlan.CheckStepId) < ids.IndexOf("shared-state"));
        Assert.True(ids.IndexOf(StoragePlan.CheckStepId) < ids.IndexOf("start-cluster"));
        var check = plan.Steps.Single(s => s.Id == StoragePlan.CheckStepId);
        Assert.Equal(StepTarget.AllNodes, check.Target);
        Assert.Equal(new CheckMounted("/srv", 0), check.Action);
        Assert.Null(check.Check);
        Assert.Equal(NodeCommands.StorageMounted("/srv", 0), check.Argv);
        Assert.DoesNotContain(plan.CibEdits, e => e.Written?.ToString().Contains("Filesystem", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(ids, id => id is "cib-fetch-storage" or "storage-mount-point");
    }

    [Fact]
    public void WithoutStorage_ThePlanHasNoStorageStep_AndOneBatch()
    {
        var plan = Build(SpecExamples.ThreeNodes());

        Assert.DoesNotContain(plan.Steps, s => s.Action is CheckMounted || s.Id.Contains("storage", StringComparison.Ordinal));
        Assert.Single(plan.Steps, s => s.Action is FetchCib);
    }

    [Fact]
    public void TheSoftwareCheck_AsksForFindmnt_AndForModprobeWhenTheClusterMounts()
    {
        var byCluster = Build(Spec()).Steps.Single(s => s.Id == "software").Argv;
        var byServers = Build(Spec(new StorageSpec { MountPoint = "/srv" })).Steps.Single(s => s.Id == "software").Argv;

        Assert.Contains("findmnt", byCluster);
        Assert.Contains("modprobe", byCluster);
        Assert.Contains("findmnt", byServers);
        Assert.DoesNotContain("modprobe", byServers);
    }

    [Fact]
    public void ANodeWithoutTheFilesystemsClient_IsABlocker_NamingTheNodeThePackagesAndTheCommand()
    {
        var spec = Spec();
        var facts = SpecExamples.FactsFor(spec).ToDictionary(f => f.Key, f => f.Key != "node2" ? f.Value
            : f.Value with { Packages = [.. f.Value.Packages.Where(p => p.Name is not ("glusterfs-client" or "kmod"))] });

        var plan = Build(spec, facts);

        var blocker = Assert.Single(plan.Blockers);
        Assert.StartsWith("node2 lacks glusterfs-client, kmod", blocker, StringComparison.Ordinal);
        Assert.Contains("apt-get install", blocker, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRedHat_TheGlusterClientIsGlusterfsFuse()
    {
        var kind = ClusterFilesystems.Of(ClusterFilesystem.GlusterFs);

        Assert.Equal(["glusterfs-fuse", "kmod"], ClusterPackages.RedHat.Storage(kind));
        Assert.Equal(["glusterfs-client", "kmod"], ClusterPackages.Debian.Storage(kind));
        Assert.Contains("glusterfs-fuse", NodePackages.Names);
        Assert.Contains("nfs-utils", NodePackages.Names);
    }

    [Fact]
    public void Gfs2MountedByTheCluster_IsABlocker_SayingWhatItNeeds()
    {
        var plan = Build(Spec(Volume with { Type = ClusterFilesystem.Gfs2, Device = "/dev/vg_cluster/lv_data", Options = null }));

        var blocker = Assert.Single(plan.Blockers);
        Assert.Contains("GFS2 mounted by the cluster is not supported by the console yet", blocker, StringComparison.Ordinal);
        Assert.Contains("DLM", blocker, StringComparison.Ordinal);
        Assert.Contains("fencing", blocker, StringComparison.Ordinal);
    }

    [Fact]
    public void SharesAndExportsOutsideTheFilesystem_AreWarnedAboutByName_OnTheirOwnDisksOnEveryNode()
    {
        var spec = Spec(Volume with { MountPoint = "/srv/cluster" }) with
        {
            SharedState = new() { RecoveryLock = "/srv/cluster/state/ctdb/reclock", GaneshaState = "/srv/cluster/state/ganesha" },
            Shares = [new() { Name = "data", Path = "/srv/data" }, new() { Name = "team", Path = "/srv/cluster/team" }],
            Exports = [new() { Path = "/srv/data" }, new() { Path = "/srv/cluster/team" }],
        };

        var warnings = Build(spec).Warnings.Where(w => w.Contains("outside the cluster filesystem", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Share data serves /srv/data, outside the cluster filesystem at /srv/cluster", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("Export /srv/data lies outside the cluster filesystem at /srv/cluster", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Teardown_StopsTheServicesThenUnmounts_RemovesTheClone_AndSaysTheVolumesDataStays()
    {
        var spec = Spec();
        var plan = LifecyclePlans.Teardown(spec, SpecExamples.FactsFor(spec));

        var stop = plan.Steps.Single(s => s.Id == "stop-resources");
        Assert.Equal(ResourceIds.StorageClone, stop.Argv[^2]);
        Assert.Contains("then unmount the cluster filesystem from /srv on every node (the volume and its data stay as they are)", stop.Description, StringComparison.Ordinal);
        var remove = plan.Steps.Single(s => s.Id == $"cib-remove-{ResourceIds.StorageClone}");
        Assert.Contains("its data stays on the volume", remove.Description, StringComparison.Ordinal);
        Assert.Contains(plan.Steps, s => s.Id == "cib-remove-constraint-order-storage-then-ctdb");
        Assert.Contains(plan.Warnings, w => w.Contains("the volume with all its data is left as it is", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Steps.SelectMany(s => s.Argv), a => a is "umount" or "-rf");
    }

    [Fact]
    public void NodesThatMountTheSameDevice_Agree_AndOneThatMountsAnother_IsNamedWithWhatItMounts()
    {
        var check = new CheckMounted("/srv", 0);
        (string, string)[] same = [("node1", "localhost:/vol fuse.glusterfs\n"), ("node2", "localhost:/vol fuse.glusterfs")];
        (string, string)[] other = [("node1", "localhost:/vol fuse.glusterfs"), ("node2", "localhost:/vol fuse.glusterfs"), ("node3", "node1:/vol fuse.glusterfs")];

        Assert.Null(check.Disagreement(same));
        var why = check.Disagreement(other);
        Assert.NotNull(why);
        Assert.Contains("node1, node2 mount localhost:/vol (fuse.glusterfs); node3 mounts node1:/vol (fuse.glusterfs)", why, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatANodeMounted_IsReadFromFindmntsRawLine_WithItsEscapesUndone()
    {
        Assert.Equal(new MountedFilesystem("/dev/sda1[/srv/my share]", "ext4"), MountedFilesystem.Parse("/dev/sda1[/srv/my\\x20share] ext4\n"));
        Assert.Equal(new MountedFilesystem("", ""), MountedFilesystem.Parse(""));
    }
}
