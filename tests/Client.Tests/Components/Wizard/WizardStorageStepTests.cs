using Bunit;
using MudBlazor;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Components.Storage;
using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Wizard;

/// <summary>
/// The Storage step, before Services and the review: the cluster filesystem (not declared by default, today's behaviour)
/// and the shared state on it, in the Settings tab's own editor; its errors under their fields; its choice in the review.
/// </summary>
public sealed class WizardStorageStepTests : WizardTest
{
    /// <summary>A draft with its nodes, a VIP, a share and an export on /srv/cluster-state and no fencing acknowledged: only the storage is missing.</summary>
    private async Task<IRenderedComponent<NewClusterWizard>> AtStorageAsync(ClusterPurpose purpose = ClusterPurpose.Both)
    {
        AddCluster(purpose);
        await AddReadyNodesAsync(3);
        await Inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = ClusterId, Address = "192.0.2.101", Prefix = 24 });
        await Inventory.AddShareAsync(new Share { ClusterId = ClusterId, Name = "data", Path = "/srv/cluster-state/data" });
        await Inventory.AddExportAsync(new Export { ClusterId = ClusterId, Path = "/srv/cluster-state/data", Clients = "192.0.2.0/24" });
        Inventory.Settings[ClusterId] = new ClusterSettings { Fencing = new FencingSpec { NoFencingAcknowledged = true } };
        var page = RenderWizard();
        WaitForStep(page, "Storage");
        return page;
    }

    private static string Under(IRenderedComponent<NewClusterWizard> page, string field) =>
        string.Concat(page.Find($".{field}").QuerySelectorAll(".mud-input-helper-text").Select(e => e.TextContent));

    /// <summary>Services and Identity as the draft has them, to the review.</summary>
    private static void OnToReview(IRenderedComponent<NewClusterWizard> page)
    {
        WaitForStep(page, "Services");
        Next(page);
        WaitForStep(page, "Identity");
        Next(page);
        WaitForStep(page, "Review");
    }

    [Fact]
    public async Task TheStep_IsTheSettingsTabsStorageEditor_NotDeclaredByDefault_AndNextKeepsTodaysBehaviour()
    {
        var page = await AtStorageAsync();

        Assert.Single(page.FindComponents<StorageEditor>());
        Assert.Equal("NotDeclared", page.Find(".storage-choice").GetAttribute("data-choice"));
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");
        Next(page);

        WaitForStep(page, "Services");
        Assert.Null(Inventory.Settings[ClusterId].Storage);
    }

    [Fact]
    public async Task TheRecoveryLockTyped_ShowsAtOnceWhereItLandsOnEachNode()
    {
        var page = await AtStorageAsync(ClusterPurpose.Smb);
        Assert.Empty(page.FindAll(".wizard-state-places tbody tr"));

        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".wizard-state-places tbody tr").Count), Patience);
    }

    [Fact]
    public async Task MountedByTheCluster_WithABadDevice_ShowsItUnderTheDevice_BlocksNext_AndStoresNothing()
    {
        var page = await AtStorageAsync();
        var before = Inventory.Settings[ClusterId];
        ChooseRadio(page, StorageChoice.ByCluster);
        Enter(page, ".storage-mount-point input", "/srv/cluster-state");
        Enter(page, ".storage-device input", "/srv/vol");
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");

        page.WaitForAssertion(() => Assert.Contains("must be SERVER:/PATH (e.g. localhost:/volume)", Under(page, "storage-device")), Patience);
        Next(page);

        Assert.Contains("storage.device: '/srv/vol' must be SERVER:/PATH", Blocked(page));
        Assert.Equal("Storage", ActiveStep(page));
        Assert.Same(before, Inventory.Settings[ClusterId]);
    }

    [Fact]
    public async Task SharedStateOffTheMountPoint_IsShownUnderItsField_AndPutUnderTheMountPointOnRequest()
    {
        var page = await AtStorageAsync();
        ChooseRadio(page, StorageChoice.ByServers);
        Enter(page, ".storage-mount-point input", "/srv/cluster-state");
        Enter(page, ".state-recovery-lock input", "/var/lib/ctdb/reclock");

        page.WaitForAssertion(() => Assert.Contains("must lie on the cluster filesystem at /srv/cluster-state", Under(page, "state-recovery-lock")), Patience);
        Assert.Contains("/srv/cluster-state/ctdb/reclock and /srv/cluster-state/ganesha", page.Find(".storage-move-state").TextContent);
        page.Find(".storage-move-state-button").Click();

        page.WaitForAssertion(() => Assert.Equal("/srv/cluster-state/ctdb/reclock", page.Find(".state-recovery-lock input").GetAttribute("value")), Patience);
        Assert.Equal("/srv/cluster-state/ganesha", page.Find(".state-ganesha-state input").GetAttribute("value"));
        Assert.DoesNotContain("must lie on", Under(page, "state-recovery-lock"));
    }

    [Fact]
    public async Task MountedByTheCluster_IsStoredTyped_AndTheReviewSaysSo()
    {
        var page = await AtStorageAsync();
        ChooseRadio(page, StorageChoice.ByCluster);
        Enter(page, ".storage-mount-point input", "/srv/cluster-state");
        Enter(page, ".storage-device input", "localhost:/vol");
        Enter(page, ".storage-options input", "backup-volfile-servers=node2:node3");
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");
        Next(page);

        WaitForStep(page, "Services");
        var storage = new StorageSpec
        {
            Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster-state", Type = ClusterFilesystem.GlusterFs,
            Device = "localhost:/vol", Options = "backup-volfile-servers=node2:node3",
        };
        Assert.Equal(storage, Inventory.Settings[ClusterId].Storage);

        OnToReview(page);
        Assert.Contains(StorageText.Line(storage), page.Find(".wizard-summary").TextContent);
    }

    [Fact]
    public async Task TheServersRefusal_IsShownUnderTheFieldItNames_AndBlocksNext()
    {
        var page = await AtStorageAsync();
        var before = Inventory.Settings[ClusterId];
        Inventory.RefuseSettings = [new("storage.mountPoint", "is not mounted on node2")];
        ChooseRadio(page, StorageChoice.ByServers);
        Enter(page, ".storage-mount-point input", "/srv/cluster-state");
        page.WaitForAssertion(() => page.Find(".storage-move-state-button").Click(), Patience);

        Next(page);

        Assert.Contains("storage.mountPoint: is not mounted on node2", Blocked(page));
        page.WaitForAssertion(() => Assert.Contains("is not mounted on node2", Under(page, "storage-mount-point")), Patience);
        Assert.Equal("Storage", ActiveStep(page));
        Assert.Same(before, Inventory.Settings[ClusterId]);
    }

    [Fact]
    public async Task AnNfsOnlyCluster_IsAskedOnlyForGaneshasState()
    {
        var page = await AtStorageAsync(ClusterPurpose.Nfs);

        Assert.Empty(page.FindAll(".state-recovery-lock"));
        Assert.Single(page.FindAll(".state-ganesha-state"));
        ChooseRadio(page, StorageChoice.ByServers);
        Enter(page, ".storage-mount-point input", "/srv/cluster-state");

        page.WaitForAssertion(() => Assert.Contains("(/srv/cluster-state/ganesha)", page.Find(".storage-move-state").TextContent), Patience);
    }
}
