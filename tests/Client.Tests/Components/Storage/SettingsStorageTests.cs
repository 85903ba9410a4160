using Bunit;
using MudBlazor;
using StorageHa.Client.Components.ClusterTabs;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Components.Storage;
using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Storage;

/// <summary>
/// The Settings tab's Storage section, the wizard's own editor: each choice shows its fields, the filesystems on paper say
/// so with what they need, every error (the spec's rules here, the server's refusal) shows under its field, and saving
/// stores the typed storage.
/// </summary>
public sealed class SettingsStorageTests : ProvisioningTest
{
    private IRenderedComponent<SettingsTab> OpenSettings()
    {
        var tab = RenderPage<SettingsTab>(p => p.Add(x => x.ClusterId, Lab).Add(x => x.ClusterName, "lab"));
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find(".settings-storage")), Patience);
        return tab;
    }

    private static string Under(IRenderedComponent<SettingsTab> tab, string label) =>
        string.Concat(FieldOn<MudTextField<string>, SettingsTab>(tab, label).FindAll(".mud-input-helper-text").Select(e => e.TextContent));

    private static bool Shows(IRenderedComponent<SettingsTab> tab, string label) =>
        tab.FindComponents<MudTextField<string>>().Any(f => f.Instance.Label == label);

    [Fact]
    public void TheSection_IsTheWizardsStorageEditor_AndAClusterWithoutStorageShowsNotDeclared()
    {
        var tab = OpenSettings();

        Assert.Single(tab.FindComponents<StorageEditor>());
        Assert.Equal("NotDeclared", tab.Find(".storage-choice").GetAttribute("data-choice"));
        Assert.False(Shows(tab, "Mount point"));
        Assert.True(Shows(tab, "CTDB recovery lock"));
        Assert.True(Shows(tab, "NFS-Ganesha state directory"));
    }

    [Fact]
    public void MountedByTheServers_AsksTheMountPoint_AndSaysWhatIsCheckedOnEveryNode()
    {
        var tab = OpenSettings();

        ChooseRadio(tab, StorageChoice.ByServers);

        tab.WaitForAssertion(() => Assert.True(Shows(tab, "Mount point")), Patience);
        Assert.Contains("mounted, the same filesystem and device string on every node, and writable", tab.Find(".storage-servers-checked").TextContent);
        Assert.False(Shows(tab, "Device"));
        Assert.False(Shows(tab, "Mount options"));
        Assert.Empty(tab.FindComponents<MudRadio<ClusterFilesystem>>());
    }

    [Fact]
    public void MountedByTheCluster_AsksTypeDeviceOptionsAndMountPoint_WithGlusterFsProvenAndItsPackages()
    {
        var tab = OpenSettings();

        ChooseRadio(tab, StorageChoice.ByCluster);

        tab.WaitForAssertion(() => Assert.Equal("GlusterFs", tab.Find(".storage-type-choice").GetAttribute("data-type")), Patience);
        Assert.True(Shows(tab, "Mount point") && Shows(tab, "Device") && Shows(tab, "Mount options"));
        Assert.Equal("localhost:/volume", FieldOn<MudTextField<string>, SettingsTab>(tab, "Device").Instance.Placeholder);
        var facts = tab.Find(".storage-filesystem-facts").TextContent;
        Assert.DoesNotContain(StorageText.OnPaper, facts);
        Assert.Contains("Every node needs the packages: glusterfs-client, kmod.", facts);
        Assert.Contains("GlusterFS (proven in the lab's tests)", tab.Find(".storage-type-choice").TextContent);
    }

    [Theory]
    [InlineData(ClusterFilesystem.CephFs, "CephFS", "mon1,mon2,mon3:/path", "ceph-common")]
    [InlineData(ClusterFilesystem.Nfs, "NFS", "nas.example.com:/export", "nfs-common")]
    [InlineData(ClusterFilesystem.Gfs2, "GFS2", "/dev/vg_cluster/lv_data", "dlm-controld")]
    public void AFilesystemOnPaper_SaysSo_WithWhatItNeeds_ItsDeviceExampleAndPackages(ClusterFilesystem type, string name, string example, string package)
    {
        var tab = OpenSettings();
        ChooseRadio(tab, StorageChoice.ByCluster);

        ChooseRadio(tab, type);

        tab.WaitForAssertion(() => Assert.Equal(type.ToString(), tab.Find(".storage-type-choice").GetAttribute("data-type")), Patience);
        var facts = tab.Find(".storage-filesystem-facts").TextContent;
        Assert.Contains($"{name} is supported on paper, untested here.", facts);
        Assert.Contains(ClusterFilesystems.Of(type).Needs, facts);
        Assert.Contains(package, facts);
        Assert.Equal(example, FieldOn<MudTextField<string>, SettingsTab>(tab, "Device").Instance.Placeholder);
        Assert.Contains($"{name} (on paper, untested here)", tab.Find(".storage-type-choice").TextContent);
    }

    [Fact]
    public void ABadDeviceAndOptions_AreShownUnderTheirFields_AsTyped_AndNothingIsStored()
    {
        var before = Inventory.Settings[Lab];
        var tab = OpenSettings();
        ChooseRadio(tab, StorageChoice.ByCluster);
        TypeOn(tab, "Mount point", "/srv/state");
        TypeOn(tab, "Device", "localhost-vol");
        TypeOn(tab, "Mount options", "noatime;reboot");

        tab.WaitForAssertion(() => Assert.Contains("must be SERVER:/PATH (e.g. localhost:/volume)", Under(tab, "Device")), Patience);
        Assert.Contains("are not mount options", Under(tab, "Mount options"));
        Click(tab, "Save settings");

        Assert.Contains("must be SERVER:/PATH", Under(tab, "Device"));
        Assert.Same(before, Inventory.Settings[Lab]);
    }

    [Fact]
    public void TheServersRefusal_IsShownUnderTheFieldsItNames()
    {
        Inventory.RefuseSettings =
        [
            new("storage.mountPoint", "is not a directory on node2"),
            new("storage.device", "is not the device mounted on node3"),
            new("sharedState.recoveryLock", "is not writable"),
        ];
        var before = Inventory.Settings[Lab];
        var tab = OpenSettings();
        ChooseRadio(tab, StorageChoice.ByCluster);
        TypeOn(tab, "Mount point", "/srv/state");
        TypeOn(tab, "Device", "localhost:/vol");

        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Contains("is not a directory on node2", Under(tab, "Mount point")), Patience);
        Assert.Contains("is not the device mounted on node3", Under(tab, "Device"));
        Assert.Contains("is not writable", Under(tab, "CTDB recovery lock"));
        Assert.Same(before, Inventory.Settings[Lab]);
    }

    [Fact]
    public void Saving_StoresTheTypedStorage_WithTheSharedStateMovedOntoIt()
    {
        var tab = OpenSettings();
        ChooseRadio(tab, StorageChoice.ByCluster);
        TypeOn(tab, "Mount point", "/srv/cluster");
        TypeOn(tab, "Device", "localhost:/vol");
        TypeOn(tab, "Mount options", "backup-volfile-servers=node2:node3");
        tab.WaitForAssertion(() => Assert.Contains("/srv/cluster/ctdb/reclock and /srv/cluster/ganesha", tab.Find(".storage-move-state").TextContent), Patience);

        tab.Find(".storage-move-state-button").Click();
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.NotNull(Inventory.Settings[Lab].Storage), Patience);
        Assert.Equal(new StorageSpec
        {
            Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster", Type = ClusterFilesystem.GlusterFs,
            Device = "localhost:/vol", Options = "backup-volfile-servers=node2:node3",
        }, Inventory.Settings[Lab].Storage);
        Assert.Equal(new SharedStateSpec { RecoveryLock = "/srv/cluster/ctdb/reclock", GaneshaState = "/srv/cluster/ganesha" }, Inventory.Settings[Lab].SharedState);
        Assert.Empty(tab.FindAll(".storage-move-state"));
    }

    [Fact]
    public void SavingOtherSettings_KeepsTheStorage()
    {
        var storage = new StorageSpec { MountPoint = "/srv" };
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { Storage = storage };
        var tab = OpenSettings();
        Assert.Equal("ByServers", tab.Find(".storage-choice").GetAttribute("data-choice"));

        TypeOn(tab, "VIP network interface", "eth1");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Equal("eth1", Inventory.Settings[Lab].Nic), Patience);
        Assert.Equal(storage, Inventory.Settings[Lab].Storage);
    }

    [Fact]
    public void ThePlanPage_SaysWhichStorageThePlanIsBuiltOn()
    {
        var storage = new StorageSpec { MountPoint = "/srv" };
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { Storage = storage };

        var page = RenderPage<ClusterPlan>(p => p.Add(x => x.Id, Lab));

        page.WaitForAssertion(() => Assert.Equal(StorageText.Line(storage), page.Find(".plan-storage").TextContent.Trim()), Patience);
    }
}
