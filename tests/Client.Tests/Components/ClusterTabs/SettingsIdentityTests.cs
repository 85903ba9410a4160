using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using StorageHa.Client.Components.ClusterTabs;
using StorageHa.Client.Components.Identity;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.ClusterTabs;

/// <summary>The Settings tab's Identity section: the wizard's own editor, saved with the other settings, leaving the Users page's users alone.</summary>
public sealed class SettingsIdentityTests : ProvisioningTest
{
    private static readonly LocalUserSpec Alice = new("alice", 20002, ["team"]);

    private IRenderedComponent<SettingsTab> OpenSettings(ClusterPurpose purpose = ClusterPurpose.Both)
    {
        var tab = RenderPage<SettingsTab>(p => p.Add(x => x.ClusterId, Lab).Add(x => x.ClusterName, "lab").Add(x => x.Purpose, purpose));
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find(".settings-identity")), Patience);
        return tab;
    }

    private static void Choose(IRenderedComponent<SettingsTab> tab, IdentityMode mode) =>
        tab.WaitForAssertion(() => tab.FindComponents<MudRadio<IdentityMode>>().Single(r => r.Instance.GetState(x => x.Value) == mode).Find("input").Click(), Patience);

    /// <summary>Types into a field of the identity editor, which checks on every keystroke.</summary>
    private static void Enter(IRenderedComponent<SettingsTab> tab, string label, string value) =>
        tab.WaitForAssertion(() => FieldOn<MudTextField<string>, SettingsTab>(tab, label).Find("input").Input(value), Patience);

    [Fact]
    public void TheSection_IsTheWizardsIdentityEditor()
    {
        var tab = OpenSettings();

        Assert.Single(tab.FindComponents<IdentityEditor>());
        Assert.Equal("Guest", tab.Find(".identity-mode-choice").GetAttribute("data-mode"));
    }

    [Fact]
    public void JoiningADomain_IsSaved_AndTheLocalUsersStayAsTheUsersPageLeftThem()
    {
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { Identity = new IdentitySpec { Mode = IdentityMode.LocalUsers, Users = [Alice], Groups = [new("team", 20001)], HighestLocalId = 20002 } };
        var tab = OpenSettings();

        Choose(tab, IdentityMode.ActiveDirectory);
        Enter(tab, "Realm", "AD.EXAMPLE.COM");
        Enter(tab, "Workgroup", "EXAMPLE");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Equal(IdentityMode.ActiveDirectory, Inventory.Settings[Lab].Identity.Mode), Patience);
        var identity = Inventory.Settings[Lab].Identity;
        Assert.Equal(("AD.EXAMPLE.COM", "EXAMPLE"), (identity.ActiveDirectory!.Realm, identity.ActiveDirectory.Workgroup));
        Assert.Equal([Alice], identity.Users);
        Assert.Equal("/srv/state/ctdb/reclock", Inventory.Settings[Lab].SharedState!.RecoveryLock);
    }

    [Fact]
    public void ABadWorkgroup_IsShownUnderItsField_AndNothingIsStored()
    {
        var before = Inventory.Settings[Lab];
        var tab = OpenSettings();

        Choose(tab, IdentityMode.ActiveDirectory);
        Enter(tab, "Realm", "AD.EXAMPLE.COM");
        Enter(tab, "Workgroup", "EX;AMPLE");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Contains("'EX;AMPLE' is not a NetBIOS domain name",
            string.Concat(FieldOn<MudTextField<string>, SettingsTab>(tab, "Workgroup").FindAll(".mud-input-helper-text").Select(e => e.TextContent))), Patience);
        Assert.Same(before, Inventory.Settings[Lab]);
    }

    [Fact]
    public void SavingOtherSettings_KeepsTheDomain()
    {
        var identity = new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = new ActiveDirectorySpec { Realm = "LAB.TEST", Workgroup = "LAB", DnsServers = ["192.0.2.5"] } };
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { Identity = identity };
        var tab = OpenSettings();

        TypeOn(tab, "VIP network interface", "eth1");
        Click(tab, "Save settings");

        tab.WaitForAssertion(() => Assert.Equal("eth1", Inventory.Settings[Lab].Nic), Patience);
        Assert.Equal(IdentityMode.ActiveDirectory, Inventory.Settings[Lab].Identity.Mode);
        Assert.Equal(["192.0.2.5"], Inventory.Settings[Lab].Identity.ActiveDirectory!.DnsServers);
        Assert.Equal(identity.ActiveDirectory with { DnsServers = [] }, Inventory.Settings[Lab].Identity.ActiveDirectory! with { DnsServers = [] });
    }

    [Fact]
    public void ForAnNfsOnlyCluster_TheChoiceIsDisabled_SayingWhy()
    {
        var tab = OpenSettings(ClusterPurpose.Nfs);

        Assert.Contains("An NFS-only cluster serves no SMB shares", tab.Find(".identity-nfs-only").TextContent);
        Assert.All(tab.FindAll(".identity-mode input[type=radio]"), r => Assert.True(r.HasAttribute("disabled")));
    }
}
