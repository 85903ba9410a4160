using Bunit;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// The dashboard's storage card: the cluster filesystem on each node and, for GlusterFS, the volume's bricks and heals,
/// coloured by what is wrong and saying it in words; it follows the checks the console makes while the page is open.
/// </summary>
public sealed class DashboardStorageTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    private static NodeStorageHealth Good(string node) => new(node)
    {
        Mount = new("localhost:/vol", "/srv/data", "fuse.glusterfs"), SizeBytes = 10L << 30, FreeBytes = 5L << 30,
        Inodes = 655360, FreeInodes = 654000, Writable = true,
    };

    private static GlusterBrick Brick(string host, bool online = true, int? heals = 0) =>
        new($"{host}:/srv/brick/vol", online, online ? null : "absent from the volume's status: glusterd on " + host + " does not answer", heals);

    private static StorageHealthReport Report(DateTimeOffset at, GlusterVolumeHealth? volume, params NodeStorageHealth[] nodes) =>
        new(at, "/srv/data", StorageMounting.ByCluster, "glusterfs", nodes, volume);

    private static readonly StorageHealthReport Degraded = Report(T0,
        new GlusterVolumeHealth("vol", "node1", "Started", "Replicate", [Brick("node1", heals: 3), Brick("node2", heals: 3), Brick("node3", online: false, heals: null)]),
        Good("node1"), Good("node2"),
        new NodeStorageHealth("node3") { MountProblem = "nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here" });

    private IRenderedComponent<DashboardCluster> Dashboard(StorageHealthReport? storage)
    {
        States.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")) with { Storage = storage });
        return RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
    }

    [Fact]
    public void ADeadBrickAndALostMount_ShowAsAnError_WithEachReasonInWords()
    {
        var page = Dashboard(Degraded);

        page.WaitForAssertion(() => Assert.Equal("error", page.Find(".storage-card").GetAttribute("data-level")), Patience);
        Assert.Equal("failing", page.Find(".storage-level").TextContent.Trim());
        Assert.Contains("glusterfs, mounted by the cluster", page.Find(".storage-kind").TextContent);
        Assert.Equal(
            ["node3: not mounted (nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here)",
             "volume vol: 1 of 3 bricks offline (node3:/srv/brick/vol: absent from the volume's status: glusterd on node3 does not answer), 6 entries waiting to heal"],
            page.FindAll(".storage-reason").Select(r => r.TextContent.Trim()));
        Assert.Contains("mud-alert-text-error", page.Find(".storage-reasons").ClassName);
        Assert.Equal("no: nothing is mounted at /srv/data: Pacemaker's Filesystem resource does not run here", page.Find("[data-node=node3] .storage-mounted").TextContent.Trim());
        Assert.Equal("localhost:/vol", page.Find(".storage-node[data-node=node1] .storage-mounted").TextContent.Trim());
        Assert.Equal("5 GiB of 10 GiB", page.Find(".storage-node[data-node=node1] .storage-space").TextContent.Trim());
        Assert.Equal("654,000 of 655,360", page.Find(".storage-node[data-node=node1] .storage-inodes").TextContent.Trim());
        Assert.Equal("yes", page.Find(".storage-node[data-node=node1] .storage-writable").TextContent.Trim());
        Assert.Equal(["yes", "yes", "no"], page.FindAll(".brick").Select(b => b.GetAttribute("data-online")));
        Assert.Contains("node3:/srv/brick/vol offline", page.Find(".brick[data-online=no]").TextContent);
        Assert.Equal("1 of 3 bricks offline", page.Find(".volume-level").TextContent.Trim());
        Assert.Equal("6 entries waiting to heal", page.Find(".pending-heals").TextContent.Trim());
    }

    [Fact]
    public void TheNextCheck_BringsTheBrickBack_AndTheTimelineTellsItWithItsTime()
    {
        var page = Dashboard(Degraded);
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".brick[data-online=no]")), Patience);
        var healthy = Report(T0.AddSeconds(3), new GlusterVolumeHealth("vol", "node1", "Started", "Replicate", [Brick("node1"), Brick("node2"), Brick("node3")]),
            Good("node1"), Good("node2"), Good("node3"));

        States.Publish(DashboardStates.Change(1, 1, null, [.. StorageDiff.Between(Degraded, healthy)]) with { Storage = healthy });

        page.WaitForAssertion(() => Assert.Equal("healthy", page.Find(".storage-level").TextContent.Trim()), Patience);
        Assert.Empty(page.FindAll(".storage-reasons"));
        Assert.Equal("Nothing waiting to heal", page.Find(".pending-heals").TextContent.Trim());
        var events = page.FindAll(".events tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Contains(events, e => e.StartsWith("2026-12-06 14:00:03 UTC", StringComparison.Ordinal) && e.EndsWith("Brick node3:/srv/brick/vol of volume vol is online again", StringComparison.Ordinal));
        Assert.Contains(events, e => e.EndsWith("node3 has the storage at /srv/data mounted and writable again", StringComparison.Ordinal));
        Assert.Contains(events, e => e.EndsWith("Storage at /srv/data is healthy again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePage_WatchesTheStorageWhileOpen_AndNoLonger()
    {
        var page = Dashboard(null);

        page.WaitForAssertion(() => Assert.Equal(1, StorageHealth.Watching), Patience);
        Assert.Empty(page.FindAll(".storage-card"));
        await Ctx.DisposeComponentsAsync();
        Assert.Equal(0, StorageHealth.Watching);
    }

    [Fact]
    public void TheCard_OfStorageTheServersMount_WithoutGluster_ShowsTheNodesOnly()
    {
        var card = Ctx.Render<StorageCard>(p => p.Add(x => x.Report,
            new StorageHealthReport(T0, "/srv/data", StorageMounting.ByServers, null, [Good("node1") with { Mount = new("nas:/export", "/srv/data", "nfs4") }], null)));

        Assert.Equal("healthy", card.Find(".storage-card").GetAttribute("data-level"));
        Assert.Contains("nfs4, mounted by the servers", card.Find(".storage-kind").TextContent);
        Assert.Empty(card.FindAll(".gluster-volume"));
    }
}
