using Bunit;
using StorageHa.Client.Tests.Shared;
using MudBlazor;
using MudBlazor.Extensions;
using StorageHa.Client.Components.ClusterTabs;
using StorageHa.Client.Model;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Components.ClusterTabs;

public sealed class SettingsTabTests : ProvisioningTest
{
    private IRenderedComponent<SettingsTab> OpenSettings()
    {
        var tab = RenderPage<SettingsTab>(p => p.Add(x => x.ClusterId, Lab).Add(x => x.ClusterName, "lab"));
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find(".cluster-settings")), Patience);
        return tab;
    }

    [Fact]
    public void BadValues_AreRefusedUnderTheirOwnFields_AndNothingIsStored()
    {
        var before = Inventory.Settings[Lab];
        var tab = OpenSettings();

        TypeOn(tab, "CTDB recovery lock", "srv/state/reclock");
        TypeOn(tab, "VIP network interface", "eth0; reboot");
        TypeOn(tab, "CTDB tunables", "KeepaliveInterval=1\nRecover Timeout=30\nTakeoverTimeout=soon");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Contains("must be an absolute path", UnderField(tab, "CTDB recovery lock")), Patience);
        Assert.True(HasError(tab, "VIP network interface"));
        Assert.Contains("TakeoverTimeout: 'soon' is not a whole number", UnderField(tab, "CTDB tunables"));
        Assert.False(HasError(tab, "NFS-Ganesha state directory"));
        Assert.Same(before, Inventory.Settings[Lab]);
    }

    [Fact]
    public void FenceDeviceErrors_AreShownOnTheDeviceTheyBelongTo()
    {
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with
        {
            Fencing = new FencingSpec { Devices = [new FenceDeviceSpec { Name = "ipmi1", Agent = "fence_ipmilan", Nodes = ["node1"] }] },
        };
        var tab = OpenSettings();
        // A device without its password, untested: not yet fencing that may be trusted.
        tab.WaitForAssertion(() => Assert.Single(tab.FindAll(".fence-not-proven")), Patience);

        Click(tab, "Add fence device");
        TypeOn(tab, "Device name", "ipmi1", index: 1);
        TypeOn(tab, "Fence agent", "ipmi", index: 1);
        // An agent the console has no metadata for keeps its options as lines (the first device's are fence_ipmilan's own fields).
        TypeOn(tab, "Agent options", "ip=10.0.0.22\npasswd=secret", index: 0);
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Contains("is not a fence agent name", UnderField(tab, "Fence agent", 1)), Patience);
        Assert.Contains("another fence device has this name", UnderField(tab, "Device name", 1));
        Assert.Contains("passwd: 'passwd' is a fence secret and does not belong in the spec", UnderField(tab, "Agent options", 0));
        Assert.False(HasError(tab, "Fence agent", 0));
        Assert.False(HasError(tab, "Device name", 0));
    }

    [Fact]
    public void ServerRefusal_IsFiledUnderTheFieldItNames()
    {
        var form = ClusterSettingsForm.From(new ClusterSettings { Fencing = new FencingSpec { Devices = [new FenceDeviceSpec { Name = "a", Agent = "fence_x" }] } });

        form.Show([new("fencing.devices[0].nodes", "'node9' is not one of the cluster's nodes"), new("corosync.tokenMs", "50 is not a corosync token timeout"),
            new("ctdbTunables.1x", "is not a CTDB tunable name"), new("fencing", "add a fence device, or acknowledge running without fencing")]);

        Assert.Equal("'node9' is not one of the cluster's nodes", form.Devices[0].Errors.Message("nodes"));
        Assert.Equal("50 is not a corosync token timeout", form.Errors.Message("tokenMs"));
        Assert.Equal("1x: is not a CTDB tunable name", form.Errors.Message("ctdbTunables"));
        Assert.Equal("add a fence device, or acknowledge running without fencing", form.Errors.Message("fencing"));
        Assert.Empty(form.Errors.General);
    }

    [Fact]
    public void NoFencing_ShowsTheUnsafeWarning_AndGoodSettingsAreStored()
    {
        var tab = OpenSettings();
        Assert.Contains(CibBatch.NoFencingWarning, tab.Find(".no-fencing-warning").TextContent);

        TypeOn(tab, "VIP network interface", "eth1");
        TypeOn(tab, "CTDB tunables", "KeepaliveInterval=1");
        TypeOn(tab, "NFS-Ganesha state directory", "");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Equal("eth1", Inventory.Settings[Lab].Nic), Patience);
        var stored = Inventory.Settings[Lab];
        Assert.Equal(new Dictionary<string, int> { ["KeepaliveInterval"] = 1 }, stored.CtdbTunables);
        Assert.Equal(new SharedStateSpec { RecoveryLock = "/srv/state/ctdb/reclock" }, stored.SharedState);
        Assert.True(stored.Fencing.NoFencingAcknowledged);
        Snackbars.WaitForAssertion(() => Assert.Contains("Settings saved", Snackbars.Markup), Patience);
    }

    [Fact]
    public void ClusterPage_HasSettingsAndJobsTabs_AndALinkToThePlan()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, Lab));

        page.WaitForAssertion(() => Assert.Contains("Settings", page.Find(".mud-tabs-tabbar").TextContent), Patience);
        Assert.Contains("Jobs", page.Find(".mud-tabs-tabbar").TextContent);
        Assert.Equal("clusters/1/plan", page.FindAll("a").Single(a => a.TextContent.Trim() == "Plan and apply").GetAttribute("href"));
    }

    [Fact]
    public void Viewer_SeesTheSettings_ButCannotSaveOrAddDevices()
    {
        SignInAs("vera", "Viewer");

        var tab = OpenSettings();

        Assert.Equal("/srv/state/ctdb/reclock", FieldOn<MudTextField<string>, SettingsTab>(tab, "CTDB recovery lock").Instance.GetState(x => x.Value));
        Assert.Empty(tab.FindAll("button"));
    }

    private static bool HasError(IRenderedComponent<SettingsTab> tab, string label, int index = 0) =>
        FieldOn<MudTextField<string>, SettingsTab>(tab, label, index).Instance.GetState(x => x.Error);

    /// <summary>The text under the field: its error when it has one.</summary>
    private static string UnderField(IRenderedComponent<SettingsTab> tab, string label, int index = 0) =>
        string.Concat(FieldOn<MudTextField<string>, SettingsTab>(tab, label, index).FindAll(".mud-input-helper-text").Select(e => e.TextContent));
}
