using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// A cluster's SMB users page: the users and groups the inventory keeps, dialogs to add, remove, set a password and
/// groups; the password field is write-only — what is typed goes to the service and is never shown again.
/// </summary>
public sealed class ClusterUsersTests : ConsoleTest
{
    private readonly InMemoryLocalAccounts _accounts = new();

    public ClusterUsersTests()
    {
        Ctx.Services.AddSingleton<ILocalAccounts>(_accounts);
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1", Purpose = ClusterPurpose.Smb });
    }

    private IRenderedComponent<ClusterUsers> Open() => RenderPage<ClusterUsers>(p => p.Add(x => x.Id, 1L));

    [Fact]
    public void ListsUsersAndGroups_WithTheirIdsAndMembers()
    {
        var page = Open();

        page.WaitForAssertion(() => Assert.Contains("alice", page.Find(".smb-users tbody").TextContent), Patience);
        Assert.Contains("20001", page.Find(".smb-users tbody").TextContent);
        Assert.Contains("staff-rw", page.Find(".smb-users tbody").TextContent);
        Assert.Contains("20000", page.Find(".smb-groups tbody").TextContent);
        Assert.Contains("alice", page.Find(".smb-groups tbody").TextContent);
    }

    [Fact]
    public void Operator_AddsAUser_ThePasswordGoesToTheServiceOnly_AndIsNeverShownAgain()
    {
        const string password = "a secret SMB pass";
        var page = Open();
        Click(page, "Add user");

        Type("User name", "bob");
        Type("Full name", "Bob Stone");
        Type("SMB password", password);
        Assert.Equal("password", TextField("SMB password").Find("input").GetAttribute("type"));
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Contains("bob", page.Find(".smb-users tbody").TextContent), Patience);
        Assert.Contains("20002", page.Find(".smb-users tbody").TextContent);
        Assert.Equal(("bob", password), _accounts.Passwords.Single());
        Assert.DoesNotContain(password, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(password, DialogHost.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameSambaWouldRefuse_IsShownUnderTheName_AndNothingIsAdded()
    {
        var page = Open();
        Click(page, "Add user");

        Type("User name", "Root");
        Type("SMB password", "pw");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("is not an account name", TextField("User name").Markup), Patience);
        Assert.Single(_accounts.Identity.Users);
        Assert.Empty(_accounts.Passwords);
    }

    [Fact]
    public void ChangePassword_SendsTheNewOne_ForThatUser()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("alice", page.Find(".smb-users tbody").TextContent), Patience);
        Click(page, "Change password");

        Type("New SMB password", "the new one");
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Equal(("alice", "the new one"), _accounts.Passwords.Single()), Patience);
        Assert.DoesNotContain("the new one", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingAUser_AsksFirst_ThenTheUserIsGone()
    {
        var page = Open();
        Click(page, "Remove alice");

        DialogHost.WaitForAssertion(() => Assert.Contains("never given again", DialogHost.Markup), Patience);
        Click(DialogHost, "Remove");

        page.WaitForAssertion(() => Assert.Contains("No SMB users", page.Find(".smb-users").TextContent), Patience);
        Assert.Empty(_accounts.Identity.Users);
    }

    [Fact]
    public void Operator_AddsAGroup_WithTheNextGid()
    {
        var page = Open();
        Click(page, "Add group");

        Type("Group name", "finance");
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Contains("finance", page.Find(".smb-groups tbody").TextContent), Patience);
        Assert.Equal(20002, _accounts.Identity.Groups.Single(g => g.Name == "finance").Gid);
    }

    [Fact]
    public void Viewer_SeesUsersAndGroups_ButNoButtonToChangeThem()
    {
        SignInAs("vera", "Viewer");

        var page = Open();

        page.WaitForAssertion(() => Assert.Contains("alice", page.Find(".smb-users tbody").TextContent), Patience);
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void AClusterWithoutLocalUsers_SaysSo()
    {
        _accounts.Identity = new IdentitySpec { Mode = IdentityMode.Guest };

        var page = Open();

        page.WaitForAssertion(() => Assert.Contains("identity is Guest", page.Find(".not-local-users").TextContent), Patience);
        Assert.False(HasButton(page, "Add user"));
    }

    [Fact]
    public void TheClusterPage_LinksToItsSmbUsers()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));

        page.WaitForAssertion(() => Assert.Equal("clusters/1/users", page.Find("a.smb-users-link").GetAttribute("href")), Patience);
    }

    /// <summary>The cluster's identity in memory, changed by the same pure rules the console's service uses; passwords given are recorded.</summary>
    private sealed class InMemoryLocalAccounts : ILocalAccounts
    {
        public IdentitySpec Identity { get; set; } = new()
        {
            Mode = IdentityMode.LocalUsers,
            Groups = [new("staff-rw", 20000)],
            Users = [new("alice", 20001, ["staff-rw"])],
            HighestLocalId = 20001,
        };

        public List<(string User, string Password)> Passwords { get; } = [];

        public Task<LocalAccountList> ListAsync(long clusterId, CancellationToken ct = default) =>
            Task.FromResult(new LocalAccountList(Identity.Mode, Identity.Users, Identity.Groups));

        public Task<LocalUserSpec> CreateUserAsync(long clusterId, NewLocalUser user, string password, CancellationToken ct = default)
        {
            Identity = LocalAccounts.AddUser(Identity, user.Name, user.FullName, user.Groups ?? []);
            Passwords.Add((user.Name, password));
            return Task.FromResult(LocalAccounts.User(Identity, user.Name));
        }

        public Task SetPasswordAsync(long clusterId, string user, string password, CancellationToken ct = default)
        {
            LocalAccounts.User(Identity, user);
            Passwords.Add((user, password));
            return Task.CompletedTask;
        }

        public Task<LocalUserSpec> SetGroupsAsync(long clusterId, string user, IReadOnlyList<string> groups, CancellationToken ct = default)
        {
            Identity = LocalAccounts.SetGroups(Identity, user, groups);
            return Task.FromResult(LocalAccounts.User(Identity, user));
        }

        public Task DeleteUserAsync(long clusterId, string user, CancellationToken ct = default)
        {
            Identity = LocalAccounts.RemoveUser(Identity, user);
            return Task.CompletedTask;
        }

        public Task<LocalGroupSpec> CreateGroupAsync(long clusterId, string name, CancellationToken ct = default)
        {
            Identity = LocalAccounts.AddGroup(Identity, name);
            return Task.FromResult(Identity.Groups.Single(g => g.Name == name));
        }

        public Task DeleteGroupAsync(long clusterId, string name, CancellationToken ct = default)
        {
            Identity = LocalAccounts.RemoveGroup(Identity, name);
            return Task.CompletedTask;
        }
    }
}
