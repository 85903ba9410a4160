using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Model;

/// <summary>
/// The storage form of the wizard's Storage step and the Settings tab: the three choices in and out, checked by the spec's
/// own rules (StorageSpec.Validate and the shared state's place), and the offer to put the shared state on the filesystem.
/// </summary>
public sealed class StorageFormTests
{
    private static readonly StorageSpec Gluster = new()
    {
        Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster", Type = ClusterFilesystem.GlusterFs,
        Device = "localhost:/vol", Options = "backup-volfile-servers=node2:node3",
    };

    private static readonly SharedStateSpec StateOnIt = new() { RecoveryLock = "/srv/cluster/ctdb/reclock", GaneshaState = "/srv/cluster/ganesha" };

    [Fact]
    public void EachChoice_IsReadIntoTheForm_AndBuiltBackUnchanged()
    {
        StorageSpec?[] choices = [null, new StorageSpec { MountPoint = "/srv/cluster" }, Gluster, Gluster with { Type = ClusterFilesystem.Gfs2, Device = "/dev/vg/lv", Options = null }];
        foreach (var storage in choices)
        {
            var form = StorageForm.From(storage, StateOnIt);
            Assert.Equal(storage, form.BuildStorage());
            Assert.Equal(StateOnIt, form.BuildSharedState());
        }
        Assert.Equal(StorageChoice.NotDeclared, StorageForm.From(null, null).Choice);
        Assert.Equal(StorageChoice.ByServers, StorageForm.From(choices[1], null).Choice);
        Assert.Equal(StorageChoice.ByCluster, StorageForm.From(Gluster, null).Choice);
    }

    [Fact]
    public void MountedByTheServers_KeepsNoDeviceOrOptions_SoHalfTypedOnesBlockNothing()
    {
        var form = StorageForm.From(Gluster, StateOnIt);
        form.Choice = StorageChoice.ByServers;
        form.Device = "not a device";

        Assert.Equal(new StorageSpec { Mounting = StorageMounting.ByServers, MountPoint = "/srv/cluster" }, form.BuildStorage());
        Assert.True(form.Check());
    }

    [Fact]
    public void TheSpecsOwnRules_AreFiledUnderEachField()
    {
        var form = StorageForm.From(Gluster with { MountPoint = "srv/cluster", Device = "vol", Options = "a b" }, new SharedStateSpec { RecoveryLock = "/var/lib/ctdb/reclock" });

        Assert.False(form.Check());

        var expected = (Gluster with { MountPoint = "srv/cluster", Device = "vol", Options = "a b" }).Validate().ToList();
        Assert.Equal(expected.Single(e => e.Field == "storage.mountPoint").Message, form.Errors.Message("mountPoint"));
        Assert.Equal(expected.Single(e => e.Field == "storage.device").Message, form.Errors.Message("device"));
        Assert.Equal(expected.Single(e => e.Field == "storage.options").Message, form.Errors.Message("options"));
        Assert.Empty(form.Errors.General);
    }

    [Fact]
    public void SharedStateOffTheFilesystem_IsRefusedUnderItsField_AndOfferedAPlaceUnderTheMountPoint()
    {
        var form = StorageForm.From(Gluster, new SharedStateSpec { RecoveryLock = "/var/lib/ctdb/reclock", GaneshaState = "/srv/cluster/ganesha" });

        Assert.False(form.Check());
        Assert.StartsWith("must lie on the cluster filesystem at /srv/cluster", form.Errors.Message("recoveryLock"));
        Assert.Equal(new SharedStateSpec { RecoveryLock = "/srv/cluster/ctdb/reclock" }, form.StateToMove(smb: true, nfs: true));

        form.MoveStateUnderMountPoint(smb: true, nfs: true);

        Assert.Equal(StateOnIt, form.BuildSharedState());
        Assert.True(form.Check());
        Assert.Null(form.StateToMove(smb: true, nfs: true));
    }

    [Fact]
    public void UnsetSharedState_IsOfferedOnlyForWhatTheClusterServes()
    {
        var form = StorageForm.From(Gluster with { MountPoint = "/srv/cluster/" }, null);

        Assert.Equal(new SharedStateSpec { GaneshaState = "/srv/cluster/ganesha" }, form.StateToMove(smb: false, nfs: true));
        Assert.Null(StorageForm.From(null, null).StateToMove(smb: true, nfs: true));
        Assert.Null(StorageForm.From(Gluster with { MountPoint = "relative" }, null).StateToMove(smb: true, nfs: true));
    }

    [Fact]
    public void ServerRefusals_AreFiledUnderTheirFields_AndOthersAreStillShown()
    {
        var form = StorageForm.From(Gluster, StateOnIt);

        form.Show([new("storage.mountPoint", "is not mounted on node2"), new("sharedState.ganeshaState", "is not writable"),
            new("storage.nonsense", "unknown"), new("nic", "not the storage's")]);

        Assert.Equal("is not mounted on node2", form.Errors.Message("mountPoint"));
        Assert.Equal("is not writable", form.Errors.Message("ganeshaState"));
        Assert.Equal(["unknown"], form.Errors.General);
    }

    [Fact]
    public void TheSettingsForm_CarriesTheStorage_AndFilesItsRefusalsInTheStorageForm()
    {
        var settings = new ClusterSettings { Storage = Gluster, SharedState = StateOnIt };
        var form = ClusterSettingsForm.From(settings);

        Assert.Equal(Gluster, form.Build().Storage);
        Assert.Equal(StateOnIt, form.Build().SharedState);

        form.Show([new ValidationError("storage.device", "is refused"), new ValidationError("sharedState.recoveryLock", "is refused too")]);

        Assert.Equal("is refused", form.Storage.Errors.Message("device"));
        Assert.Equal("is refused too", form.Storage.Errors.Message("recoveryLock"));
        Assert.False(form.Errors.Any);
        Assert.True(form.HasErrors);
        form.ClearErrors();
        Assert.False(form.HasErrors);
    }

    [Fact]
    public void TheStorageLine_SaysWhoMountsWhat_AndWhenAFilesystemIsOnPaper()
    {
        Assert.StartsWith("Storage: not declared (not recommended)", StorageText.Line(null));
        Assert.Equal("Storage: mounted by the servers at /srv/cluster; " + StorageText.ServersChecked + ".",
            StorageText.Line(new StorageSpec { MountPoint = "/srv/cluster" }));
        Assert.Equal("Storage: GlusterFS localhost:/vol mounted by the cluster at /srv/cluster with backup-volfile-servers=node2:node3; " +
            "CTDB, Samba and Ganesha run only where it is mounted.", StorageText.Line(Gluster));
        Assert.Contains("CephFS mon1:/ mounted by the cluster at /srv/cluster (on paper, untested here)",
            StorageText.Line(Gluster with { Type = ClusterFilesystem.CephFs, Device = "mon1:/", Options = null }));
    }
}
