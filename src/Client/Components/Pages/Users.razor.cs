using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Components.Pages;

public partial class Users
{
    private IReadOnlyList<User> _users = [];
    private IReadOnlyList<ApiToken> _tokens = [];

    [Inject] private IUserAdmin Admin { get; set; } = default!;

    protected override async Task LoadAsync()
    {
        // The server refuses non-admins anyway; not asking spares them an error.
        if (!IsAdmin)
            return;
        _users = await Admin.ListAsync();
        _tokens = await Admin.ListTokensAsync();
    }

    /// <summary>An admin cannot demote or remove themself, so the console always keeps one admin who can act.</summary>
    private bool IsSelf(User user) => string.Equals(user.UserName, UserName, StringComparison.OrdinalIgnoreCase);

    private Task AddUserAsync() => EditInDialogAsync<UserDialog, NewUser, User>(null,
        u => Admin.CreateAsync(u.UserName, u.Password, u.Role), "User added.");

    private Task SetRoleAsync(User user, Role role) => RunAsync(async () =>
    {
        await Admin.SetRoleAsync(user.Id, role);
        await LoadAsync();
    }, $"{user.UserName} is now {role}.");

    private Task ResetPasswordAsync(User user) => EditInDialogAsync<PasswordDialog, NewPassword, bool>(null,
        async p =>
        {
            await Admin.SetPasswordAsync(user.Id, p.Password);
            return true;
        }, $"Password of {user.UserName} changed.",
        new DialogParameters { { nameof(PasswordDialog.ForUser), user.UserName } });

    private Task RemoveAsync(User user) => RemoveAsync($"user {user.UserName}",
        "They can no longer sign in, and their API tokens stop working.", () => Admin.DeleteAsync(user.Id));

    private async Task CreateTokenAsync()
    {
        var created = await EditInDialogAsync<ApiTokenDialog, NewApiToken, (ApiToken Token, string Secret)>(null,
            t => Admin.CreateTokenAsync(t.UserId, t.Name), "Token created.",
            new DialogParameters { { nameof(ApiTokenDialog.Users), _users } });
        if (created is not { Secret: { } secret, Token: { } token })
            return;
        var parameters = new DialogParameters<CopyTextDialog>
        {
            { d => d.Title, $"API token {token.Name}" },
            { d => d.Message, "Copy the secret now: it is shown only this once and stored only as a hash." },
            { d => d.MessageSeverity, Severity.Warning },
            { d => d.Texts, new CopyableText[] { new("Secret", secret) } },
        };
        await Dialogs.ShowAsync<CopyTextDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
    }

    private Task RevokeAsync(ApiToken token) => RemoveAsync($"API token {token.Name}",
        "Scripts that use it are refused from now on.", () => Admin.RevokeTokenAsync(token.Id));
}
