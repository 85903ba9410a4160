using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Components.Pages;

/// <summary>A cluster's local SMB users and groups: viewers see them, operators add, remove, set passwords and membership.</summary>
public partial class ClusterUsers
{
    private Cluster? _cluster;
    private LocalAccountList? _accounts;

    [Parameter] public long Id { get; set; }

    [Inject] private IInventory Inventory { get; set; } = default!;
    [Inject] private ILocalAccounts Accounts { get; set; } = default!;

    private bool LocalUsers => _accounts?.Mode == IdentityMode.LocalUsers;

    private List<BreadcrumbItem> Breadcrumbs =>
        [new("Clusters", "clusters"), new(_cluster?.Name ?? $"#{Id}", $"clusters/{Id}"), new("SMB users", null, disabled: true)];

    protected override async Task LoadAsync()
    {
        _cluster = await Inventory.GetClusterAsync(Id);
        _accounts = await Accounts.ListAsync(Id);
    }

    private IEnumerable<string> Members(LocalGroupSpec group) =>
        (_accounts?.Users ?? []).Where(u => u.Groups.Contains(group.Name)).Select(u => u.Name);

    private DialogParameters GroupChoices(string name) => new() { { name, (_accounts?.Groups ?? []).Select(g => g.Name).ToList() } };

    private Task AddUserAsync() => EditInDialogAsync<SmbUserDialog, NewSmbUser, LocalUserSpec>(null,
        u => Accounts.CreateUserAsync(Id, new NewLocalUser(u.Name, u.FullName, u.Groups), u.Password),
        "SMB user added on every node.", GroupChoices(nameof(SmbUserDialog.Groups)));

    private Task AddGroupAsync() => EditInDialogAsync<SmbGroupDialog, NewSmbGroup, LocalGroupSpec>(null,
        g => Accounts.CreateGroupAsync(Id, g.Name), "SMB group added on every node.");

    private Task SetPasswordAsync(LocalUserSpec user) => EditInDialogAsync<SmbPasswordDialog, NewSmbPassword, bool>(null,
        async p =>
        {
            await Accounts.SetPasswordAsync(Id, user.Name, p.Password);
            return true;
        }, $"SMB password of {user.Name} changed.", new DialogParameters { { nameof(SmbPasswordDialog.ForUser), user.Name } });

    private Task SetGroupsAsync(LocalUserSpec user)
    {
        var parameters = GroupChoices(nameof(SmbMembershipDialog.Groups));
        parameters.Add(nameof(SmbMembershipDialog.ForUser), user.Name);
        return EditInDialogAsync<SmbMembershipDialog, SmbMembership, LocalUserSpec>(new SmbMembership(user.Groups),
            m => Accounts.SetGroupsAsync(Id, user.Name, m.Groups), $"Groups of {user.Name} set on every node.", parameters);
    }

    private Task RemoveUserAsync(LocalUserSpec user) => RemoveAsync($"SMB user {user.Name}",
        $"{user.Name} can no longer log in; its Unix account goes from every node. Its files stay, owned by uid {user.Uid}, which is never given again.",
        () => Accounts.DeleteUserAsync(Id, user.Name));

    private Task RemoveGroupAsync(LocalGroupSpec group) => RemoveAsync($"SMB group {group.Name}",
        $"Its members stay, no longer in it; shares that name @{group.Name} no longer let them in through it.",
        () => Accounts.DeleteGroupAsync(Id, group.Name));
}
