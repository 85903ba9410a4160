using Bunit;
using MudBlazor;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Shares;

/// <summary>The share dialog's permission pickers: users and groups from the cluster's identity, or typed as Samba writes them.</summary>
public sealed class SharePermissionsEditorTests : ConsoleTest
{
    public SharePermissionsEditorTests()
    {
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1", Purpose = ClusterPurpose.Smb });
    }

    private void Identity(IdentitySpec identity) => Inventory.Settings[1] = new ClusterSettings { Identity = identity };

    private void OpenAddShare()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Shares").Click();
        Click(page, "Add share");
        Type("Name", "team");
        Type("Path", "/srv/team");
    }

    private IRenderedComponent<MudAutocomplete<SmbPrincipal>> Picker(string label) => Field<MudAutocomplete<SmbPrincipal>>(label);

    /// <summary>Types into a picker and chooses the offered entry that reads <paramref name="choice"/>.</summary>
    private void Pick(string label, string typed, string choice)
    {
        DialogHost.WaitForAssertion(() => Picker(label).Find("input").Input(typed), Patience);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == choice).Click(), Patience);
        DialogHost.WaitForAssertion(() => Assert.Contains(choice, DialogHost.FindAll(".mud-chip").Select(c => c.TextContent.Trim())), Patience);
    }

    [Fact]
    public void LocalUsersIdentity_OffersItsUsersAndGroups_AndTheShareIsSavedWithTheListsOwnerGroupModeAndEnumeration()
    {
        Identity(new IdentitySpec
        {
            Mode = IdentityMode.LocalUsers,
            Users = [new("alice", 20001, ["staff"]), new("bob", 20002, [])],
            Groups = [new("staff", 20001)],
        });
        OpenAddShare();

        Pick("Write list", "sta", "@staff");
        Pick("Valid users", "ali", "alice");
        Pick("Folder owner", "bo", "bob");
        Pick("Folder group", "staff", "@staff");
        Type("Folder mode", "2770");
        DialogHost.FindComponent<MudSwitch<bool>>().Find("input").Change(true);
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Single(Inventory.Shares), Patience);
        var share = Inventory.Shares[0];
        Assert.Equal(["@staff"], share.WriteList.Select(p => p.ToString()));
        Assert.Equal(["alice"], share.ValidUsers.Select(p => p.ToString()));
        Assert.Equal((SmbPrincipal.User("bob"), SmbPrincipal.Group("staff"), "2770", true), (share.Owner, share.Group, share.Mode, share.AccessBasedEnumeration));
    }

    [Fact]
    public void WhenNoNodeAnswersForTheDomain_TheAdminTypesTheNameAsSambaWritesIt_AndSeesWhyNothingWasListed()
    {
        Identity(new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = new() { Realm = "LAB.TEST", Workgroup = "LAB" } });
        OpenAddShare();

        Pick("Write list", "@LAB\\domain users", "@\"LAB\\domain users\"");

        Assert.Contains("could not be listed", Picker("Write list").Markup);
        Click(DialogHost, "Save");
        DialogHost.WaitForAssertion(() => Assert.Single(Inventory.Shares), Patience);
        Assert.Equal(SmbPrincipal.Group("domain users", "LAB"), Assert.Single(Inventory.Shares[0].WriteList));
    }

    [Fact]
    public void TheDomainsGroups_AreOfferedAsWinbindListsThem()
    {
        Identity(new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = new() { Realm = "LAB.TEST", Workgroup = "LAB" } });
        Principals.WbinfoGroups = "LAB\\domain users\nLAB\\finance\n";
        Principals.WbinfoUsers = "LAB\\alice\n";
        OpenAddShare();

        Pick("Read list", "fin", "@LAB\\finance");
    }

    [Fact]
    public void ABadMode_IsRefusedUnderFolderMode_AndNothingIsStored()
    {
        OpenAddShare();
        Type("Folder mode", "0999");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("not an octal mode", TextField("Folder mode").Markup), Patience);
        Assert.Empty(Inventory.Shares);
    }
}
