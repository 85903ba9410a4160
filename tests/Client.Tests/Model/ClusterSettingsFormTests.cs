using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Model;

/// <summary>The settings tab's form: settings in, "name=value" lines to edit, settings out, and each refusal under its field.</summary>
public sealed class ClusterSettingsFormTests
{
    private static readonly ClusterSettings Settings = new()
    {
        Nic = "eth1",
        Corosync = new CorosyncSpec { TokenMs = 3000 },
        SharedState = new SharedStateSpec { RecoveryLock = "/srv/state/reclock", GaneshaState = "/srv/state/ganesha" },
        NetBios = true,
        CtdbTunables = new Dictionary<string, int> { ["KeepaliveInterval"] = 1, ["ElectionTimeout"] = 3 },
        Fencing = new FencingSpec
        {
            Devices = [new FenceDeviceSpec { Name = "ipmi1", Agent = "fence_ipmilan", Options = new Dictionary<string, string> { ["lanplus"] = "1", ["ip"] = "10.0.0.5" }, Nodes = ["node1"] }],
        },
    };

    [Fact]
    public void Settings_ReadIntoTheForm_AsSortedLines_AndBuildBackUnchanged()
    {
        var form = ClusterSettingsForm.From(Settings);

        Assert.Equal("ElectionTimeout=3\nKeepaliveInterval=1", form.Tunables);
        Assert.Equal("ip=10.0.0.5\nlanplus=1", Assert.Single(form.Devices).Options);
        var built = form.Build();
        Assert.False(form.HasErrors);
        Assert.Equal(Settings.Nic, built.Nic);
        Assert.Equal(Settings.Corosync, built.Corosync);
        Assert.Equal(Settings.SharedState, built.SharedState);
        Assert.True(built.NetBios);
        Assert.Equal(Settings.CtdbTunables.OrderBy(t => t.Key), built.CtdbTunables.OrderBy(t => t.Key));
        var device = Assert.Single(built.Fencing.Devices);
        Assert.Equal(("ipmi1", "fence_ipmilan"), (device.Name, device.Agent));
        Assert.Equal(["node1"], device.Nodes);
        Assert.Equal(Settings.Fencing.Devices[0].Options.OrderBy(o => o.Key), device.Options.OrderBy(o => o.Key));
    }

    [Fact]
    public void BlankFields_BuildNothing_AndTextIsTrimmed()
    {
        var form = new ClusterSettingsForm { Nic = "  ", Tunables = "\n  \n" };
        (form.Storage.RecoveryLock, form.Storage.GaneshaState) = ("", " ");
        var built = form.Build();
        Assert.Null(built.Nic);
        Assert.Null(built.SharedState);
        Assert.Empty(built.CtdbTunables);

        form.Storage.RecoveryLock = " /srv/state/reclock ";
        Assert.Equal(new SharedStateSpec { RecoveryLock = "/srv/state/reclock" }, form.Build().SharedState);
    }

    [Fact]
    public void LinesThatDoNotParse_AreLeftOut_AndReportedUnderTheirList()
    {
        var notANumber = new ClusterSettingsForm { Tunables = "KeepaliveInterval=1\nElectionTimeout=soon" };
        var notAPair = new ClusterSettingsForm { Tunables = "nonsense\nKeepaliveInterval=1" };

        Assert.Equal(new Dictionary<string, int> { ["KeepaliveInterval"] = 1 }, notANumber.Build().CtdbTunables);
        Assert.Equal(new Dictionary<string, int> { ["KeepaliveInterval"] = 1 }, notAPair.Build().CtdbTunables);
        Assert.Equal("ElectionTimeout: 'soon' is not a whole number", notANumber.Errors.Message("ctdbTunables"));
        Assert.Equal("'nonsense' is not name=value", notAPair.Errors.Message("ctdbTunables"));
        Assert.True(notANumber.HasErrors);
    }

    [Fact]
    public void AFenceDeviceOptionWithoutEquals_IsReportedUnderThatDevicesOptions()
    {
        var form = ClusterSettingsForm.From(Settings);
        form.Devices[0].Options = "=1\nip=10.0.0.5";

        var built = form.Build();

        Assert.Equal("'=1' is not name=value", form.Devices[0].Errors.Message("options"));
        Assert.False(form.Errors.Any);
        Assert.True(form.HasErrors);
        Assert.Equal(["ip"], built.Fencing.Devices[0].Options.Keys);
    }

    [Fact]
    public void ServerRefusals_AreFiledUnderTheFieldOrDeviceTheyName()
    {
        var form = ClusterSettingsForm.From(Settings with { Fencing = Settings.Fencing with { Devices = [.. Settings.Fencing.Devices, Settings.Fencing.Devices[0] with { Name = "ipmi2" }] } });

        form.Show(
        [
            new ValidationError("fencing.devices[1].agent", "is not a fence agent"),
            new ValidationError("fencing.devices[0].options.ip", "is not an address"),
            new ValidationError("ctdbTunables.Bogus", "is not a CTDB tunable"),
            new ValidationError("tokenMs", "must be at least 1000"),
            new ValidationError("name", "is taken"), // not a field the tab shows
        ]);

        Assert.Equal("is not a fence agent", form.Devices[1].Errors.Message("agent"));
        Assert.Equal("ip: is not an address", form.Devices[0].Errors.Message("options"));
        Assert.Equal("Bogus: is not a CTDB tunable", form.Errors.Message("ctdbTunables"));
        Assert.Equal("must be at least 1000", form.Errors.Message("tokenMs"));
        Assert.Equal(["is taken"], form.Errors.General);

        form.ClearErrors();
        Assert.False(form.HasErrors);
    }

    [Fact]
    public void ARefusalForADeviceTheFormDoesNotHave_IsStillShown()
    {
        var form = new ClusterSettingsForm();
        form.Show([new ValidationError("fencing.devices[3].agent", "is not a fence agent")]);
        Assert.Equal(["is not a fence agent"], form.Errors.General);
    }
}
